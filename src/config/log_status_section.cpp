// SPDX-License-Identifier: Apache-2.0
// The "log" and "status" sections.
#include "config/sections.hpp"

namespace packbridge::config_detail {

void read_log(const Section& root, LogConfig& out) {
    const auto s = root.child("log", {"level", "summary_interval_s"});
    s.read_enum("level", out.level,
                {{"trace", LogLevel::trace},
                 {"debug", LogLevel::debug},
                 {"info", LogLevel::info},
                 {"warn", LogLevel::warn},
                 {"error", LogLevel::error}});
    s.read_uint("summary_interval_s", out.summary_interval_s, 0, 86400);  // 0 = no summary
}

void read_status(const Section& root, StatusConfig& out) {
    const auto s = root.child("status", {"enabled", "path"});
    s.read_bool("enabled", out.enabled);
    s.read_string("path", out.path);
    if (out.path.front() != '/')
        s.fail("path",
               "\"" + out.path + "\" must be an absolute path (e.g. /run/packbridge/status.json)");
}

}  // namespace packbridge::config_detail
