// SPDX-License-Identifier: Apache-2.0
#pragma once

// The "~VER ADR CID1 CID2 LENGTH INFO CHKSUM\r" ASCII-hex frame shared by the PACE pack bus
// (protocol/pace) and Pylon RS485 towards Voltronic/MPP inverters (protocol/pylon_rs485).
// One implementation of framing, LENGTH/LCHKSUM and CHKSUM for both. Pure: no IO, no logging.

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "packbridge/result.hpp"

namespace packbridge::protocol::ascii {

inline constexpr char kSoi = '~';
inline constexpr char kEoi = '\r';
inline constexpr std::size_t kMinFrameChars = 18;  // "~" + 12 header + 4 CHKSUM + "\r"
inline constexpr std::uint16_t kMaxLenid = 0x0FFF;
inline constexpr std::size_t kMaxFrameChars = kMinFrameChars + kMaxLenid;
inline constexpr std::size_t kHeaderChars = 13;  // "~" VER ADR CID1 CID2 LENGTH

struct Frame {
    std::uint8_t ver = 0x25;
    std::uint8_t adr = 0;
    std::uint8_t cid1 = 0x46;
    std::uint8_t cid2 = 0;  // command in a request, RTN in a reply
    std::vector<std::uint8_t> info;
    // Set by decode() when the sender counted LENID in bytes instead of characters (an Enjie
    // master does this); such frames are accepted so listen mode does not choke on them.
    bool lenid_in_bytes = false;

    friend bool operator==(const Frame&, const Frame&) = default;
};

// LCHKSUM nibble for a 12-bit LENID: two's complement (mod 16) of the nibble sum. The carry
// must be masked: a nibble sum that is a multiple of 16 gives 0, not 16.
std::uint8_t length_checksum(std::uint16_t lenid);
// LENGTH field = LCHKSUM << 12 | LENID.
std::uint16_t length_field(std::uint16_t lenid);
// The LENGTH field of a frame of which at least kHeaderChars have arrived; nullopt before that
// or when its four characters are not hex. Unchecked (decode() checks LCHKSUM): the assembler
// uses it only to know how much of a frame is still to come.
std::optional<std::uint16_t> length_field_of(std::string_view start);
// CHKSUM over the characters between '~' and the CHKSUM field: -(sum of ASCII codes) mod 65536.
std::uint16_t frame_checksum(std::string_view body);

// "~25014642E00201FD30\r" from its fields. Uppercase hex, LENID in characters.
std::string encode(const Frame& frame);
// One whole frame, '~' through '\r' (the '\r' may be omitted). Checks, in this order: SOI,
// length, hex, LCHKSUM, LENID vs length, CHKSUM. The error says which check failed with the
// expected and the found value. Lowercase hex is accepted; the checksum is computed over the
// characters as received.
Result<Frame> decode(std::string_view raw);

// Hex helpers shared by the ASCII protocols.
void append_hex(std::string& out, std::uint8_t byte);
void append_hex16(std::string& out, std::uint16_t word);
std::string to_hex(std::span<const std::uint8_t> bytes);
// Parses an even-length hex string (either case); error on odd length or a non-hex character.
Result<std::vector<std::uint8_t>> from_hex(std::string_view hex);

}  // namespace packbridge::protocol::ascii
