// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <ostream>
#include <span>
#include <string>

namespace packbridge::cli {

// packbridge check-config [--config FILE]: validate and print the resolved configuration.
int check_config_command(std::span<const std::string> args, std::ostream& out, std::ostream& err);

}  // namespace packbridge::cli
