// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <ostream>
#include <span>
#include <string>

namespace packbridge::cli {

// `packbridge run [--config FILE] [--dry-run] [--log-level LEVEL]`: the daemon.
int run_command(std::span<const std::string> args, std::ostream& out, std::ostream& err);

}  // namespace packbridge::cli
