// SPDX-License-Identifier: Apache-2.0
#pragma once

// What the pack bus hands to the bank: one decoded, validated reading of one pack, in the wire's
// integer units (no floating point on the data path), stamped with a monotonic time.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "packbridge/alarms.hpp"
#include "packbridge/clock.hpp"

namespace packbridge {

inline constexpr std::uint8_t kMaxPacks = 16;  // DIP addresses 0..15

// CID2 0x42: analog values of one pack.
struct PackAnalog {
    std::vector<std::uint16_t> cell_mv;           // per cell, in cell order (cell 1 first)
    std::vector<std::int16_t> cell_temp_dc;       // cell-area sensors, 0.1 degC
    std::optional<std::int16_t> mosfet_temp_dc;   // power/MOSFET sensor, 0.1 degC
    std::optional<std::int16_t> ambient_temp_dc;  // ambient sensor, 0.1 degC
    std::int32_t current_ma = 0;                  // + charging, - discharging
    std::uint32_t voltage_mv = 0;                 // pack terminal voltage
    std::uint32_t remaining_mah = 0;
    std::uint32_t full_mah = 0;  // full-charge capacity
    std::uint32_t design_mah = 0;
    std::uint32_t cycles = 0;
    std::optional<std::uint8_t> soc_pct;  // when the record's tail carries it
    std::optional<std::uint8_t> soh_pct;  // when the record's tail carries it

    // The PACE multi-pack form sends all-zero records for empty slots: that is "absent", not 0 V.
    [[nodiscard]] bool absent() const;
};

// CID2 0x44: alarm/protection/switch state of one pack, normalised across dialects.
struct PackStatus {
    AlarmSet warnings;
    AlarmSet protections;
    bool charge_mosfet_on = false;
    bool discharge_mosfet_on = false;
    bool charging = false;             // BMS says current flows in
    bool discharging = false;          // BMS says the pack supplies the load
    bool fully_charged = false;        // BMS "full" flag
    std::uint32_t balancing_mask = 0;  // bit i = cell i+1 balancing
};

// 0xC1/0xC2 (PACE), 0x51 (VER 0x20 families), 0x93/0x96 (Pylontech): read once at discovery.
struct PackIdentity {
    std::string firmware;      // e.g. "P16S100A-1812-1.00"
    std::string serial;        // e.g. "1812101380309D"
    std::string manufacturer;  // 0x51 manufacturer/protocol name, where given
    std::string model;         // 0x51 device name, e.g. "1101-SP15", "US3000"
    std::string family;        // the pack family the poller identified ("pace", "seplos", ...)
};

struct PackReading {
    std::uint8_t address = 0;  // 0..15
    TimePoint at{};            // when the newest part of this reading arrived
    PackAnalog analog;
    PackStatus status;
};

// The poller's view of one pack's link health, reported next to readings.
struct PackHealth {
    bool online = false;
    std::uint32_t consecutive_misses = 0;
    std::uint64_t polls = 0;
    std::uint64_t replies = 0;
    std::uint64_t timeouts = 0;
    std::uint64_t checksum_errors = 0;
    std::uint64_t error_replies = 0;
    std::uint64_t wrong_address = 0;
    std::uint64_t garbled =
        0;  // frames that started but never made sense (collision, duplicate address)
    std::optional<Duration> last_latency;
    std::optional<TimePoint> last_seen;
};

}  // namespace packbridge
