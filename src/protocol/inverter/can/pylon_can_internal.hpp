// SPDX-License-Identifier: Apache-2.0
#pragma once

// Shared by pylon_can.cpp (the Pylon V1.2 frames) and pylon_can_variants.cpp (the Sol-Ark and
// Goodwe extras). Not part of the public interface.

#include <algorithm>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "packbridge/battery.hpp"
#include "packbridge/protocol/inverter/can/can_frame.hpp"
#include "packbridge/protocol/inverter/can/pylon_can.hpp"

namespace packbridge::protocol::pylon_can::internal {

// Rounds to the nearest unit, halves away from zero (-12 345 mA -> -123 at 0.1 A).
inline std::int64_t round_div(std::int64_t value, std::int64_t unit) {
    return value >= 0 ? (value + unit / 2) / unit : -((-value + unit / 2) / unit);
}

inline std::uint16_t to_u16(std::int64_t v) {
    return static_cast<std::uint16_t>(std::clamp<std::int64_t>(v, 0, 0xFFFF));
}
inline std::int16_t to_s16(std::int64_t v) {
    return static_cast<std::int16_t>(std::clamp<std::int64_t>(v, -32768, 32767));
}

// A zeroed frame with the DLC the options ask for: `exact_dlc` when options.exact_dlc, else 8.
// Sol-Ark accepts 8-byte frames only, so its frames are DLC 8 whatever exact_dlc says.
inline CanFrame frame(std::uint32_t id, std::uint8_t exact_dlc, const Options& options) {
    CanFrame f;
    f.id = id;
    f.dlc = options.exact_dlc && options.variant != Variant::sol_ark ? exact_dlc : 8;
    return f;
}

inline std::span<std::uint8_t> payload(CanFrame& f) {
    return {f.data.data(), f.data.size()};
}

// Appends the variant's frames after the Pylon set (nothing for Variant::pylon).
void append_variant_frames(const Battery& battery, const Options& options,
                           std::vector<CanFrame>& out);

// The summary of a variant-only id (0x35A, 0x372-0x377, 0x379), or nullopt for any other id.
std::optional<std::string> describe_variant_frame(const CanFrame& frame);

}  // namespace packbridge::protocol::pylon_can::internal
