// SPDX-License-Identifier: Apache-2.0
// The pack families' alarm-bit tables (pack-protocol.md sections 3.4-3.12; EG4 after the EG4
// document as transcribed by nkinnan/esphome-pace-bms, whose sample is F-26).
#include "packbridge/protocol/pack/alarm_tables.hpp"

#include <array>

namespace packbridge::protocol::pace {
namespace {

constexpr auto W = AlarmKind::warning;
constexpr auto P = AlarmKind::protection;
using A = Alarm;

// PACE block: 0 protect 1, 1 protect 2, 2 instruction, 3 control, 4 fault, 5-6 balance,
// 7 warn 1, 8 warn 2.
constexpr AlarmBitRow kPace[] = {
    {0, 0, A::cell_over_voltage, P, "protect 1: cell over-voltage protection"},
    {0, 1, A::cell_under_voltage, P, "protect 1: cell under-voltage protection"},
    {0, 2, A::pack_over_voltage, P, "protect 1: pack over-voltage protection"},
    {0, 3, A::pack_under_voltage, P, "protect 1: pack under-voltage protection"},
    {0, 4, A::charge_over_current, P, "protect 1: charge over-current protection"},
    {0, 5, A::discharge_over_current, P, "protect 1: discharge over-current protection"},
    {0, 6, A::short_circuit, P, "protect 1: short-circuit protection"},
    {0, 7, A::pack_over_voltage, P, "protect 1: charger over-voltage protection (V3.1)"},
    {1, 0, A::charge_over_temperature, P, "protect 2: charge high-temperature protection"},
    {1, 1, A::discharge_over_temperature, P, "protect 2: discharge high-temperature protection"},
    {1, 2, A::charge_under_temperature, P, "protect 2: charge low-temperature protection"},
    {1, 3, A::discharge_under_temperature, P, "protect 2: discharge low-temperature protection"},
    {1, 4, A::mosfet_over_temperature, P, "protect 2: MOSFET high-temperature protection"},
    {1, 5, A::ambient_over_temperature, P, "protect 2: ambient high-temperature protection"},
    {1, 6, A::ambient_under_temperature, P, "protect 2: ambient low-temperature protection"},
    // Fault state: every hardware fault is internal_fault; bit 3 (communication fault, V3.1)
    // is the link to other packs, not this pack's hardware.
    {4, 5, A::internal_fault, P, "fault: sampling (AFE) fault"},
    {4, 0, A::internal_fault, P, "fault: charge MOSFET fault"},
    {4, 1, A::internal_fault, P, "fault: discharge MOSFET fault"},
    {4, 2, A::internal_fault, P, "fault: NTC fault"},
    {4, 4, A::internal_fault, P, "fault: cell fault"},
    {4, 6, A::internal_fault, P, "fault: current-limit fault (V3.1)"},
    {4, 7, A::internal_fault, P, "fault: heater fault (V3.1)"},
    {7, 0, A::cell_over_voltage, W, "warn 1: cell high-voltage warning"},
    {7, 1, A::cell_under_voltage, W, "warn 1: cell low-voltage warning"},
    {7, 2, A::pack_over_voltage, W, "warn 1: pack high-voltage warning"},
    {7, 3, A::pack_under_voltage, W, "warn 1: pack low-voltage warning"},
    {7, 4, A::charge_over_current, W, "warn 1: charge over-current warning"},
    {7, 5, A::discharge_over_current, W, "warn 1: discharge over-current warning"},
    {8, 0, A::charge_over_temperature, W, "warn 2: charge high-temperature warning"},
    {8, 1, A::discharge_over_temperature, W, "warn 2: discharge high-temperature warning"},
    {8, 2, A::charge_under_temperature, W, "warn 2: charge low-temperature warning"},
    {8, 3, A::discharge_under_temperature, W, "warn 2: discharge low-temperature warning"},
    {8, 4, A::ambient_over_temperature, W, "warn 2: ambient high-temperature warning"},
    {8, 5, A::ambient_under_temperature, W, "warn 2: ambient low-temperature warning"},
    {8, 6, A::mosfet_over_temperature, W, "warn 2: MOSFET high-temperature warning"},
    {8, 7, A::low_soc, W, "warn 2: low capacity (SOC) warning"},
};

// Seplos v2 block: the 20 bytes after P; even bits alarms (warnings), odd bits protections.
constexpr AlarmBitRow kSeplos[] = {
    {0, 4, A::cell_imbalance, W, "event 1: cell-voltage-difference (dropout) fault"},
    {0, 0, A::internal_fault, P, "event 1: voltage-sensor fault"},
    {0, 1, A::internal_fault, P, "event 1: temperature-sensor fault"},
    {0, 2, A::internal_fault, P, "event 1: current-sensor fault"},
    {0, 3, A::internal_fault, P, "event 1: key-switch fault"},
    {0, 5, A::internal_fault, P, "event 1: charge-switch fault"},
    {0, 6, A::internal_fault, P, "event 1: discharge-switch fault"},
    {0, 7, A::internal_fault, P, "event 1: current-limit-switch fault"},
    {1, 0, A::cell_over_voltage, W, "event 2: cell high-V alarm"},
    {1, 1, A::cell_over_voltage, P, "event 2: cell OV protect"},
    {1, 2, A::cell_under_voltage, W, "event 2: cell low-V alarm"},
    {1, 3, A::cell_under_voltage, P, "event 2: cell UV protect"},
    {1, 4, A::pack_over_voltage, W, "event 2: pack high-V alarm"},
    {1, 5, A::pack_over_voltage, P, "event 2: pack OV protect"},
    {1, 6, A::pack_under_voltage, W, "event 2: pack low-V alarm"},
    {1, 7, A::pack_under_voltage, P, "event 2: pack UV protect"},
    {2, 0, A::charge_over_temperature, W, "event 3: charge high-T alarm"},
    {2, 1, A::charge_over_temperature, P, "event 3: charge OT protect"},
    {2, 2, A::charge_under_temperature, W, "event 3: charge low-T alarm"},
    {2, 3, A::charge_under_temperature, P, "event 3: charge UT protect"},
    {2, 4, A::discharge_over_temperature, W, "event 3: discharge high-T alarm"},
    {2, 5, A::discharge_over_temperature, P, "event 3: discharge OT protect"},
    {2, 6, A::discharge_under_temperature, W, "event 3: discharge low-T alarm"},
    {2, 7, A::discharge_under_temperature, P, "event 3: discharge UT protect"},
    {3, 0, A::ambient_over_temperature, W, "event 4: ambient high-T alarm"},
    {3, 1, A::ambient_over_temperature, P, "event 4: ambient OT protect"},
    {3, 2, A::ambient_under_temperature, W, "event 4: ambient low-T alarm"},
    {3, 3, A::ambient_under_temperature, P, "event 4: ambient UT protect"},
    {3, 4, A::mosfet_over_temperature, P, "event 4: power OT protect"},
    {3, 5, A::mosfet_over_temperature, W, "event 4: power high-T alarm"},
    {4, 0, A::charge_over_current, W, "event 5: charge OC alarm"},
    {4, 1, A::charge_over_current, P, "event 5: charge OC protect"},
    {4, 2, A::discharge_over_current, W, "event 5: discharge OC alarm"},
    {4, 3, A::discharge_over_current, P, "event 5: discharge OC protect"},
    {4, 4, A::discharge_over_current, P, "event 5: transient OC protect"},
    {4, 5, A::short_circuit, P, "event 5: output short protect"},
    {4, 6, A::discharge_over_current, P, "event 5: transient OC lockout"},
    {4, 7, A::short_circuit, P, "event 5: short-circuit lockout"},
    {5, 0, A::pack_over_voltage, P, "event 6: charge high-V protect"},
    {5, 2, A::low_soc, W, "event 6: remaining-capacity alarm"},
    {13, 0, A::internal_fault, P, "event 8: EEPROM fault"},
};

// Pylontech block: Status1-5. Status1 bits are protections; Status4/5 are per-cell faults.
constexpr AlarmBitRow kPylontech[] = {
    {0, 0, A::pack_over_voltage, P, "Status1: module over-voltage"},
    {0, 1, A::cell_under_voltage, P, "Status1: cell under-voltage"},
    {0, 2, A::charge_over_current, P, "Status1: charge over-current"},
    {0, 4, A::discharge_over_current, P, "Status1: discharge over-current"},
    {0, 5, A::discharge_over_temperature, P, "Status1: discharge over-temperature"},
    {0, 6, A::charge_over_temperature, P, "Status1: charge over-temperature"},
    {0, 7, A::pack_under_voltage, P, "Status1: module under-voltage"},
    {3, 0, A::internal_fault, P, "Status4: cell 1 fault"},
    {3, 1, A::internal_fault, P, "Status4: cell 2 fault"},
    {3, 2, A::internal_fault, P, "Status4: cell 3 fault"},
    {3, 3, A::internal_fault, P, "Status4: cell 4 fault"},
    {3, 4, A::internal_fault, P, "Status4: cell 5 fault"},
    {3, 5, A::internal_fault, P, "Status4: cell 6 fault"},
    {3, 6, A::internal_fault, P, "Status4: cell 7 fault"},
    {3, 7, A::internal_fault, P, "Status4: cell 8 fault"},
    {4, 0, A::internal_fault, P, "Status5: cell 9 fault"},
    {4, 1, A::internal_fault, P, "Status5: cell 10 fault"},
    {4, 2, A::internal_fault, P, "Status5: cell 11 fault"},
    {4, 3, A::internal_fault, P, "Status5: cell 12 fault"},
    {4, 4, A::internal_fault, P, "Status5: cell 13 fault"},
    {4, 5, A::internal_fault, P, "Status5: cell 14 fault"},
    {4, 6, A::internal_fault, P, "Status5: cell 15 fault"},
    {4, 7, A::internal_fault, P, "Status5: cell 16 fault"},
};

// EG4 block: 0 balance event, 1 voltage event, 2-3 temperature event (u16, high byte first),
// 4 current event, 5 remaining-capacity event; even bits alarms, odd bits protections.
constexpr AlarmBitRow kEg4[] = {
    {0, 4, A::cell_imbalance, W, "balance event: cell voltage difference alarm"},
    {0, 5, A::internal_fault, P, "balance event: charge MOSFET fault"},
    {0, 6, A::internal_fault, P, "balance event: discharge MOSFET fault"},
    {1, 0, A::cell_over_voltage, W, "voltage event: cell over-voltage alarm"},
    {1, 1, A::cell_over_voltage, P, "voltage event: cell over-voltage protect"},
    {1, 2, A::cell_under_voltage, W, "voltage event: cell under-voltage alarm"},
    {1, 3, A::cell_under_voltage, P, "voltage event: cell under-voltage protect"},
    {1, 4, A::pack_over_voltage, W, "voltage event: pack over-voltage alarm"},
    {1, 5, A::pack_over_voltage, P, "voltage event: pack over-voltage protect"},
    {1, 6, A::pack_under_voltage, W, "voltage event: pack under-voltage alarm"},
    {1, 7, A::pack_under_voltage, P, "voltage event: pack under-voltage protect"},
    {3, 0, A::charge_over_temperature, W, "temperature event: charge high-T alarm"},
    {3, 1, A::charge_over_temperature, P, "temperature event: charge high-T protect"},
    {3, 2, A::charge_under_temperature, W, "temperature event: charge low-T alarm"},
    {3, 3, A::charge_under_temperature, P, "temperature event: charge low-T protect"},
    {3, 4, A::discharge_over_temperature, W, "temperature event: discharge high-T alarm"},
    {3, 5, A::discharge_over_temperature, P, "temperature event: discharge high-T protect"},
    {3, 6, A::discharge_under_temperature, W, "temperature event: discharge low-T alarm"},
    {3, 7, A::discharge_under_temperature, P, "temperature event: discharge low-T protect"},
    {2, 0, A::ambient_over_temperature, W, "temperature event: ambient high-T alarm"},
    {2, 1, A::ambient_over_temperature, P, "temperature event: ambient high-T protect"},
    {2, 2, A::ambient_under_temperature, W, "temperature event: ambient low-T alarm"},
    {2, 3, A::ambient_under_temperature, P, "temperature event: ambient low-T protect"},
    {2, 4, A::mosfet_over_temperature, P, "temperature event: MOSFET high-T protect"},
    {2, 5, A::internal_fault, P, "temperature event: fire alarm"},
    {4, 0, A::charge_over_current, W, "current event: charge over-current alarm"},
    {4, 1, A::charge_over_current, P, "current event: charge over-current protect"},
    {4, 2, A::discharge_over_current, W, "current event: discharge over-current alarm"},
    {4, 3, A::discharge_over_current, P, "current event: discharge over-current protect"},
    {4, 4, A::discharge_over_current, P, "current event: discharge over-current 2 protect"},
    {4, 5, A::short_circuit, P, "current event: short-circuit protect"},
    {4, 6, A::discharge_over_current, P, "current event: discharge over-current 2 lockout"},
    {4, 7, A::short_circuit, P, "current event: short-circuit lockout"},
    {5, 0, A::low_soc, W, "capacity event: remaining-capacity alarm"},
};

}  // namespace

std::span<const AlarmBitRow> alarm_table(Dialect family) {
    switch (family) {
        case Dialect::pace:
            return kPace;
        case Dialect::seplos:
            return kSeplos;
        case Dialect::pylontech:
            return kPylontech;
        case Dialect::eg4:
            return kEg4;
    }
    return {};
}

void apply_alarm_table(std::span<const AlarmBitRow> table, std::span<const std::uint8_t> block,
                       PackStatus& into) {
    for (const auto& row : table) {
        if (row.byte >= block.size() || ((block[row.byte] >> row.bit) & 1U) == 0) continue;
        (row.kind == AlarmKind::warning ? into.warnings : into.protections).set(row.alarm);
    }
}

void encode_alarm_table(std::span<const AlarmBitRow> table, const PackStatus& status,
                        std::span<std::uint8_t> block) {
    std::array<bool, 2 * kAlarmCount> done{};
    for (const auto& row : table) {
        const auto& set = row.kind == AlarmKind::warning ? status.warnings : status.protections;
        const std::size_t key =
            static_cast<std::size_t>(row.alarm) * 2 + (row.kind == AlarmKind::warning ? 0 : 1);
        if (!set.test(row.alarm) || done[key] || row.byte >= block.size()) continue;
        done[key] = true;
        block[row.byte] = static_cast<std::uint8_t>(block[row.byte] | (1U << row.bit));
    }
}

}  // namespace packbridge::protocol::pace
