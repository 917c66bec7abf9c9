// SPDX-License-Identifier: Apache-2.0
#pragma once

// The Prometheus text exposition format (version 0.0.4) rendered from the status JSON, the
// document status.json gets in the same tick: every value a scrape returns is in that file.

#include <nlohmann/json.hpp>
#include <string>

namespace packbridge::monitor {

inline constexpr const char* kMetricsContentType = "text/plain; version=0.0.4; charset=utf-8";

std::string metrics_text(const nlohmann::json& status);

}  // namespace packbridge::monitor
