// SPDX-License-Identifier: Apache-2.0
#pragma once

// The example battery state of the inverter specs (inverter-can.md section 0.3,
// inverter-rs485.md section 0.3), produced by the REAL bank from three pack readings, so that
// every encoder's byte-exact vectors are fed from what the bank actually outputs.
//
// Three 16S packs at DIP addresses 1, 2 and 3 ("module 1" = address 1, so the reasons and the
// specs' module numbers read alike). Each: 52.10 V, -4.1 A, 67 Ah of 100 Ah, SOH 98 %. Cells
// 3256 mV except module 1 cell 7 = 3262 mV (global 7) and module 3 cell 12 = 3251 mV (global 44).
// Four cell sensors per pack at 25.3 degC except module 1 sensor 2 = 26.0 degC and module 3
// sensor 2 = 24.1 degC (mean of the 12 sensors rounds to 25.3 degC); MOSFET and ambient 25.3 degC.
// No alarms, both MOSFETs on.
//
// Cycle count: inverter-can.md says 0, inverter-rs485.md says 123, hence the parameter.

#include <cstdint>
#include <vector>

#include "packbridge/battery.hpp"
#include "packbridge/clock.hpp"
#include "packbridge/config.hpp"
#include "packbridge/pack_reading.hpp"

namespace packbridge::testing {

inline constexpr std::uint8_t kExampleFirstAddress = 1;

// The three readings, stamped at `at` (default: a fixed monotonic origin).
std::vector<PackReading> example_readings(std::uint32_t cycles, TimePoint at = TimePoint{});

// CVL 56.0 V, DVL 48.0 V; per pack 50 A charge / 100 A discharge, system ceilings 100 A / 150 A,
// so CCL = min(3 x 50, 100) = 100.0 A and DCL = min(3 x 100, 150) = 150.0 A.
BatteryConfig example_battery_config();

// Runs a real bank::Bank over the readings, re-stamped every second for 30 s so the limits have
// ramped up fully (10 A/s), and returns its last output.
Battery example_battery(std::uint32_t cycles);

}  // namespace packbridge::testing
