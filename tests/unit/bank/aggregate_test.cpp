// SPDX-License-Identifier: Apache-2.0
// Aggregation rules (issue 4, "Aggregation"): who counts, and how each measured value combines.

#include <catch2/catch.hpp>
#include <utility>
#include <vector>

#include "pack_builder.hpp"
#include "packbridge/bank/bank.hpp"

using namespace packbridge;
using packbridge::testing::at_s;
using packbridge::testing::healthy_pack;
using packbridge::testing::plain_config;

namespace {
Battery run_once(std::vector<PackReading> readings, BatteryConfig cfg = plain_config(),
                 TimePoint now = at_s(100)) {
    bank::Bank b(cfg);
    return b.update(now, readings);
}
}  // namespace

TEST_CASE("SOC of two packs of different capacity is capacity weighted") {
    auto a = healthy_pack(0, at_s(100));
    a.analog.remaining_mah = 90000;  // 90 % of 100 Ah
    a.analog.full_mah = 100000;
    auto b = healthy_pack(1, at_s(100));
    b.analog.remaining_mah = 50000;  // 25 % of 200 Ah
    b.analog.full_mah = 200000;
    const Battery out = run_once({a, b});
    // 140 / 300 = 46.67 %, not the plain mean 57.5 %.
    CHECK(out.soc_centi == 4667);
    CHECK(out.remaining_mah == 140000);
    CHECK(out.full_mah == 300000);
}

TEST_CASE("SOC is clamped to 100 % when a pack reports more remaining than full") {
    auto a = healthy_pack(0, at_s(100));
    a.analog.remaining_mah = 120000;
    CHECK(run_once({a}).soc_centi == 10000);
}

TEST_CASE("SOH is weighted by design capacity and falls back to full over design") {
    auto a = healthy_pack(0, at_s(100));
    a.analog.soh_pct = 100;
    a.analog.design_mah = 100000;
    auto b = healthy_pack(1, at_s(100));
    b.analog.soh_pct.reset();  // no SOH field: 240 Ah of 300 Ah = 80 %
    b.analog.design_mah = 300000;
    b.analog.full_mah = 240000;
    const Battery out = run_once({a, b});
    CHECK(out.soh_centi == (100 * 10000 + 300 * 8000) / 400);
    REQUIRE(out.modules.size() == 2);
    CHECK(out.modules[1].soh_centi == 8000);
}

TEST_CASE("Voltage is the mean, current the sum, cycles the maximum of counted packs") {
    auto a = healthy_pack(0, at_s(100));
    a.analog.voltage_mv = 52000;
    a.analog.current_ma = -3000;
    a.analog.cycles = 7;
    auto b = healthy_pack(1, at_s(100));
    b.analog.voltage_mv = 52101;
    b.analog.current_ma = 5500;
    b.analog.cycles = 300;
    const Battery out = run_once({a, b});
    CHECK(out.voltage_mv == 52051);  // 52050.5 rounded
    CHECK(out.current_ma == 2500);
    CHECK(out.cycles == 300);
    CHECK(out.packs_counted == 2);
}

TEST_CASE("A stale pack is excluded while a fresh one is kept") {
    auto fresh = healthy_pack(0, at_s(95));  // 5 s old, stale_after 10 s
    auto stale = healthy_pack(1, at_s(89));  // 11 s old
    stale.analog.voltage_mv = 60000;
    stale.analog.cell_mv[0] = 3650;
    stale.analog.cell_temp_dc[0] = 700;
    stale.analog.current_ma = 90000;
    stale.status.protections.set(Alarm::short_circuit);
    const Battery out = run_once({fresh, stale});
    CHECK(out.packs_counted == 1);
    CHECK(out.packs_known == 2);
    CHECK(out.voltage_mv == 52800);
    CHECK(out.current_ma == 1000);
    CHECK(out.cell_max_mv == 3300);
    CHECK(out.temp_max_dc == 250);
    CHECK_FALSE(out.protections.test(Alarm::short_circuit));
    CHECK(out.warnings.test(Alarm::pack_lost));
    REQUIRE(out.modules.size() == 1);
    CHECK(out.modules[0].address == 0);
    CHECK(out.charge_current.value == 50000);  // only the fresh pack's share
}

TEST_CASE("A reading exactly stale_after old no longer counts") {
    auto r = healthy_pack(0, at_s(90));
    CHECK(run_once({r}).packs_counted == 0);
    r.at = at_s(90.001);
    CHECK(run_once({r}).packs_counted == 1);
}

TEST_CASE("An offline pack does not count even with a fresh reading, nor does an empty slot") {
    const auto a = healthy_pack(0, at_s(100));
    const auto b = healthy_pack(1, at_s(100));
    auto empty = healthy_pack(2, at_s(100));
    empty.analog.voltage_mv = 0;
    std::fill(empty.analog.cell_mv.begin(), empty.analog.cell_mv.end(), 0);
    const bank::PackSample samples[] = {
        {0, true, &a}, {1, false, &b}, {2, true, &empty}, {3, true, nullptr}};
    bank::Bank bk(plain_config());
    const Battery out = bk.update(at_s(100), samples);
    CHECK(out.packs_counted == 1);
    CHECK(out.packs_known == 4);
    CHECK(out.warnings.test(Alarm::pack_lost));
}

TEST_CASE("Temperatures span all cell sensors with locations; MOSFET and ambient stay apart") {
    auto a = healthy_pack(4, at_s(100));
    a.analog.cell_temp_dc = {200, 210, 220, 230};
    a.analog.mosfet_temp_dc = 650;  // hot MOSFET: not a cell temperature
    a.analog.ambient_temp_dc = -50;
    auto b = healthy_pack(2, at_s(100));
    b.analog.cell_temp_dc = {300, 190, 250};
    b.analog.mosfet_temp_dc = 400;
    b.analog.ambient_temp_dc = 180;
    const Battery out = run_once({a, b});
    CHECK(out.temp_max_dc == 300);
    CHECK(out.temp_max_at.pack == 2);
    CHECK(out.temp_max_at.index == 1);
    CHECK(out.temp_max_at.global == 1);  // pack 2 comes first by address
    CHECK(out.temp_min_dc == 190);
    CHECK(out.temp_min_at.pack == 2);
    CHECK(out.temp_min_at.index == 2);
    CHECK(out.temp_mean_dc == 229);  // 1600 / 7 = 228.57
    CHECK(out.has_mosfet_temp);
    CHECK(out.mosfet_temp_max_dc == 650);
    CHECK(out.has_ambient_temp);
    CHECK(out.ambient_temp_dc == 180);
}

TEST_CASE("A negative mean temperature rounds half away from zero") {
    auto a = healthy_pack(0, at_s(100));
    a.analog.cell_temp_dc = {-10, -15};  // -12.5 -> -13
    CHECK(run_once({a}).temp_mean_dc == -13);
}

TEST_CASE("Cell extremes carry pack, cell and global position; spread and counts follow") {
    auto a = healthy_pack(1, at_s(100));
    a.analog.cell_mv[15] = 3400;
    auto b = healthy_pack(0, at_s(100));
    b.analog.cell_mv.resize(15);
    b.analog.cell_mv[2] = 3200;
    const Battery out = run_once({a, b});
    CHECK(out.cell_max_mv == 3400);
    CHECK(out.cell_max_at.pack == 1);
    CHECK(out.cell_max_at.index == 16);
    CHECK(out.cell_max_at.global == 31);
    CHECK(out.cell_min_mv == 3200);
    CHECK(out.cell_min_at.pack == 0);
    CHECK(out.cell_min_at.index == 3);
    CHECK(out.cell_min_at.global == 3);
    CHECK(out.cells_total == 31);
    CHECK(out.cells_per_module == 0);  // 15 and 16 cells: no common count
}

TEST_CASE("Alarms are a union over counted packs with warnings and protections apart") {
    auto a = healthy_pack(0, at_s(100));
    a.status.warnings.set(Alarm::cell_imbalance);
    auto b = healthy_pack(1, at_s(100));
    b.status.protections.set(Alarm::cell_over_voltage);
    b.status.warnings.set(Alarm::low_soc);
    const Battery out = run_once({a, b});
    CHECK(out.warnings.test(Alarm::cell_imbalance));
    CHECK(out.warnings.test(Alarm::low_soc));
    CHECK_FALSE(out.warnings.test(Alarm::cell_over_voltage));
    CHECK(out.protections.test(Alarm::cell_over_voltage));
    CHECK_FALSE(out.protections.test(Alarm::cell_imbalance));
    CHECK_FALSE(out.warnings.test(Alarm::pack_lost));
}

TEST_CASE("Each module says which side its pack blocks, from its MOSFETs and its protections") {
    auto healthy = healthy_pack(0, at_s(100));
    auto charge_off = healthy_pack(1, at_s(100));
    charge_off.status.charge_mosfet_on = false;
    auto under_voltage = healthy_pack(2, at_s(100));
    under_voltage.status.protections.set(Alarm::cell_under_voltage);
    auto short_circuit = healthy_pack(3, at_s(100));
    short_circuit.status.protections.set(Alarm::short_circuit);
    auto warned = healthy_pack(4, at_s(100));
    warned.status.warnings.set(Alarm::cell_over_voltage);  // a warning blocks nothing
    const Battery out = run_once({healthy, charge_off, under_voltage, short_circuit, warned});
    REQUIRE(out.modules.size() == 5);
    const auto blocks = [&](std::size_t i) {
        return std::pair{out.modules[i].blocks_charge, out.modules[i].blocks_discharge};
    };
    CHECK(blocks(0) == std::pair{false, false});
    CHECK(blocks(1) == std::pair{true, false});
    CHECK(blocks(2) == std::pair{false, true});
    CHECK(blocks(3) == std::pair{true, true});
    CHECK(blocks(4) == std::pair{false, false});
}
