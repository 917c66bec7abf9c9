// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <ostream>
#include <span>
#include <string>

namespace packbridge::cli {

// `packbridge <subcommand> [args]`: runs the subcommand, returns the process exit code.
int dispatch(int argc, char** argv);
// The same on already-split arguments (args[0] = the subcommand): what tests call.
int dispatch(std::span<const std::string> args, std::ostream& out, std::ostream& err);

}  // namespace packbridge::cli
