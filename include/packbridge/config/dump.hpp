// SPDX-License-Identifier: Apache-2.0
#pragma once

// The resolved Config as JSON in the loader's own key names, so what `check-config` prints can
// be fed back to the loader and yields the same Config.

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "packbridge/config.hpp"

namespace packbridge {

nlohmann::ordered_json config_to_json(const Config& config);

std::string_view to_string(BusMode mode);
std::string_view to_string(PackFamilyChoice family);
std::string_view to_string(OnCommsLoss policy);
std::string_view to_string(OnPackBlock policy);
std::string_view to_string(VoltronicLength length);

}  // namespace packbridge
