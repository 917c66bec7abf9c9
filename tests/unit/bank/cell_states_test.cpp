// SPDX-License-Identifier: Apache-2.0
// The per-cell and "full" state the bank hands to the per-cell inverter protocols (issue 17:
// Pylon RS485 0x44 Status4/5 and cell states, Voltronic-485 state pairs): the bank decides, the
// codecs only encode.

#include <catch2/catch.hpp>
#include <vector>

#include "pack_builder.hpp"
#include "packbridge/bank/bank.hpp"

using namespace packbridge;
using packbridge::testing::at_s;
using packbridge::testing::healthy_pack;
using packbridge::testing::plain_config;

namespace {
Battery run_once(std::vector<PackReading> readings) {
    bank::Bank b(plain_config());
    return b.update(at_s(100), readings);
}
}  // namespace

TEST_CASE("a pack's cell over-voltage alarm marks its highest cell, and only in that pack") {
    auto a = healthy_pack(0, at_s(100));
    a.analog.cell_mv[4] = 3655;  // cell 5
    a.status.protections.set(Alarm::cell_over_voltage);
    auto b = healthy_pack(1, at_s(100));
    b.analog.cell_mv[2] = 3700;  // higher, but this pack reports no alarm
    const Battery out = run_once({a, b});
    REQUIRE(out.modules.size() == 2);
    CHECK(out.modules[0].cells_high_mask == 1U << 4);
    CHECK(out.modules[0].cells_low_mask == 0);
    CHECK(out.modules[1].cells_high_mask == 0);
}

TEST_CASE("a cell under-voltage warning marks every cell at the pack's lowest voltage") {
    auto a = healthy_pack(0, at_s(100));
    a.analog.cell_mv[0] = 2850;
    a.analog.cell_mv[15] = 2850;
    a.status.warnings.set(Alarm::cell_under_voltage);
    const Battery out = run_once({a});
    REQUIRE(out.modules.size() == 1);
    CHECK(out.modules[0].cells_low_mask == ((1U << 0) | (1U << 15)));
    CHECK(out.modules[0].cells_high_mask == 0);
}

TEST_CASE("the battery is fully charged only when every counted pack is") {
    auto a = healthy_pack(0, at_s(100));
    auto b = healthy_pack(1, at_s(100));
    a.status.fully_charged = true;
    CHECK_FALSE(run_once({a, b}).fully_charged);
    b.analog.remaining_mah = b.analog.full_mah;  // SOC 100 % counts as full too
    const Battery out = run_once({a, b});
    CHECK(out.modules[0].fully_charged);
    CHECK(out.modules[1].fully_charged);
    CHECK(out.fully_charged);
}
