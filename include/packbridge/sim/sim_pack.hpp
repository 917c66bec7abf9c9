// SPDX-License-Identifier: Apache-2.0
#pragma once

// One simulated pack: its state in wire units (so what the gateway decodes equals this state
// exactly), how it evolves over time, and the faults it is told to show.

#include <cstdint>
#include <optional>
#include <random>
#include <string>

#include "packbridge/pack_reading.hpp"
#include "packbridge/protocol/ascii/ascii_frame.hpp"
#include "packbridge/protocol/pack/pace.hpp"

namespace packbridge::sim {

struct Faults {
    bool silent = false;          // does not answer (pack switched off / asleep)
    bool bad_checksum = false;    // replies with a corrupted CHKSUM
    bool garbage_before = false;  // a noise burst precedes each reply
    std::uint8_t error_rtn = 0;   // != 0: every reply is this error code
    std::uint32_t extra_delay_ms = 0;
    bool duplicate = false;  // a second pack at the same address answers too (garbled)
};

struct SimPack {
    std::uint8_t address = 0;
    // The family it answers as (protocol/pack/families.hpp): its VER, CID1, layouts, commands.
    protocol::pace::Dialect family = protocol::pace::Dialect::pace;
    protocol::pace::TailVariant tail = protocol::pace::TailVariant::p3;  // PACE only
    PackAnalog analog;
    PackStatus status;
    PackIdentity identity;
    Faults faults;
    // Evolution: per-cell offsets from the SOC curve, mV.
    std::vector<std::int16_t> cell_offset_mv;

    // A plausible 16S LFP pack, different per address (seeded), at `soc_pct` with `current_ma`.
    static SimPack make(std::uint8_t address, std::uint32_t seed);
    // Advances by `dt_ms`: capacity follows the current; cells follow the SOC; temperatures drift.
    void evolve(std::uint32_t dt_ms, std::mt19937& rng);
    // Keeps derived fields (voltage, SOC byte, MOSFET flags) consistent after a change, in the
    // resolution of the family's wire units.
    void refresh();
    // Turns the pack into one of `family` with that family's capacities and identity, the
    // captured frames' packs: Seplos 170 of 180 Ah rated (F-08), Pylontech US3000C 74 Ah and no
    // design capacity or SOH (F-12), EG4 LifePower4 98.6 Ah at SOH 98 (F-18). SOC is kept.
    void set_family(protocol::pace::Dialect family);
};

// The pack's reply to a request addressed to it, as sent on the wire (error RTN and bad
// checksum faults applied); nullopt when the pack is silent. Unknown commands get RTN 0x04.
// Like the real packs, a request with another CID1 is not for this pack (silence) and one with
// another VER gets RTN 0x01 "VER error" (VER 0x20 families; PACE answers any VER with `ver`).
std::optional<std::string> encode_reply(const SimPack& pack, const protocol::ascii::Frame& request,
                                        std::uint8_t ver);

}  // namespace packbridge::sim
