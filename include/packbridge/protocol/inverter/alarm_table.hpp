// SPDX-License-Identifier: Apache-2.0
#pragma once

// The shape of every inverter protocol's alarm table: one row per bit the protocol's spec defines
// in an alarm/warning field, in the spec's order, naming the packbridge alarms that raise it. A
// bit packbridge never raises keeps its row, with `why`. The encoders OR the rows of a field
// (bits_of), and the tests walk the same spec lists row by row (tests/unit/protocol/*alarm*),
// so a bit moved, added or dropped in code fails against the spec.

#include <cstdint>
#include <initializer_list>
#include <span>
#include <string_view>

#include "packbridge/alarms.hpp"

namespace packbridge::protocol::alarm_table {

constexpr AlarmSet alarms(std::initializer_list<Alarm> list) {
    AlarmSet set;
    for (Alarm a : list)
        set.set(a);
    return set;
}

struct Bit {
    std::uint8_t bit = 0;       // bit number in the field, 0 = least significant
    std::string_view name;      // the spec's name for the bit
    AlarmSet raised_by;         // packbridge alarms that set it (empty: never, see `why`)
    std::string_view why = {};  // why packbridge never sets it (only when raised_by is empty)

    // Most bits are one alarm: {0, "cell OV", Alarm::cell_over_voltage}.
    constexpr Bit(std::uint8_t b, std::string_view n, Alarm one)
        : bit(b), name(n), raised_by(alarms({one})) {}
    constexpr Bit(std::uint8_t b, std::string_view n, AlarmSet set, std::string_view w = {})
        : bit(b), name(n), raised_by(set), why(w) {}
};

// Which of the Battery's sets a field reports.
enum class From : std::uint8_t { warnings, protections };

// One alarm field of a protocol: a byte of a CAN frame or a register (`index` is the byte or
// register number), fed from the warnings or the protections. Two fields may share an index
// when the spec mixes both kinds in one byte (Sol-Ark 0x359 byte 3).
struct Field {
    std::uint16_t index = 0;
    std::string_view name;  // the spec's name for the field, "P1 (0x359 byte 0)"
    From from = From::protections;
    std::span<const Bit> bits;
};

// The word of a field: the OR of the bits of every row that one of `set`'s alarms raises.
constexpr std::uint32_t bits_of(std::span<const Bit> bits, AlarmSet set) {
    std::uint32_t out = 0;
    for (const Bit& row : bits) {
        if ((row.raised_by.bits() & set.bits()) != 0) out |= std::uint32_t{1} << row.bit;
    }
    return out;
}

// The word at `index`: every field with that index, each from its own set.
constexpr std::uint32_t word(std::span<const Field> fields, std::uint16_t index, AlarmSet warnings,
                             AlarmSet protections) {
    std::uint32_t out = 0;
    for (const Field& f : fields) {
        if (f.index == index)
            out |= bits_of(f.bits, f.from == From::warnings ? warnings : protections);
    }
    return out;
}

// The gateway's own failures (no data, too few packs) and BMS internal faults: what the
// protocols call "system error" / "system fault" / "BMS internal".
inline constexpr AlarmSet kSystemError =
    alarms({Alarm::internal_fault, Alarm::quorum_lost, Alarm::bus_lost});

}  // namespace packbridge::protocol::alarm_table
