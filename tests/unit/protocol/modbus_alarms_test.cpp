// SPDX-License-Identifier: Apache-2.0
// The register-map protocols: Growatt BMS RS485 V2.02 (inverter-rs485.md section 4.2: 0x0014,
// 0x0022, 0x0024) and the PACE Modbus V1.3 map of the SRNE "pace-modbus" variant (section 3.1:
// registers 9, 10 and the fault bits of 11), row by row through FC03 reads.
#include <catch2/catch.hpp>

#include "alarm_registers.hpp"
#include "alarm_spec_rows.hpp"
#include "packbridge/protocol/inverter/rs485/growatt_rs485.hpp"
#include "packbridge/protocol/inverter/rs485/srne_rs485.hpp"
#include "support/rs485_example.hpp"

using namespace packbridge;
using namespace packbridge::protocol;
using namespace packbridge::testing;

namespace {

using A = Alarm;
constexpr auto P = From::protections;
constexpr auto W = From::warnings;

std::vector<SpecBit> growatt_spec() {
    return {
        {0x14, 0, P, "over-current discharge", {A::discharge_over_current}},
        {0x14, 1, P, "short circuit", {A::short_circuit}},
        {0x14, 2, P, "over-voltage", {A::cell_over_voltage, A::pack_over_voltage}},
        {0x14, 3, P, "under-voltage", {A::cell_under_voltage, A::pack_under_voltage}},
        {0x14, 4, P, "over-temp discharge", {A::discharge_over_temperature}},
        {0x14, 5, P, "over-temp charge", {A::charge_over_temperature}},
        {0x14, 6, P, "under-temp discharge", {A::discharge_under_temperature}},
        {0x14, 7, P, "under-temp charge", {A::charge_under_temperature}},
        {0x14, 8, P, "soft-start fail", {}},
        {0x14, 9, P, "permanent fault", {A::internal_fault}},
        {0x14, 10, P, "delta-V fail", {A::cell_imbalance}},
        {0x14, 11, P, "over-current charge", {A::charge_over_current}},
        {0x14, 12, P, "MOSFET over-temp", {A::mosfet_over_temperature}},
        {0x14, 13, P, "env over-temp", {A::ambient_over_temperature}},
        {0x14, 14, P, "env under-temp", {A::ambient_under_temperature}},
        {0x22, 0, W, "cell OV", {A::cell_over_voltage}},
        {0x22, 1, W, "cell UV", {A::cell_under_voltage}},
        {0x22, 2, W, "pack OV", {A::pack_over_voltage}},
        {0x22, 3, W, "pack UV", {A::pack_under_voltage}},
        {0x22, 4, W, "discharge OC", {A::discharge_over_current}},
        {0x22, 5, W, "charge OC", {A::charge_over_current}},
        {0x22, 6, W, "discharge high T", {A::discharge_over_temperature}},
        {0x22, 7, W, "discharge low T", {A::discharge_under_temperature}},
        {0x22, 8, W, "charge high T", {A::charge_over_temperature}},
        {0x22, 9, W, "charge low T", {A::charge_under_temperature}},
        {0x22, 10, W, "MOSFET high T", {A::mosfet_over_temperature}},
        {0x22, 11, W, "env high T", {A::ambient_over_temperature}},
        {0x22, 12, W, "env low T", {A::ambient_under_temperature}},
        {0x22, 13, W, "pre-shutdown low voltage", {}},
        {0x24, 0, P, "DIP mismatch between modules", {}},
        {0x24, 1, P, "firmware mismatch", {}},
        {0x24, 2, P, "no SN", {}},
        {0x24, 3, P, "LMU comm lost (master)", {}},
        {0x24, 4, P, "LMU comm lost (slave)", {}},
    };
}

std::vector<SpecBit> pace_spec() {
    std::vector<SpecBit> rows;
    // Registers 9 and 10 share b0-b5 and the temperature bits b8-b11.
    const std::vector<std::pair<std::uint8_t, std::pair<const char*, Alarm>>> common = {
        {0, {"cell OV", A::cell_over_voltage}},
        {1, {"cell UV", A::cell_under_voltage}},
        {2, {"pack OV", A::pack_over_voltage}},
        {3, {"pack UV", A::pack_under_voltage}},
        {4, {"charge OC", A::charge_over_current}},
        {5, {"discharge OC", A::discharge_over_current}},
        {8, {"charge high T", A::charge_over_temperature}},
        {9, {"discharge high T", A::discharge_over_temperature}},
        {10, {"charge low T", A::charge_under_temperature}},
        {11, {"discharge low T", A::discharge_under_temperature}},
    };
    for (const auto& [bit, what] : common) {
        rows.push_back({9, bit, W, what.first, {what.second}});
        rows.push_back({10, bit, P, what.first, {what.second}});
    }
    const std::vector<SpecBit> own = {
        {9, 12, W, "env high T", {A::ambient_over_temperature}},
        {9, 13, W, "env low T", {A::ambient_under_temperature}},
        {9, 14, W, "MOSFET high T", {A::mosfet_over_temperature}},
        {9, 15, W, "SOC low", {A::low_soc}},
        {10, 6, P, "short circuit", {A::short_circuit}},
        {10, 7, P, "charger OV", {}},
        {10, 12, P, "MOSFET OT", {A::mosfet_over_temperature}},
        {10, 13, P, "env high T", {A::ambient_over_temperature}},
        {10, 14, P, "env low T", {A::ambient_under_temperature}},
        {11, 0, P, "charge MOSFET fault", {}},
        {11, 1, P, "discharge MOSFET fault", {}},
        {11, 2, P, "temp sensor fault", {}},
        {11, 4, P, "cell fault", {A::internal_fault}},
        {11, 5, P, "AFE comm fault", {}},
    };
    rows.insert(rows.end(), own.begin(), own.end());
    return rows;
}

}  // namespace

TEST_CASE(
    "every Growatt RS485 alarm bit of the document's 0x0014/0x0022/0x0024 lists is a row "
    "of the table",
    "[alarms][growatt485]") {
    check_table_matches_spec(growatt_rs485_alarm_fields(), growatt_spec());
}

TEST_CASE("each packbridge alarm alone raises exactly its Growatt RS485 register bits",
          "[alarms][growatt485]") {
    GrowattRs485Responder growatt;
    check_each_alarm_alone(growatt_spec(), rs485_example_battery(), [&](const Battery& b) {
        const auto r = read_registers(growatt, b, 0x14, 0x11);
        // 0x0022's b14-15 are the chemistry (00 = LFP), part of the word as sent.
        return Words{{0x14, r[0]}, {0x22, r[0x22 - 0x14]}, {0x24, r[0x24 - 0x14]}};
    });
}

TEST_CASE(
    "every PACE Modbus alarm bit of the map's registers 9, 10 and 11 is a row of the "
    "SRNE pace-modbus table",
    "[alarms][srne]") {
    check_table_matches_spec(pace_modbus_alarm_fields(), pace_spec());
}

TEST_CASE("each packbridge alarm alone raises exactly its SRNE pace-modbus register bits",
          "[alarms][srne]") {
    PaceModbusResponder pace;
    check_each_alarm_alone(pace_spec(), rs485_example_battery(), [&](const Battery& b) {
        const auto r = read_registers(pace, b, 9, 3);
        // Register 11's b8-b15 are state (charging, discharging, MOSFETs), not alarms.
        return Words{{9, r[0]}, {10, r[1]}, {11, r[2] & 0x00FFU}};
    });
}
