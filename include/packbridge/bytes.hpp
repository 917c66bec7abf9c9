// SPDX-License-Identifier: Apache-2.0
#pragma once

// Explicit-endianness access to byte buffers. Codecs read and write fields through these and
// never cast structs over buffers: the wire format is defined here, not by the compiler's layout.

#include <cstddef>
#include <cstdint>
#include <span>

namespace packbridge::bytes {

inline std::uint16_t load_be16(std::span<const std::uint8_t> b, std::size_t at) {
    return static_cast<std::uint16_t>((b[at] << 8) | b[at + 1]);
}
inline std::uint16_t load_le16(std::span<const std::uint8_t> b, std::size_t at) {
    return static_cast<std::uint16_t>(b[at] | (b[at + 1] << 8));
}
inline std::uint32_t load_be24(std::span<const std::uint8_t> b, std::size_t at) {
    return (std::uint32_t{b[at]} << 16) | (std::uint32_t{b[at + 1]} << 8) | b[at + 2];
}
inline std::uint32_t load_be32(std::span<const std::uint8_t> b, std::size_t at) {
    return (std::uint32_t{load_be16(b, at)} << 16) | load_be16(b, at + 2);
}
inline std::uint32_t load_le32(std::span<const std::uint8_t> b, std::size_t at) {
    return std::uint32_t{load_le16(b, at)} | (std::uint32_t{load_le16(b, at + 2)} << 16);
}
inline std::int16_t load_be16s(std::span<const std::uint8_t> b, std::size_t at) {
    return static_cast<std::int16_t>(load_be16(b, at));
}
inline std::int16_t load_le16s(std::span<const std::uint8_t> b, std::size_t at) {
    return static_cast<std::int16_t>(load_le16(b, at));
}

inline void store_be16(std::span<std::uint8_t> b, std::size_t at, std::uint16_t v) {
    b[at] = static_cast<std::uint8_t>(v >> 8);
    b[at + 1] = static_cast<std::uint8_t>(v & 0xFF);
}
inline void store_le16(std::span<std::uint8_t> b, std::size_t at, std::uint16_t v) {
    b[at] = static_cast<std::uint8_t>(v & 0xFF);
    b[at + 1] = static_cast<std::uint8_t>(v >> 8);
}
inline void store_be16s(std::span<std::uint8_t> b, std::size_t at, std::int16_t v) {
    store_be16(b, at, static_cast<std::uint16_t>(v));
}
inline void store_le16s(std::span<std::uint8_t> b, std::size_t at, std::int16_t v) {
    store_le16(b, at, static_cast<std::uint16_t>(v));
}
inline void store_be24(std::span<std::uint8_t> b, std::size_t at, std::uint32_t v) {
    b[at] = static_cast<std::uint8_t>((v >> 16) & 0xFF);
    b[at + 1] = static_cast<std::uint8_t>((v >> 8) & 0xFF);
    b[at + 2] = static_cast<std::uint8_t>(v & 0xFF);
}
inline void store_be32(std::span<std::uint8_t> b, std::size_t at, std::uint32_t v) {
    store_be16(b, at, static_cast<std::uint16_t>(v >> 16));
    store_be16(b, at + 2, static_cast<std::uint16_t>(v & 0xFFFF));
}
inline void store_le32(std::span<std::uint8_t> b, std::size_t at, std::uint32_t v) {
    store_le16(b, at, static_cast<std::uint16_t>(v & 0xFFFF));
    store_le16(b, at + 2, static_cast<std::uint16_t>(v >> 16));
}

}  // namespace packbridge::bytes
