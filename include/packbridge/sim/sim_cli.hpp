// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <ostream>
#include <span>
#include <string>

namespace packbridge::sim {

// packbridge-sim's command line (see --help). Prints "PTY <path>" (or "DEVICE <path>") and then
// "READY" on `out` once the bus is live; runs until SIGINT/SIGTERM or the "quit" command.
int run_sim(std::span<const std::string> args, std::ostream& out, std::ostream& err);

}  // namespace packbridge::sim
