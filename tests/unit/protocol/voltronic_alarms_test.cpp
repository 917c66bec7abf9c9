// SPDX-License-Identifier: Apache-2.0
// Voltronic-485 (inverter-rs485.md section 2.2): the alarm registers 0x0037-0x003C row by row,
// and the cell and temperature state pairs from the bank's real state.
#include <catch2/catch.hpp>

#include "alarm_registers.hpp"
#include "alarm_spec_rows.hpp"
#include "packbridge/protocol/inverter/rs485/voltronic_rs485.hpp"
#include "support/rs485_example.hpp"

using namespace packbridge;
using namespace packbridge::protocol;
using namespace packbridge::testing;

namespace {

std::vector<SpecBit> spec() {
    using A = Alarm;
    constexpr auto P = From::protections;
    constexpr auto W = From::warnings;
    return {
        {0x37, 3, W, "charge over-current", {A::charge_over_current}},
        {0x37, 2, W, "charge low temperature", {A::charge_under_temperature}},
        {0x37, 1, W, "cell over-voltage", {A::cell_over_voltage}},
        {0x37, 0, W, "charge over-temperature", {A::charge_over_temperature}},
        {0x38, 3, W, "cell low voltage", {A::cell_under_voltage}},
        {0x38, 2, W, "MOSFET over-temperature", {A::mosfet_over_temperature}},
        {0x38, 1, W, "discharge low temperature", {A::discharge_under_temperature}},
        {0x38, 0, W, "discharge over-temperature", {A::discharge_over_temperature}},
        {0x39, 15, P, "OCC2", {}},
        {0x39, 13, P, "CAN-ID incomplete", {}},
        {0x39, 12, P, "2nd-level OVP", {A::pack_over_voltage}},
        {0x39, 11, P, "OCC", {A::charge_over_current}},
        {0x39, 10, P, "cell OV", {A::cell_over_voltage}},
        {0x39, 9, P, "charge low temp", {A::charge_under_temperature}},
        {0x39, 8, P, "charge high temp", {A::charge_over_temperature}},
        {0x39, 7, P, "safety UV", {}},
        {0x39, 6, P, "MOSFET OT", {A::mosfet_over_temperature}},
        {0x39, 5, P, "AFE short", {}},
        {0x39, 4, P, "AFE OCD", {}},
        {0x39, 3, P, "AFE OCC", {}},
        {0x39, 2, P, "AFE comm", {}},
        {0x39, 1, P, "driver not ready", {}},
        {0x39, 0, P, "in system", {}},
        {0x3A, 3, P, "CAN-ID error", {}},
        {0x3A, 2, P, "charge short", {}},
        {0x3A, 1, P, "low-V shutdown", {}},
        {0x3A, 0, P, "shutdown by command", {}},
        {0x3B, 15, P, "low-V shutdown", {A::pack_under_voltage}},
        {0x3B, 14, P, "over-temp", {A::discharge_over_temperature}},
        {0x3B, 13, P, "low temp", {A::discharge_under_temperature}},
        {0x3B, 12, P, "OCD", {A::discharge_over_current}},
        {0x3B, 11, P, "cell UV", {A::cell_under_voltage}},
        {0x3B, 10, P, "MOSFET OT", {A::mosfet_over_temperature}},
        {0x3B, 6, P, "ID error", {}},
        {0x3B, 4, P, "AFE short", {}},
        {0x3B, 3, P, "AFE OCD", {}},
        {0x3B, 2, P, "AFE OCC", {}},
        {0x3B, 1, P, "driver", {}},
        {0x3B, 0, P, "in system", {}},
        {0x3C, 13, P, "CAN-ID", {}},
        {0x3C, 6, P, "shutdown by command", {}},
        {0x3C, 5, P, "2nd-level DHT", {}},
        {0x3C, 4, P, "2nd-level OVP", {}},
        {0x3C, 2, P, "OCD2", {}},
        {0x3C, 1, P, "short", {A::short_circuit}},
        {0x3C, 0, P, "AFE comm", {}},
    };
}

}  // namespace

TEST_CASE(
    "every Voltronic-485 alarm bit of the document's 0x0037-0x003C lists is a row of the "
    "table",
    "[alarms][voltronic]") {
    check_table_matches_spec(voltronic_alarm_fields(), spec());
}

TEST_CASE("each packbridge alarm alone raises exactly its Voltronic-485 alarm register bits",
          "[alarms][voltronic]") {
    VoltronicRs485Responder lib;
    check_each_alarm_alone(spec(), rs485_example_battery(), [&](const Battery& b) {
        const auto regs = read_registers(lib, b, 0x37, 6, 4);
        Words w;
        for (std::uint16_t i = 0; i < 6; ++i)
            w[static_cast<std::uint16_t>(0x37 + i)] = regs[i];
        return w;
    });
}

TEST_CASE("Voltronic-485 state pairs read all normal for the healthy section 0.3 battery",
          "[alarms][voltronic][state]") {
    VoltronicRs485Responder lib;
    CHECK(read_registers(lib, rs485_example_battery(), 0x40, 0x16, 4) ==
          std::vector<std::uint16_t>(0x16, 0));
}

TEST_CASE("Voltronic-485 cell state pairs carry the bank's high and low cells, two per register",
          "[alarms][voltronic][state]") {
    Battery b = rs485_example_battery();
    b.modules[0].cells_high_mask = 1U << 6;   // module 1 cell 7 over
    b.modules[2].cells_low_mask = 1U << 11;   // module 3 cell 12 under
    b.modules[1].cells_high_mask = 1U << 11;  // module 2 cell 12 over: cell 12 is both -> F0
    b.modules[1].cells_low_mask = 1U << 0;    // module 2 cell 1 under
    VoltronicRs485Responder lib;
    // 0x0040 = cells 1|2, 0x0043 = cells 7|8, 0x0045 = cells 11|12; 16 cells shown, so the
    // registers of cells 17-20 stay 0.
    CHECK(read_registers(lib, b, 0x40, 10, 4) ==
          std::vector<std::uint16_t>{0x0100, 0, 0, 0x0200, 0, 0x00F0, 0, 0, 0, 0});
}

TEST_CASE("Voltronic-485 temperature state pairs mark the sensors showing the extremes",
          "[alarms][voltronic][state]") {
    Battery b = rs485_example_battery();
    // Section 0.3: the highest temperature is shown in sensor 2 (module 1 sensor 2); the lowest
    // shares that number, so it moves to the next slot, sensor 3.
    b.protections.set(Alarm::charge_over_temperature);
    b.warnings.set(Alarm::discharge_under_temperature);
    b.warnings.set(Alarm::mosfet_over_temperature);  // sensor 6 is the MOSFET
    VoltronicRs485Responder lib;
    CHECK(read_registers(lib, b, 0x50, 6, 4) ==
          std::vector<std::uint16_t>{0x0002, 0x0100, 0x0002, 0, 0, 0});
}
