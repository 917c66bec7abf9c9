// SPDX-License-Identifier: Apache-2.0
// Pylon LV V1.2 0x359 (inverter-can.md section 1.2, tables P1, P2, A1, A2), its Sol-Ark reading
// (section 2) and Luxpower V04 (section 3, same tables), row by row.
#include <catch2/catch.hpp>

#include "alarm_spec_rows.hpp"
#include "packbridge/protocol/inverter/can/lux_can.hpp"
#include "packbridge/protocol/inverter/can/pylon_can.hpp"
#include "support/example_state.hpp"

using namespace packbridge;
using namespace packbridge::protocol;
using namespace packbridge::testing;

namespace {

const std::vector<SpecBit>& pylon_spec() {
    using A = Alarm;
    static const std::vector<SpecBit> rows = {
        {0,
         1,
         From::protections,
         "cell/module over-voltage",
         {A::cell_over_voltage, A::pack_over_voltage}},
        {0,
         2,
         From::protections,
         "cell/module under-voltage",
         {A::cell_under_voltage, A::pack_under_voltage}},
        {0,
         3,
         From::protections,
         "cell over-temperature",
         {A::charge_over_temperature, A::discharge_over_temperature, A::mosfet_over_temperature}},
        {0,
         4,
         From::protections,
         "cell under-temperature",
         {A::charge_under_temperature, A::discharge_under_temperature}},
        {0,
         7,
         From::protections,
         "discharge over-current",
         {A::discharge_over_current, A::short_circuit}},
        {1, 0, From::protections, "charge over-current", {A::charge_over_current}},
        {1, 3, From::protections, "system error", {A::internal_fault, A::bus_lost, A::quorum_lost}},
        {2,
         1,
         From::warnings,
         "cell/module high voltage",
         {A::cell_over_voltage, A::pack_over_voltage}},
        {2, 2, From::warnings, "low voltage", {A::cell_under_voltage, A::pack_under_voltage}},
        {2,
         3,
         From::warnings,
         "high temperature",
         {A::charge_over_temperature, A::discharge_over_temperature, A::mosfet_over_temperature}},
        {2,
         4,
         From::warnings,
         "low temperature",
         {A::charge_under_temperature, A::discharge_under_temperature}},
        {2, 7, From::warnings, "discharge high current", {A::discharge_over_current}},
        {3, 0, From::warnings, "charge high current", {A::charge_over_current}},
        {3, 3, From::warnings, "internal communication failure", {A::pack_lost}},
    };
    return rows;
}

std::vector<SpecBit> sol_ark_spec() {
    auto rows = pylon_spec();
    rows.back() = {3,
                   3,
                   From::protections,
                   "critical system error",
                   {Alarm::internal_fault, Alarm::bus_lost, Alarm::quorum_lost}};
    return rows;
}

Words frame_bytes(const std::vector<CanFrame>& frames, std::uint32_t id) {
    Words w;
    for (const auto& f : frames) {
        if (f.id != id) continue;
        for (std::uint16_t i = 0; i < 4; ++i)
            w[i] = f.data[i];
    }
    REQUIRE(w.size() == 4);
    return w;
}

}  // namespace

TEST_CASE("every Pylon 0x359 bit of the spec's P1/P2/A1/A2 lists is a row of the table",
          "[alarms][pylon]") {
    check_table_matches_spec(pylon_can::alarm_fields(), pylon_spec());
    check_table_matches_spec(pylon_can::alarm_fields(pylon_can::Variant::goodwe), pylon_spec());
    check_table_matches_spec(pylon_can::alarm_fields(pylon_can::Variant::sol_ark), sol_ark_spec());
}

TEST_CASE("each packbridge alarm alone raises exactly its Pylon 0x359 bits", "[alarms][pylon]") {
    for (auto variant : {pylon_can::Variant::pylon, pylon_can::Variant::goodwe}) {
        pylon_can::Options o;
        o.variant = variant;
        check_each_alarm_alone(pylon_spec(), example_battery(0), [&](const Battery& b) {
            return frame_bytes(pylon_can::encode(b, o), 0x359);
        });
    }
}

TEST_CASE("each packbridge alarm alone raises exactly its Sol-Ark 0x359 bits",
          "[alarms][pylon][solark]") {
    pylon_can::Options o;
    o.variant = pylon_can::Variant::sol_ark;
    check_each_alarm_alone(sol_ark_spec(), example_battery(0), [&](const Battery& b) {
        return frame_bytes(pylon_can::encode(b, o), 0x359);
    });
}

TEST_CASE("each packbridge alarm alone raises exactly its Luxpower 0x359 bits (Pylon's tables)",
          "[alarms][luxpower]") {
    check_each_alarm_alone(pylon_spec(), example_battery(0), [](const Battery& b) {
        return frame_bytes(lux_can::encode(b, {}), 0x359);
    });
}
