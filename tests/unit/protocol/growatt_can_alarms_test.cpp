// SPDX-License-Identifier: Apache-2.0
// Growatt LV V1.04 0x312 (inverter-can.md section 5.3, tables G1-G4), row by row.
#include <catch2/catch.hpp>

#include "alarm_spec_rows.hpp"
#include "packbridge/protocol/inverter/can/growatt_can.hpp"
#include "support/example_state.hpp"

using namespace packbridge;
using namespace packbridge::protocol;
using namespace packbridge::testing;

namespace {

std::vector<SpecBit> spec() {
    using A = Alarm;
    constexpr auto P = From::protections;
    constexpr auto W = From::warnings;
    const std::vector<Alarm> charge_hot = {A::charge_over_temperature, A::mosfet_over_temperature};
    const std::vector<Alarm> discharge_hot = {A::discharge_over_temperature,
                                              A::mosfet_over_temperature};
    return {
        {0, 0, P, "soft-start fail", {}},
        {0, 1, P, "module under-voltage", {A::pack_under_voltage}},
        {0, 2, P, "module over-voltage", {A::pack_over_voltage}},
        {0, 3, P, "cell under-voltage", {A::cell_under_voltage}},
        {0, 4, P, "cell over-voltage", {A::cell_over_voltage}},
        {0, 5, P, "short-circuit on discharge", {A::short_circuit}},
        {0, 6, P, "charge over-current", {A::charge_over_current}},
        {0, 7, P, "discharge over-current", {A::discharge_over_current}},
        {1, 2, P, "delta-V fail", {A::cell_imbalance}},
        {1, 3, P, "system error", {A::internal_fault, A::bus_lost, A::quorum_lost}},
        {1, 4, P, "under-temperature while charging", {A::charge_under_temperature}},
        {1, 5, P, "under-temperature while discharging", {A::discharge_under_temperature}},
        {1, 6, P, "over-temperature while charging", charge_hot},
        {1, 7, P, "over-temperature while discharging", discharge_hot},
        {2, 1, W, "module under-voltage", {A::pack_under_voltage}},
        {2, 2, W, "module over-voltage", {A::pack_over_voltage}},
        {2, 3, W, "cell under-voltage", {A::cell_under_voltage}},
        {2, 4, W, "cell over-voltage", {A::cell_over_voltage}},
        {2, 6, W, "charge over-current", {A::charge_over_current}},
        {2, 7, W, "discharge over-current", {A::discharge_over_current}},
        {3, 0, W, "internal communication fail", {A::pack_lost}},
        {3, 1, W, "pack about to turn off", {}},
        {3, 2, W, "delta-V fail", {A::cell_imbalance}},
        {3, 4, W, "under-temperature while charging", {A::charge_under_temperature}},
        {3, 5, W, "under-temperature while discharging", {A::discharge_under_temperature}},
        {3, 6, W, "over-temperature while charging", charge_hot},
        {3, 7, W, "over-temperature while discharging", discharge_hot},
    };
}

}  // namespace

TEST_CASE("every Growatt 0x312 bit of the spec's G1-G4 lists is a row of the table",
          "[alarms][growatt]") {
    check_table_matches_spec(growatt_can::alarm_fields(), spec());
}

TEST_CASE("each packbridge alarm alone raises exactly its Growatt 0x312 bits",
          "[alarms][growatt]") {
    check_each_alarm_alone(spec(), example_battery(0), [](const Battery& b) {
        Words w;
        for (const auto& f : growatt_can::encode(b, {})) {
            if (f.id != 0x312) continue;
            for (std::uint16_t i = 0; i < 4; ++i)
                w[i] = f.data[i];
        }
        return w;
    });
}

TEST_CASE("a Growatt protection sets the 0x311 status word's error bit, a warning does not",
          "[alarms][growatt]") {
    auto status = [](const Battery& b) {
        for (const auto& f : growatt_can::encode(b, {})) {
            if (f.id == 0x311) return static_cast<unsigned>((f.data[6] << 8) | f.data[7]);
        }
        return 0xFFFFU;
    };
    Battery b = example_battery(0);
    CHECK((status(b) & growatt_can::kStatusErrorValid) == 0);
    b.warnings.set(Alarm::cell_over_voltage);
    CHECK((status(b) & growatt_can::kStatusErrorValid) == 0);
    b.protections.set(Alarm::cell_over_voltage);
    CHECK((status(b) & growatt_can::kStatusErrorValid) != 0);
}
