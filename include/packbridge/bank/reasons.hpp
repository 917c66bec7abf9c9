// SPDX-License-Identifier: Apache-2.0
#pragma once

// Limits as text, for the journal and `packbridge status`:
//   "CCL 37.5 A: sum of 2 packs; pack 3 charge MOSFET off; pack 5 cell 3 3.512 V taper"
// to_string(const LimitReason&, bool) itself is declared in battery.hpp.

#include <cstdint>
#include <string>
#include <string_view>

#include "packbridge/battery.hpp"

namespace packbridge::bank {

// "56.0 V" (mV in), "37.5 A" (mA in): one decimal, as the inverter protocols carry them.
std::string format_milli(std::uint32_t milli, bool is_voltage);

// "<name> <value>: <reason>; <reason>" (no colon when there is no reason).
std::string to_string(std::string_view name, const Limit& limit, bool is_voltage);

}  // namespace packbridge::bank

namespace packbridge::bank {

// Stable machine names for the status file: "pack_mosfet_off", "charge", ...
const char* to_string(LimitReason::Kind kind);
const char* to_string(LimitReason::Side side);

}  // namespace packbridge::bank
