// SPDX-License-Identifier: Apache-2.0
#pragma once

// Small helpers every subcommand shares: --help / --version detection and exit codes.

#include <algorithm>
#include <ostream>
#include <span>
#include <string>
#include <string_view>

#include "packbridge/version.hpp"

namespace packbridge::cli {

inline constexpr int kExitOk = 0;
inline constexpr int kExitFailure =
    1;                                // the thing checked is wrong (invalid config, unknown brand)
inline constexpr int kExitUsage = 2;  // the command line is wrong

inline bool has_flag(std::span<const std::string> args, std::string_view flag) {
    return std::any_of(args.begin(), args.end(), [&](const std::string& a) { return a == flag; });
}
inline bool wants_help(std::span<const std::string> args) {
    return has_flag(args, "--help") || has_flag(args, "-h");
}
inline bool wants_version(std::span<const std::string> args) {
    return has_flag(args, "--version");
}
inline void print_version(std::ostream& out) {
    out << "packbridge " << kVersion << "\n";
}

}  // namespace packbridge::cli
