// SPDX-License-Identifier: Apache-2.0
#include "packbridge/util/log_level.hpp"

#include <array>
#include <utility>

namespace packbridge {
namespace {

// One table for both directions, so a level's name in the config file, in `check-config` output
// and on the command line is always the same.
constexpr std::array<std::pair<LogLevel, std::string_view>, 5> kNames{{
    {LogLevel::trace, "trace"},
    {LogLevel::debug, "debug"},
    {LogLevel::info, "info"},
    {LogLevel::warn, "warn"},
    {LogLevel::error, "error"},
}};

}  // namespace

std::string_view to_string(LogLevel level) {
    for (const auto& [value, name] : kNames) {
        if (value == level) return name;
    }
    return "?";
}

std::optional<LogLevel> parse_log_level(std::string_view name) {
    if (name == "warning") return LogLevel::warn;
    for (const auto& [value, text] : kNames) {
        if (text == name) return value;
    }
    return std::nullopt;
}

}  // namespace packbridge
