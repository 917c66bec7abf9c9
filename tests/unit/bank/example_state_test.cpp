// SPDX-License-Identifier: Apache-2.0
// The example state of inverter-can.md / inverter-rs485.md section 0.3, reproduced by the real
// bank from three pack readings. Every field of the spec's table is checked here, because the
// encoders' byte-exact vectors are fed from this output.

#include "support/example_state.hpp"

#include <catch2/catch.hpp>

#include "packbridge/bank/reasons.hpp"

using namespace packbridge;

TEST_CASE("The example state of the inverter specs reproduces from three pack readings") {
    const Battery b = testing::example_battery(123);

    CHECK_FALSE(b.safe_state);
    CHECK(b.transmit);
    CHECK(b.packs_counted == 3);
    CHECK(b.packs_known == 3);
    CHECK(b.voltage_mv == 52100);   // 52.10 V
    CHECK(b.current_ma == -12300);  // -12.3 A
    CHECK(b.soc_centi == 6700);
    CHECK(b.soc_pct() == 67);
    CHECK(b.soh_centi == 9800);
    CHECK(b.soh_pct() == 98);
    CHECK(b.remaining_mah == 201000);
    CHECK(b.full_mah == 300000);
    CHECK(b.design_mah == 300000);
    CHECK(b.cycles == 123);

    CHECK(b.temp_mean_dc == 253);  // 25.3 degC: (260 + 241 + 10 x 253) / 12 = 252.6 -> 253
    CHECK(b.temp_max_dc == 260);
    CHECK(b.temp_min_dc == 241);
    CHECK(b.temp_max_at.pack == 1);
    CHECK(b.temp_max_at.index == 2);
    CHECK(b.temp_max_at.global == 2);
    CHECK(b.temp_min_at.pack == 3);
    CHECK(b.temp_min_at.index == 2);
    CHECK(b.temp_min_at.global == 10);
    CHECK(b.has_mosfet_temp);
    CHECK(b.mosfet_temp_max_dc == 253);

    CHECK(b.cell_max_mv == 3262);
    CHECK(b.cell_min_mv == 3251);
    CHECK(b.cell_max_mv - b.cell_min_mv == 11);
    CHECK(b.cell_max_at.pack == 1);
    CHECK(b.cell_max_at.index == 7);
    CHECK(b.cell_max_at.global == 7);
    CHECK(b.cell_min_at.pack == 3);
    CHECK(b.cell_min_at.index == 12);
    CHECK(b.cell_min_at.global == 44);
    CHECK(b.cells_total == 48);
    CHECK(b.cells_per_module == 16);

    CHECK(b.charge_voltage.value == 56000);
    CHECK(b.discharge_voltage.value == 48000);
    CHECK(b.charge_current.value == 100000);
    CHECK(b.discharge_current.value == 150000);
    CHECK(b.charge_enable);
    CHECK(b.discharge_enable);
    CHECK_FALSE(b.force_charge);
    CHECK_FALSE(b.full_charge_request);
    CHECK(b.warnings.none());
    CHECK(b.protections.none());

    CHECK(bank::to_string("CCL", b.charge_current, false) ==
          "CCL 100.0 A: charge limit of 3 packs; config 100.0 A");
    CHECK(bank::to_string("DCL", b.discharge_current, false) ==
          "DCL 150.0 A: discharge limit of 3 packs; config 150.0 A");

    REQUIRE(b.modules.size() == 3);
    for (std::size_t i = 0; i < 3; ++i) {
        const Module& m = b.modules[i];
        CHECK(m.address == i + 1);
        CHECK(m.voltage_mv == 52100);
        CHECK(m.current_ma == -4100);
        CHECK(m.remaining_mah == 67000);
        CHECK(m.full_mah == 100000);
        CHECK(m.soc_centi == 6700);
        CHECK(m.soh_centi == 9800);
        CHECK(m.cycles == 123);
        CHECK(m.cell_mv.size() == 16);
        CHECK(m.charge_mosfet_on);
        CHECK(m.discharge_mosfet_on);
    }
}

TEST_CASE("The example state carries the cycle count it is given (CAN spec 0, RS485 spec 123)") {
    CHECK(testing::example_battery(0).cycles == 0);
    CHECK(testing::example_battery(123).cycles == 123);
}
