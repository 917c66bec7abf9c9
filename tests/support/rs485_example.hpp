// SPDX-License-Identifier: Apache-2.0
#pragma once

// The battery of inverter-rs485.md section 0.3 for the RS485 vector tests, and byte helpers.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "packbridge/battery.hpp"

namespace packbridge::testing {

// The section 0.3 state (123 cycles).
Battery rs485_example_battery();

// "01 03 00 10 00 13 05 C2" or "0103001000130 5C2" -> bytes (spaces ignored).
std::vector<std::uint8_t> hex_bytes(std::string_view hex);
std::string hex_string(const std::vector<std::uint8_t>& bytes);
std::vector<std::uint8_t> ascii_bytes(std::string_view text);

}  // namespace packbridge::testing
