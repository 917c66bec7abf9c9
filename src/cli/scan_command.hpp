// SPDX-License-Identifier: Apache-2.0
#pragma once

// `packbridge scan`: survey pack addresses 0..15 on the bus and print what answers.

#include <ostream>
#include <span>
#include <string>

namespace packbridge::cli {

// Exit code: 0 when at least one pack answered, 1 when none did, 2 on bad arguments or when the
// device cannot be opened.
int scan_command(std::span<const std::string> args, std::ostream& out, std::ostream& err);

}  // namespace packbridge::cli
