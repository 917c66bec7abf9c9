// SPDX-License-Identifier: Apache-2.0
#pragma once

// One table per pack family: which bit of the family's 0x44 alarm block is which packbridge
// alarm, as a warning or a protection. The 0x44 decoders apply these tables and the simulator
// encodes from them, so a test that holds each row against the spec's bit list
// (pack-protocol.md sections 3.4-3.12) holds the decoder too. Bits that are states rather than
// alarms (MOSFET on, charging, balancing) are read by the decoders, not listed here.
// Pure: no IO, no clock, no logging.

#include <cstdint>
#include <span>

#include "packbridge/pack_reading.hpp"
#include "packbridge/protocol/pack/pace.hpp"

namespace packbridge::protocol::pace {

enum class AlarmKind : std::uint8_t { warning, protection };

struct AlarmBitRow {
    std::uint8_t byte = 0;  // offset in the family's alarm block (see alarm_block_offset)
    std::uint8_t bit = 0;   // 0 = least significant
    Alarm alarm{};
    AlarmKind kind = AlarmKind::warning;
    const char* meaning = "";  // the spec's words for the bit
};

// The family's table, in the order the simulator prefers when one alarm has several bits.
// Alarm blocks: PACE - protect 1, protect 2, instruction, control, fault, balance 1-2, warn 1-2
// (section 3.2 fields 8-16); Seplos - the 20 bytes after P (3.11); Pylontech - Status1-5
// (3.12); EG4 - balance, voltage, temperature (16 bits, high byte first), current, capacity
// events.
std::span<const AlarmBitRow> alarm_table(Dialect family);

// Sets the alarms of every row whose bit is set in `block` (rows beyond its end are skipped).
void apply_alarm_table(std::span<const AlarmBitRow> table, std::span<const std::uint8_t> block,
                       PackStatus& into);

// The inverse, for encoders: for each warning and protection in `status`, the first row of that
// alarm and kind sets its bit in `block`.
void encode_alarm_table(std::span<const AlarmBitRow> table, const PackStatus& status,
                        std::span<std::uint8_t> block);

}  // namespace packbridge::protocol::pace
