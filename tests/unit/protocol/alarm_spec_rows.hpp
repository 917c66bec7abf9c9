// SPDX-License-Identifier: Apache-2.0
#pragma once

// Walks an inverter protocol's alarm table against the spec's bit list, row by row.
//
// Each test transcribes its spec's bit list (field, bit, the spec's name) and says which
// packbridge alarms it expects to raise each bit (none: packbridge never raises it, and the
// code's row must say why). Then:
// * the code's table has exactly those rows, with the same alarms;
// * for every packbridge alarm set alone, once as a warning and once as a protection, in a
//   healthy Battery, the bytes the encoder really sends carry exactly the expected bits (every
//   other bit of every field clear).

#include <catch2/catch.hpp>
#include <cstdint>
#include <functional>
#include <map>
#include <span>
#include <string>
#include <vector>

#include "packbridge/battery.hpp"
#include "packbridge/protocol/inverter/alarm_table.hpp"

namespace packbridge::testing {

namespace alarm_table = protocol::alarm_table;
using alarm_table::From;

struct SpecBit {
    std::uint16_t index;  // byte or register the spec puts the field in
    std::uint8_t bit;
    From from;
    const char* name;  // the spec's name of the bit
    std::vector<Alarm> raised_by;
};

// Field words as sent, by index, read back from the encoder's real output.
using Words = std::map<std::uint16_t, std::uint32_t>;
using Encode = std::function<Words(const Battery&)>;

inline const char* from_name(From f) {
    return f == From::warnings ? "warning" : "protection";
}

inline void check_table_matches_spec(std::span<const alarm_table::Field> table,
                                     const std::vector<SpecBit>& spec) {
    std::size_t rows = 0;
    for (const auto& f : table)
        rows += f.bits.size();
    CHECK(rows == spec.size());
    for (const auto& s : spec) {
        INFO("spec bit " << s.index << "." << int{s.bit} << " (" << from_name(s.from) << ") "
                         << s.name);
        const alarm_table::Bit* found = nullptr;
        int matches = 0;
        for (const auto& f : table) {
            if (f.index != s.index || f.from != s.from) continue;
            for (const auto& b : f.bits) {
                if (b.bit == s.bit) {
                    found = &b;
                    ++matches;
                }
            }
        }
        REQUIRE(matches == 1);
        CHECK(found->name == std::string_view(s.name));
        AlarmSet expected;
        for (Alarm a : s.raised_by)
            expected.set(a);
        CHECK(found->raised_by.to_string() == expected.to_string());
        if (s.raised_by.empty()) CHECK_FALSE(found->why.empty());
    }
}

// The words every field carries with `alarm` alone set in `from`.
inline Words expected_words(const std::vector<SpecBit>& spec, const Words& fields, Alarm alarm,
                            From from) {
    Words out;
    for (const auto& [index, word] : fields)
        out[index] = 0;
    for (const auto& s : spec) {
        if (s.from != from) continue;
        for (Alarm a : s.raised_by) {
            if (a == alarm) out[s.index] |= std::uint32_t{1} << s.bit;
        }
    }
    return out;
}

inline void check_each_alarm_alone(const std::vector<SpecBit>& spec, const Battery& healthy,
                                   const Encode& encode) {
    REQUIRE(healthy.warnings.none());
    REQUIRE(healthy.protections.none());
    const Words quiet = encode(healthy);
    for (const auto& [index, word] : quiet) {
        INFO("field " << index);
        CHECK(word == 0);
    }
    for (std::size_t i = 0; i < kAlarmCount; ++i) {
        const auto alarm = static_cast<Alarm>(i);
        for (From from : {From::warnings, From::protections}) {
            INFO(to_string(alarm) << " alone as a " << from_name(from));
            Battery b = healthy;
            (from == From::warnings ? b.warnings : b.protections).set(alarm);
            const Words got = encode(b);
            const Words want = expected_words(spec, quiet, alarm, from);
            for (const auto& [index, word] : want) {
                INFO("field " << index);
                CHECK(got.at(index) == word);
            }
        }
    }
}

}  // namespace packbridge::testing

namespace packbridge::testing {

// One table row as docs/inverter-alarms.md lists it:
// "| P1 (0x359 byte 0) | protections | 1 | cell/module over-voltage | cell_over_voltage, ... |".
inline std::string doc_row(const alarm_table::Field& f, const alarm_table::Bit& b) {
    AlarmSet every;
    for (std::size_t i = 0; i < kAlarmCount; ++i)
        every.set(static_cast<Alarm>(i));
    std::string raised;
    if (b.raised_by == every) {
        raised = "any alarm";
    } else if (b.raised_by.any()) {
        raised = b.raised_by.to_string();
    } else {
        raised = "never: " + std::string(b.why);
    }
    return "| " + std::string(f.name) + " | " +
           (f.from == From::warnings ? "warnings" : "protections") + " | " + std::to_string(b.bit) +
           " | " + std::string(b.name) + " | " + raised + " |";
}

}  // namespace packbridge::testing
