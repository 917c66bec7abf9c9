// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <ostream>
#include <span>
#include <string>

namespace packbridge::cli {

// packbridge wiring [BRAND]: pinouts, cables and DIP positions from the BMS manual's tables.
int wiring_command(std::span<const std::string> args, std::ostream& out, std::ostream& err);

}  // namespace packbridge::cli
