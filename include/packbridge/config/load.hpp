// SPDX-License-Identifier: Apache-2.0
#pragma once

// Strict JSON config loading. Used at start-up only, so errors are exceptions: every message
// names the source, the JSON path and what is valid ("packbridge.json: /battery/charge_voltage_v:
// 70 is out of range (valid: 40 to 58.4)"). Nothing here opens a device.

#include <cstddef>
#include <filesystem>
#include <map>
#include <set>
#include <stdexcept>
#include <string>
#include <string_view>

#include "packbridge/config.hpp"

namespace packbridge {

class ConfigError : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

// Where each resolved value came from, for `check-config`: JSON paths the file set, and values
// derived from another key (e.g. /inverter/link from /inverter/brand). Anything else = default.
struct ConfigOrigins {
    std::set<std::string> given;
    std::map<std::string, std::string> derived;  // path -> "from /inverter/brand"
};

Config parse_config(std::string_view json_text, std::string_view source_name,
                    ConfigOrigins* origins = nullptr);
// Reads the file with read_small_file(): a missing, unreadable, directory, device or oversized
// path fails with the OS's reason and the path, before any JSON parsing.
Config load_config_file(const std::filesystem::path& path, ConfigOrigins* origins = nullptr);

// A config is a few kB; this keeps a wrong path (/dev/zero, a log file) from exhausting memory.
inline constexpr std::size_t kMaxConfigBytes = 1024 * 1024;

inline constexpr const char* kDefaultConfigPath = "/etc/packbridge/packbridge.json";

}  // namespace packbridge
