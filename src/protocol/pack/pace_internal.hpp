// SPDX-License-Identifier: Apache-2.0
#pragma once

// Helpers shared by the PACE-family decoders (pace_*.cpp); not part of the public API.

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <span>
#include <utility>
#include <vector>

#include "packbridge/protocol/pack/pace.hpp"

namespace packbridge::protocol::pace::detail {

inline constexpr std::int32_t kKelvinOffsetPace = 2730;  // VER 0x25: degC = (raw - 2730) / 10
inline constexpr std::int32_t kKelvinOffsetV20 = 2731;   // Seplos, Pylontech, EG4

inline std::int16_t to_decidegrees(std::uint16_t raw, std::int32_t offset) {
    return static_cast<std::int16_t>(static_cast<std::int32_t>(raw) - offset);
}

// "RTN 9: operation or write error" as Errc::rejected.
Error rejected(const ascii::Frame& frame);

// Alarm bits of one status byte (or 16-bit word) into an AlarmSet.
using BitMap = std::initializer_list<std::pair<std::uint16_t, Alarm>>;
inline void map_bits(std::uint16_t value, BitMap map, AlarmSet& into) {
    for (const auto& [mask, alarm] : map) {
        if (value & mask) into.set(alarm);
    }
}

// Offsets of consecutive Pylontech 0x42 records from INFO byte 2, each sized by its P byte
// (P=2: 4 bytes after P, P=4: 10 bytes); nullopt unless they consume the INFO exactly.
std::optional<std::vector<std::size_t>> split_pylon_records(std::span<const std::uint8_t> info);

// Dialect-specific decoders behind decode_analog_all / decode_status (RTN already checked).
Result<std::vector<PackAnalog>> decode_pylon_analog(std::span<const std::uint8_t> info);
Result<PackStatus> decode_pylon_status(std::span<const std::uint8_t> info);
Result<std::vector<PackAnalog>> decode_eg4_analog(std::span<const std::uint8_t> info);
Result<PackStatus> decode_eg4_status(std::span<const std::uint8_t> info);

}  // namespace packbridge::protocol::pace::detail
