// SPDX-License-Identifier: Apache-2.0
#pragma once

// Log levels, shared by the config file ("log.level"), the command line and the logging setup.

#include <optional>
#include <string_view>

namespace packbridge {

enum class LogLevel { trace, debug, info, warn, error };

// The config file's name of a level ("trace" ... "error").
std::string_view to_string(LogLevel level);
// A level by name; "warning" is accepted for warn. nullopt for anything else.
std::optional<LogLevel> parse_log_level(std::string_view name);

}  // namespace packbridge
