// SPDX-License-Identifier: Apache-2.0
#include "support/example_state.hpp"

#include "packbridge/bank/bank.hpp"

namespace packbridge::testing {

std::vector<PackReading> example_readings(std::uint32_t cycles, TimePoint at) {
    std::vector<PackReading> out;
    for (std::uint8_t module = 1; module <= 3; ++module) {
        PackReading r;
        r.address = static_cast<std::uint8_t>(kExampleFirstAddress + module - 1);
        r.at = at;
        PackAnalog& a = r.analog;
        a.cell_mv.assign(16, 3256);
        if (module == 1) a.cell_mv[6] = 3262;   // module 1 cell 7
        if (module == 3) a.cell_mv[11] = 3251;  // module 3 cell 12
        a.cell_temp_dc.assign(4, 253);
        if (module == 1) a.cell_temp_dc[1] = 260;  // module 1 sensor 2
        if (module == 3) a.cell_temp_dc[1] = 241;  // module 3 sensor 2
        a.mosfet_temp_dc = 253;
        a.ambient_temp_dc = 253;
        a.current_ma = -4100;
        a.voltage_mv = 52100;
        a.remaining_mah = 67000;
        a.full_mah = 100000;
        a.design_mah = 100000;
        a.cycles = cycles;
        a.soc_pct = 67;
        a.soh_pct = 98;
        r.status.charge_mosfet_on = true;
        r.status.discharge_mosfet_on = true;
        r.status.discharging = true;
        out.push_back(std::move(r));
    }
    return out;
}

BatteryConfig example_battery_config() {
    BatteryConfig c;
    c.charge_voltage_v = 56.0;
    c.discharge_voltage_v = 48.0;
    c.pack_charge_current_a = 50.0;
    c.pack_discharge_current_a = 100.0;
    c.max_charge_current_a = 100.0;
    c.max_discharge_current_a = 150.0;
    c.min_packs = 1;
    return c;
}

Battery example_battery(std::uint32_t cycles) {
    bank::Bank bank(example_battery_config());
    const TimePoint start{};
    Battery out;
    for (int s = 0; s <= 30; ++s) {
        const TimePoint now = start + seconds(s);
        const std::vector<PackReading> readings = example_readings(cycles, now);
        out = bank.update(now, readings);
    }
    return out;
}

}  // namespace packbridge::testing
