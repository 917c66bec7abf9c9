// SPDX-License-Identifier: Apache-2.0
#pragma once

// Integer helpers every inverter codec uses to put Battery values on the wire: one rounding rule
// and one set of clamps, so CAN and RS485 encoders of the same value agree to the unit. (The
// alarm tables' shape: protocol/inverter/alarm_table.hpp.)

#include <algorithm>
#include <cstddef>
#include <cstdint>

namespace packbridge::protocol::wire {

// Rounds value / unit to the nearest integer, halves away from zero
// (-12 345 mA -> -123 at 0.1 A, -12 350 mA -> -124).
constexpr std::int64_t round_div(std::int64_t value, std::int64_t unit) {
    const std::int64_t half = unit / 2;
    return value >= 0 ? (value + half) / unit : -((-value + half) / unit);
}

// Saturating narrowing: a value beyond the field's range is sent as the nearest end.
constexpr std::uint16_t to_u16(std::int64_t v) {
    return static_cast<std::uint16_t>(std::clamp<std::int64_t>(v, 0, 0xFFFF));
}
constexpr std::int16_t to_s16(std::int64_t v) {
    return static_cast<std::int16_t>(std::clamp<std::int64_t>(v, -32768, 32767));
}
constexpr std::uint8_t to_u8(std::int64_t v, std::int64_t max = 0xFF) {
    return static_cast<std::uint8_t>(std::clamp<std::int64_t>(v, 0, max));
}

}  // namespace packbridge::protocol::wire
