// SPDX-License-Identifier: Apache-2.0
#pragma once

// Limits: the policy half of the bank (stateless part). Given the aggregated battery and the
// counted packs, compute the target CVL/DVL/CCL/DCL with their reasons. Ramping, hysteresis and
// the safe state need history and live in Bank.

#include <span>

#include "packbridge/bank/settings.hpp"
#include "packbridge/battery.hpp"
#include "packbridge/pack_reading.hpp"

namespace packbridge::bank {

// Linear interpolation over (temperature, factor) points sorted by temperature; flat outside the
// table; an empty table means no derating (1.0). Factors are clamped to 0..1.
[[nodiscard]] double taper_factor(std::span<const TaperPoint> table, double temp_c);

// Factor 0..1 for the highest cell on charge: 1 up to start_mv, 0 at end_mv, linear between.
[[nodiscard]] double cell_charge_factor(std::uint32_t cell_mv, std::uint32_t start_mv,
                                        std::uint32_t end_mv);
// Factor 0..1 for the lowest cell on discharge: 1 down to start_mv, 0 at end_mv.
[[nodiscard]] double cell_discharge_factor(std::uint32_t cell_mv, std::uint32_t start_mv,
                                           std::uint32_t end_mv);

struct Targets {
    Limit charge_voltage;
    Limit discharge_voltage;
    Limit charge_current;
    Limit discharge_current;
};

// `measured` must already hold the aggregated values of `counted` (see aggregate()).
[[nodiscard]] Targets compute_targets(const BatteryConfig& config, const Battery& measured,
                                      std::span<const PackReading* const> counted);

// Amperes/volts from the config as integer mA/mV (rounded; negatives become 0).
[[nodiscard]] std::uint32_t to_milli(double units);

}  // namespace packbridge::bank
