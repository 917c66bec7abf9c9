// SPDX-License-Identifier: Apache-2.0
// Limits and flags (issue 4, "Limits and flags"): which packs contribute, the tapers, ceilings,
// on_pack_block, ramping, force charge and the Pylon full-charge request.

#include "packbridge/bank/limits.hpp"

#include <catch2/catch.hpp>
#include <vector>

#include "pack_builder.hpp"
#include "packbridge/bank/bank.hpp"
#include "packbridge/bank/reasons.hpp"

using namespace packbridge;
using packbridge::testing::at_s;
using packbridge::testing::healthy_pack;
using packbridge::testing::plain_config;
using Kind = LimitReason::Kind;

namespace {
Battery run_once(const std::vector<PackReading>& readings, BatteryConfig cfg = plain_config()) {
    bank::Bank b(cfg);
    return b.update(at_s(100), readings);
}

std::vector<PackReading> packs(std::size_t n) {
    std::vector<PackReading> out;
    for (std::size_t i = 0; i < n; ++i)
        out.push_back(healthy_pack(static_cast<std::uint8_t>(i + 1), at_s(100)));
    return out;
}

bool has_reason(const Limit& l, Kind k) {
    for (const auto& r : l.reasons) {
        if (r.kind == k) return true;
    }
    return false;
}
}  // namespace

TEST_CASE("CCL and DCL are the sums of per-pack limits of accepting packs") {
    const Battery out = run_once(packs(3));
    CHECK(out.charge_current.value == 150000);
    CHECK(out.discharge_current.value == 300000);
    CHECK(out.charge_enable);
    CHECK(out.discharge_enable);
    CHECK(out.charge_voltage.value == 56000);
    CHECK(out.discharge_voltage.value == 48000);
    CHECK(bank::to_string("CVL", out.charge_voltage, true) == "CVL 56.0 V: config 56.0 V");
}

TEST_CASE("A pack with its charge MOSFET off contributes 0 to CCL but still to DCL") {
    auto p = packs(2);
    p[1].status.charge_mosfet_on = false;
    const Battery out = run_once(p);
    CHECK(out.charge_current.value == 50000);
    CHECK(out.discharge_current.value == 200000);
    CHECK(bank::to_string("CCL", out.charge_current, false) ==
          "CCL 50.0 A: charge limit of 1 pack; pack 2 charge MOSFET off");
    CHECK(out.charge_enable);
}

TEST_CASE("A pack with its discharge MOSFET off contributes 0 to DCL but still to CCL") {
    auto p = packs(2);
    p[0].status.discharge_mosfet_on = false;
    const Battery out = run_once(p);
    CHECK(out.charge_current.value == 100000);
    CHECK(out.discharge_current.value == 100000);
    CHECK(bank::to_string("DCL", out.discharge_current, false) ==
          "DCL 100.0 A: discharge limit of 1 pack; pack 1 discharge MOSFET off");
}

TEST_CASE(
    "A charge-side protection removes the pack from CCL only, a discharge-side one from DCL only") {
    auto p = packs(3);
    p[0].status.protections.set(Alarm::cell_over_voltage);
    p[1].status.protections.set(Alarm::discharge_over_current);
    p[2].status.protections.set(Alarm::cell_imbalance);  // neither side: pack keeps contributing
    const Battery out = run_once(p);
    CHECK(out.charge_current.value == 100000);
    CHECK(out.discharge_current.value == 200000);
    CHECK(bank::to_string("CCL", out.charge_current, false) ==
          "CCL 100.0 A: charge limit of 2 packs; pack 1 charge protection (cell_over_voltage)");
}

TEST_CASE("on_pack_block stop_all stops the whole side when one pack blocks") {
    auto cfg = plain_config();
    cfg.on_pack_block = OnPackBlock::stop_all;
    auto p = packs(3);
    p[2].status.charge_mosfet_on = false;
    const Battery out = run_once(p, cfg);
    CHECK(out.charge_current.value == 0);
    CHECK_FALSE(out.charge_enable);
    CHECK(out.discharge_current.value == 300000);
    CHECK(out.discharge_enable);
    CHECK(bank::to_string("CCL", out.charge_current, false) ==
          "CCL 0.0 A: pack 3 blocks charge (on_pack_block stop_all)");
}

TEST_CASE("When every pack blocks charge, charge is disabled and discharge goes on") {
    auto p = packs(2);
    p[0].status.charge_mosfet_on = false;
    p[1].status.protections.set(Alarm::charge_over_temperature);
    const Battery out = run_once(p);
    CHECK(out.charge_current.value == 0);
    CHECK_FALSE(out.charge_enable);
    CHECK(out.discharge_enable);
    CHECK_FALSE(out.safe_state);
}

TEST_CASE("The temperature table is flat outside and linear between its breakpoints") {
    const std::vector<TaperPoint> t =
        BatteryConfig{}.charge_temperature;  // 0/0 5/.5 10/1 45/1 50/0
    CHECK(bank::taper_factor(t, -20.0) == 0.0);
    CHECK(bank::taper_factor(t, 0.0) == 0.0);
    CHECK(bank::taper_factor(t, 2.5) == Approx(0.25));
    CHECK(bank::taper_factor(t, 5.0) == Approx(0.5));
    CHECK(bank::taper_factor(t, 7.5) == Approx(0.75));
    CHECK(bank::taper_factor(t, 10.0) == 1.0);
    CHECK(bank::taper_factor(t, 30.0) == 1.0);
    CHECK(bank::taper_factor(t, 45.0) == 1.0);
    CHECK(bank::taper_factor(t, 47.5) == Approx(0.5));
    CHECK(bank::taper_factor(t, 50.0) == 0.0);
    CHECK(bank::taper_factor(t, 80.0) == 0.0);
    CHECK(bank::taper_factor({}, 80.0) == 1.0);
}

TEST_CASE("A cold cell tapers CCL by the charge table while DCL follows its own table") {
    auto p = packs(2);
    p[1].analog.cell_temp_dc[3] = 25;  // 2.5 degC: charge factor 0.25, discharge factor 1
    const Battery out = run_once(p);
    CHECK(out.charge_current.value == 25000);
    CHECK(out.discharge_current.value == 200000);
    CHECK(bank::to_string("CCL", out.charge_current, false) ==
          "CCL 25.0 A: charge limit of 2 packs; pack 2 sensor 4 2.5 °C taper");
}

TEST_CASE("At 0 degC charge is blocked; the hottest sensor binds at the top of the table") {
    auto p = packs(1);
    p[0].analog.cell_temp_dc[0] = 0;  // charge factor 0, discharge factor 1
    Battery out = run_once(p);
    CHECK(out.charge_current.value == 0);
    CHECK_FALSE(out.charge_enable);
    CHECK(has_reason(out.charge_current, Kind::temperature_block));
    CHECK(out.discharge_current.value == 100000);

    p[0].analog.cell_temp_dc[0] = 250;
    p[0].analog.cell_temp_dc[2] = 550;  // 55 degC: charge blocked (>= 50), discharge 0.5 (50..60)
    out = run_once(p);
    CHECK(out.charge_current.value == 0);
    CHECK(out.discharge_current.value == 50000);
    CHECK(has_reason(out.discharge_current, Kind::temperature_taper));
}

TEST_CASE("The highest cell tapers CCL linearly from the start voltage to zero at the maximum") {
    CHECK(bank::cell_charge_factor(3449, 3450, 3600) == 1.0);
    CHECK(bank::cell_charge_factor(3450, 3450, 3600) == 1.0);
    CHECK(bank::cell_charge_factor(3525, 3450, 3600) == Approx(0.5));
    CHECK(bank::cell_charge_factor(3600, 3450, 3600) == 0.0);
    CHECK(bank::cell_charge_factor(3700, 3450, 3600) == 0.0);

    auto p = packs(2);
    p[1].analog.cell_mv[2] = 3525;
    Battery out = run_once(p);
    CHECK(out.charge_current.value == 50000);
    CHECK(out.discharge_current.value == 200000);
    CHECK(bank::to_string("CCL", out.charge_current, false) ==
          "CCL 50.0 A: charge limit of 2 packs; pack 2 cell 3 3.525 V taper");

    p[1].analog.cell_mv[2] = 3450;
    CHECK(run_once(p).charge_current.value == 100000);
    p[1].analog.cell_mv[2] = 3600;
    out = run_once(p);
    CHECK(out.charge_current.value == 0);
    CHECK(bank::to_string("CCL", out.charge_current, false) ==
          "CCL 0.0 A: charge limit of 2 packs; pack 2 cell 3 3.600 V at limit");
}

TEST_CASE("The lowest cell tapers DCL linearly from the start voltage to zero at the minimum") {
    CHECK(bank::cell_discharge_factor(3050, 3050, 2900) == 1.0);
    CHECK(bank::cell_discharge_factor(2975, 3050, 2900) == Approx(0.5));
    CHECK(bank::cell_discharge_factor(2900, 3050, 2900) == 0.0);

    auto p = packs(2);
    p[0].analog.cell_mv[9] = 2975;
    Battery out = run_once(p);
    CHECK(out.discharge_current.value == 100000);
    CHECK(out.charge_current.value == 100000);
    CHECK(has_reason(out.discharge_current, Kind::cell_voltage_taper));
    p[0].analog.cell_mv[9] = 3050;
    CHECK(run_once(p).discharge_current.value == 200000);
    p[0].analog.cell_mv[9] = 2900;
    out = run_once(p);
    CHECK(out.discharge_current.value == 0);
    CHECK_FALSE(out.discharge_enable);
}

TEST_CASE("System ceilings cap the sums only when they bind") {
    auto cfg = plain_config();
    cfg.max_charge_current_a = 120.0;
    cfg.max_discharge_current_a = 500.0;
    const Battery out = run_once(packs(3), cfg);
    CHECK(out.charge_current.value == 120000);
    CHECK(has_reason(out.charge_current, Kind::config_ceiling));
    CHECK(out.discharge_current.value == 300000);
    CHECK_FALSE(has_reason(out.discharge_current, Kind::config_ceiling));
}

TEST_CASE("Increases are ramped at ramp_a_per_s while decreases are immediate") {
    auto cfg = plain_config();
    cfg.ramp_a_per_s = 10.0;
    bank::Bank b(cfg);
    auto p = packs(2);
    auto step = [&](double t) {
        for (auto& r : p)
            r.at = at_s(t);
        return b.update(at_s(t), p);
    };
    Battery out = step(0);
    CHECK(out.charge_current.value == 0);  // starts from zero
    CHECK(bank::to_string("CCL", out.charge_current, false) ==
          "CCL 0.0 A: charge limit of 2 packs; ramping up to 100.0 A");
    out = step(1);
    CHECK(out.charge_current.value == 10000);
    CHECK(out.discharge_current.value == 10000);
    out = step(3.5);
    CHECK(out.charge_current.value == 35000);
    out = step(20);
    CHECK(out.charge_current.value == 100000);
    CHECK(out.discharge_current.value == 200000);
    CHECK_FALSE(has_reason(out.charge_current, Kind::ramp));

    p[0].status.charge_mosfet_on = false;  // target halves: drop at once
    out = step(20.1);
    CHECK(out.charge_current.value == 50000);
    p[0].status.charge_mosfet_on = true;  // target back up: ramp again, 1 A in 0.1 s
    out = step(20.2);
    CHECK(out.charge_current.value == 51000);
}

TEST_CASE("Force charge is requested at the threshold and released with hysteresis") {
    auto cfg = plain_config();  // request at <= 5 %, release at >= 10 %
    bank::Bank b(cfg);
    auto p = packs(1);
    auto at_soc = [&](std::uint32_t remaining_mah, double t) {
        p[0].analog.remaining_mah = remaining_mah;
        p[0].at = at_s(t);
        return b.update(at_s(t), p).force_charge;
    };
    CHECK_FALSE(at_soc(6000, 1));
    CHECK(at_soc(5000, 2));
    CHECK(at_soc(7000, 3));
    CHECK(at_soc(9990, 4));
    CHECK_FALSE(at_soc(10000, 5));
    CHECK_FALSE(at_soc(7000, 6));
}

TEST_CASE("The Pylon full-charge request is set after 30 days below 97 % and cleared at 97 %") {
    auto cfg = plain_config();
    cfg.full_charge_request = true;
    bank::Bank b(cfg);
    auto p = packs(1);
    const double day = 86400.0;
    auto at_soc = [&](std::uint32_t remaining_mah, double t) {
        p[0].analog.remaining_mah = remaining_mah;
        p[0].at = at_s(t);
        return b.update(at_s(t), p).full_charge_request;
    };
    CHECK_FALSE(at_soc(50000, 0));
    CHECK_FALSE(at_soc(96000, 29 * day));
    CHECK(at_soc(96000, 30 * day));
    CHECK(at_soc(96900, 31 * day));
    CHECK_FALSE(at_soc(97000, 32 * day));  // reached 97 %: cleared and timer restarted
    CHECK_FALSE(at_soc(60000, 61 * day));
    CHECK(at_soc(60000, 62 * day));

    cfg.full_charge_request = false;  // the rule only shows when enabled
    bank::Bank off(cfg);
    p[0].analog.remaining_mah = 50000;
    p[0].at = at_s(0);
    (void)off.update(at_s(0), p);
    p[0].at = at_s(40 * day);
    CHECK_FALSE(off.update(at_s(40 * day), p).full_charge_request);
}

TEST_CASE("Limit reasons render as the issue shows them") {
    Limit l;
    l.value = 37500;
    l.reasons.push_back({Kind::pack_mosfet_off, 3, 0, 0, LimitReason::Side::charge});
    l.reasons.push_back({Kind::cell_voltage_taper, 5, 3, 3512, LimitReason::Side::charge});
    CHECK(bank::to_string("CCL", l, false) ==
          "CCL 37.5 A: pack 3 charge MOSFET off; pack 5 cell 3 3.512 V taper");
    CHECK(to_string(LimitReason{Kind::quorum_lost, 0xFF, 0, 1, {}}, false) ==
          "quorum lost (1 fresh pack)");
    CHECK(to_string(LimitReason{Kind::comms_lost, 0xFF, 0, 31, {}}, false) ==
          "no fresh pack for 31 s");
    CHECK(to_string(LimitReason{Kind::temperature_block, 2, 1, -15, LimitReason::Side::charge},
                    false) == "pack 2 sensor 1 -1.5 °C blocks");
    CHECK(to_string(LimitReason{Kind::config_ceiling, 0xFF, 0, 56000, {}}, true) ==
          "config 56.0 V");
    CHECK(to_string(LimitReason{Kind::full, 0xFF, 0, 0, {}}, false) == "battery full");
    CHECK(bank::format_milli(12345, false) == "12.3 A");
    CHECK(bank::format_milli(12350, false) == "12.4 A");
    CHECK(bank::to_string("DCL", Limit{}, false) == "DCL 0.0 A");
}
