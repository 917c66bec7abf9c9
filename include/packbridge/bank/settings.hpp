// SPDX-License-Identifier: Apache-2.0
#pragma once

// The bank's settings: limits and the safety policy, all of it applied by the bank. The config
// file's "battery" section is parsed into this (config/battery_section.cpp); the bank owns the
// type so that it needs nothing from the config layer.

#include <cstdint>
#include <optional>
#include <vector>

namespace packbridge {

enum class OnCommsLoss { zero, silence };
enum class OnPackBlock { exclude, stop_all };

// A derating curve: (temperature degC, factor 0..1) points, linear between, flat outside.
struct TaperPoint {
    double temp_c;
    double factor;

    bool operator==(const TaperPoint&) const = default;
};

struct BatteryConfig {
    double charge_voltage_v = 56.0;                 // CVL (16S LFP: 3.50 V/cell)
    double discharge_voltage_v = 48.0;              // DVL (16S LFP: 3.00 V/cell)
    double pack_charge_current_a = 50.0;            // per pack
    double pack_discharge_current_a = 100.0;        // per pack
    std::optional<double> max_charge_current_a;     // whole-system ceiling (cable, fuse, inverter)
    std::optional<double> max_discharge_current_a;  // whole-system ceiling
    std::uint32_t min_packs = 1;                    // fewer fresh packs => safe state
    double stale_after_s = 10.0;                    // a reading older than this does not count
    double comms_loss_s = 30.0;                     // no fresh pack for this long => safe state
    OnCommsLoss on_comms_loss = OnCommsLoss::zero;
    OnPackBlock on_pack_block = OnPackBlock::exclude;
    // Charge/discharge derating by cell temperature (min and max over counted packs).
    std::vector<TaperPoint> charge_temperature = {
        {0.0, 0.0}, {5.0, 0.5}, {10.0, 1.0}, {45.0, 1.0}, {50.0, 0.0}};
    std::vector<TaperPoint> discharge_temperature = {
        {-20.0, 0.0}, {-10.0, 0.5}, {0.0, 1.0}, {50.0, 1.0}, {60.0, 0.0}};
    // Charge taper by the highest cell: full limit below start, zero at max.
    std::uint32_t cell_charge_taper_start_mv = 3450;
    std::uint32_t cell_max_mv = 3600;
    // Discharge taper by the lowest cell: full limit above start, zero at min.
    std::uint32_t cell_discharge_taper_start_mv = 3050;
    std::uint32_t cell_min_mv = 2900;
    double ramp_a_per_s = 10.0;  // limit increases are ramped; decreases are immediate
    double force_charge_soc_pct = 5.0;
    double force_charge_release_soc_pct = 10.0;
    bool full_charge_request = false;         // Pylon rule (inverter-can.md section 1.2)
    double full_charge_soc_pct = 97.0;        // Pylon rule: "has not reached 97 %" ...
    double full_charge_interval_days = 30.0;  // ... "for 30 days"

    bool operator==(const BatteryConfig&) const = default;
};

}  // namespace packbridge
