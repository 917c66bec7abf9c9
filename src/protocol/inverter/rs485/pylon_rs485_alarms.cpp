// SPDX-License-Identifier: Apache-2.0
// The alarm tables of Pylon LV RS485 (inverter-rs485.md section 1.4): 0x44 Status1 (the
// protections of one module or of the aggregate) and 0x62 alarm1, alarm2 (warnings), protect1,
// protect2 (protections). Bits the spec leaves undefined (Status1 b3; alarm1 b1; alarm2 b0-b3;
// protect1 b0-b1; protect2 b0-b2, b4, b7) have no row and are never set.
#include <array>

#include "packbridge/protocol/inverter/rs485/pylon_rs485.hpp"

namespace packbridge::protocol {
namespace {

using namespace alarm_table;

constexpr AlarmSet kCellHot =
    alarms({Alarm::charge_over_temperature, Alarm::discharge_over_temperature});
constexpr AlarmSet kCellCold =
    alarms({Alarm::charge_under_temperature, Alarm::discharge_under_temperature});

constexpr Bit kStatus1[] = {
    // No bit for the cells: a cell over-voltage protection is the module's over-voltage too.
    {0, "module over-voltage", alarms({Alarm::pack_over_voltage, Alarm::cell_over_voltage})},
    {1, "cell under-voltage", Alarm::cell_under_voltage},
    {2, "charge over-current", Alarm::charge_over_current},
    // A short circuit is the extreme discharge over-current; a hot MOSFET stops both sides.
    {4, "discharge over-current", alarms({Alarm::discharge_over_current, Alarm::short_circuit})},
    {5, "discharge over-temperature",
     alarms({Alarm::discharge_over_temperature, Alarm::mosfet_over_temperature})},
    {6, "charge over-temperature",
     alarms({Alarm::charge_over_temperature, Alarm::mosfet_over_temperature})},
    {7, "module under-voltage", Alarm::pack_under_voltage},
};

constexpr Bit kAlarm1[] = {
    {0, "cell-difference", Alarm::cell_imbalance},
};
// The spec gives alarm1 and protect1 the same bits 2-7.
constexpr Bit kAlarm1AndProtect1[] = {
    {2, "cell under-temperature", kCellCold},
    {3, "cell over-temperature", kCellHot},
    {4, "cell under-voltage", Alarm::cell_under_voltage},
    {5, "cell over-voltage", Alarm::cell_over_voltage},
    {6, "total under-voltage", Alarm::pack_under_voltage},
    {7, "total over-voltage", Alarm::pack_over_voltage},
};
constexpr Bit kAlarm2[] = {
    // A pack that stopped answering is the gateway's internal link to that module failing.
    {4, "internal communication fail", Alarm::pack_lost},
    {5, "discharge over-current", Alarm::discharge_over_current},
    {6, "charge over-current", Alarm::charge_over_current},
    {7,
     "temperature-difference",
     {},
     "no pack reports a temperature-difference alarm that packbridge keeps"},
};
constexpr Bit kProtect2[] = {
    // Faults without a bit of their own, and the gateway's safe-state alarms.
    {3, "other/system fault",
     alarms({Alarm::internal_fault, Alarm::short_circuit, Alarm::mosfet_over_temperature,
             Alarm::quorum_lost, Alarm::bus_lost})},
    {5, "discharge over-current", Alarm::discharge_over_current},
    {6, "charge over-current", Alarm::charge_over_current},
};

constexpr std::array<Field, 1> kStatus1Fields{{
    {0, "Status1 (0x44)", From::protections, kStatus1},
}};
constexpr std::array<Field, 5> kSystemAlarmFields{{
    {0, "alarm1 (0x62 byte 0)", From::warnings, kAlarm1},
    {0, "alarm1 (0x62 byte 0)", From::warnings, kAlarm1AndProtect1},
    {1, "alarm2 (0x62 byte 1)", From::warnings, kAlarm2},
    {2, "protect1 (0x62 byte 2)", From::protections, kAlarm1AndProtect1},
    {3, "protect2 (0x62 byte 3)", From::protections, kProtect2},
}};

}  // namespace

std::span<const alarm_table::Field> pylon_rs485_status1_fields() {
    return kStatus1Fields;
}

std::span<const alarm_table::Field> pylon_rs485_system_alarm_fields() {
    return kSystemAlarmFields;
}

}  // namespace packbridge::protocol
