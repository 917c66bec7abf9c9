// SPDX-License-Identifier: Apache-2.0
#pragma once

// Aggregation: the measured half of the bank. Pure functions over the packs that count (online
// and fresh); no policy and no state here, so that every value in Battery that is "measured"
// can be traced to the readings it came from.

#include <span>
#include <vector>

#include "packbridge/battery.hpp"
#include "packbridge/clock.hpp"
#include "packbridge/pack_reading.hpp"

namespace packbridge::bank {

// A reading counts only while it is younger than stale_after. A reading stamped in the future
// (a caller bug) is treated as age 0 rather than as stale forever.
[[nodiscard]] bool is_fresh(const PackReading& reading, TimePoint now, Duration stale_after);

// Fills every measured field of `out` (voltage .. modules, alarm unions) from the counted packs,
// which must be sorted by ascending address. With no counted pack, the measured fields are zero.
void aggregate(std::span<const PackReading* const> counted, Battery& out);

// Protections that stop the charge (discharge) side of one pack.
[[nodiscard]] AlarmSet charge_side(AlarmSet protections);
[[nodiscard]] AlarmSet discharge_side(AlarmSet protections);

}  // namespace packbridge::bank
