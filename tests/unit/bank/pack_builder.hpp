// SPDX-License-Identifier: Apache-2.0
#pragma once

// A healthy 16S pack reading to start each test from: 3300 mV cells, four sensors at 25.0 degC,
// 50 Ah of 100 Ah, both MOSFETs on, no alarms. Tests change only what they are about.

#include <cstdint>

#include "packbridge/bank/bank.hpp"
#include "packbridge/pack_reading.hpp"

namespace packbridge::testing {

inline PackReading healthy_pack(std::uint8_t address, TimePoint at) {
    PackReading r;
    r.address = address;
    r.at = at;
    r.analog.cell_mv.assign(16, 3300);
    r.analog.cell_temp_dc.assign(4, 250);
    r.analog.mosfet_temp_dc = 300;
    r.analog.ambient_temp_dc = 220;
    r.analog.voltage_mv = 52800;
    r.analog.current_ma = 1000;
    r.analog.remaining_mah = 50000;
    r.analog.full_mah = 100000;
    r.analog.design_mah = 100000;
    r.analog.cycles = 10;
    r.status.charge_mosfet_on = true;
    r.status.discharge_mosfet_on = true;
    return r;
}

// Config with round numbers and no ramp unless a test wants one: 50 A charge, 100 A discharge per
// pack, no system ceilings.
inline BatteryConfig plain_config() {
    BatteryConfig c;
    c.pack_charge_current_a = 50.0;
    c.pack_discharge_current_a = 100.0;
    c.ramp_a_per_s = 0.0;
    return c;
}

inline TimePoint at_s(double s) {
    return TimePoint{} + std::chrono::duration_cast<Duration>(std::chrono::duration<double>(s));
}

}  // namespace packbridge::testing
