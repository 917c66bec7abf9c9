// SPDX-License-Identifier: Apache-2.0
#include "packbridge/protocol/ascii/ascii_frame.hpp"

#include <cstdio>

namespace packbridge::protocol::ascii {
namespace {

constexpr char kHexDigits[] = "0123456789ABCDEF";

int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    return -1;
}

std::string hex4(std::uint16_t v) {
    std::string s;
    append_hex16(s, v);
    return s;
}

// Reads 2*n hex characters at pos; false if any is not hex.
bool read_hex_bytes(std::string_view s, std::size_t pos, std::size_t n,
                    std::vector<std::uint8_t>& out) {
    out.reserve(out.size() + n);
    for (std::size_t i = 0; i < n; ++i) {
        const int hi = hex_value(s[pos + 2 * i]);
        const int lo = hex_value(s[pos + 2 * i + 1]);
        if (hi < 0 || lo < 0) return false;
        out.push_back(static_cast<std::uint8_t>((hi << 4) | lo));
    }
    return true;
}

}  // namespace

std::optional<std::uint16_t> length_field_of(std::string_view start) {
    if (start.size() < kHeaderChars) return std::nullopt;
    std::uint16_t length = 0;
    for (const char c : start.substr(kHeaderChars - 4, 4)) {
        const int digit = hex_value(c);
        if (digit < 0) return std::nullopt;
        length = static_cast<std::uint16_t>((length << 4) | digit);
    }
    return length;
}

std::uint8_t length_checksum(std::uint16_t lenid) {
    const unsigned sum = (lenid & 0xFU) + ((lenid >> 4) & 0xFU) + ((lenid >> 8) & 0xFU);
    return static_cast<std::uint8_t>((~sum + 1U) & 0xFU);
}

std::uint16_t length_field(std::uint16_t lenid) {
    return static_cast<std::uint16_t>((length_checksum(lenid & kMaxLenid) << 12) |
                                      (lenid & kMaxLenid));
}

std::uint16_t frame_checksum(std::string_view body) {
    unsigned sum = 0;
    for (const char c : body)
        sum += static_cast<unsigned char>(c);
    return static_cast<std::uint16_t>((~sum + 1U) & 0xFFFFU);
}

void append_hex(std::string& out, std::uint8_t byte) {
    out.push_back(kHexDigits[byte >> 4]);
    out.push_back(kHexDigits[byte & 0xF]);
}

void append_hex16(std::string& out, std::uint16_t word) {
    append_hex(out, static_cast<std::uint8_t>(word >> 8));
    append_hex(out, static_cast<std::uint8_t>(word & 0xFF));
}

std::string to_hex(std::span<const std::uint8_t> bytes) {
    std::string out;
    out.reserve(bytes.size() * 2);
    for (const auto b : bytes)
        append_hex(out, b);
    return out;
}

Result<std::vector<std::uint8_t>> from_hex(std::string_view hex) {
    if (hex.size() % 2 != 0)
        return make_error(Errc::bad_format,
                          "odd number of hex characters (" + std::to_string(hex.size()) + ")");
    std::vector<std::uint8_t> out;
    for (std::size_t i = 0; i < hex.size(); ++i) {
        if (hex_value(hex[i]) < 0) {
            return make_error(Errc::bad_format, "character " + std::to_string(i) + " is not hex");
        }
    }
    read_hex_bytes(hex, 0, hex.size() / 2, out);
    return out;
}

std::string encode(const Frame& frame) {
    const auto lenid = static_cast<std::uint16_t>(frame.info.size() * 2);
    std::string out;
    out.reserve(kMinFrameChars + lenid);
    out.push_back(kSoi);
    append_hex(out, frame.ver);
    append_hex(out, frame.adr);
    append_hex(out, frame.cid1);
    append_hex(out, frame.cid2);
    append_hex16(out, length_field(lenid));
    for (const auto b : frame.info)
        append_hex(out, b);
    append_hex16(out, frame_checksum(std::string_view(out).substr(1)));
    out.push_back(kEoi);
    return out;
}

Result<Frame> decode(std::string_view raw) {
    if (raw.empty() || raw.front() != kSoi)
        return make_error(Errc::bad_format, "frame does not start with '~'");
    if (raw.back() == kEoi) raw.remove_suffix(1);
    // Without '~' and CR: 12 header chars + INFO + 4 CHKSUM.
    const std::string_view body = raw.substr(1);
    if (body.size() < kMinFrameChars - 2) {
        return make_error(Errc::truncated, "frame has " + std::to_string(raw.size() + 1) +
                                               " characters, the minimum is 18");
    }
    for (std::size_t i = 0; i < body.size(); ++i) {
        if (hex_value(body[i]) < 0) {
            char buf[64];
            std::snprintf(buf, sizeof buf, "character %zu (0x%02X) is not a hex digit", i + 1,
                          static_cast<unsigned>(static_cast<unsigned char>(body[i])));
            return make_error(Errc::bad_format, buf);
        }
    }
    std::vector<std::uint8_t> header;
    read_hex_bytes(body, 0, 6, header);
    Frame f;
    f.ver = header[0];
    f.adr = header[1];
    f.cid1 = header[2];
    f.cid2 = header[3];
    const auto length = static_cast<std::uint16_t>((header[4] << 8) | header[5]);
    const auto lenid = static_cast<std::uint16_t>(length & kMaxLenid);
    const auto lchk = static_cast<std::uint8_t>(length >> 12);
    if (lchk != length_checksum(lenid)) {
        return make_error(Errc::length_checksum,
                          "LENGTH " + hex4(length) + ": LCHKSUM expected " +
                              std::string(1, kHexDigits[length_checksum(lenid)]) + ", found " +
                              std::string(1, kHexDigits[lchk]));
    }
    const std::size_t info_chars = body.size() - 16;
    if (info_chars != lenid) {
        if (info_chars == std::size_t{2} * lenid) {
            f.lenid_in_bytes = true;
        } else {
            return make_error(Errc::bad_length, "LENID says " + std::to_string(lenid) +
                                                    " INFO characters, found " +
                                                    std::to_string(info_chars));
        }
    }
    if (info_chars % 2 != 0)
        return make_error(Errc::bad_length, "odd INFO length " + std::to_string(info_chars));
    read_hex_bytes(body, 12, info_chars / 2, f.info);
    std::vector<std::uint8_t> chk;
    read_hex_bytes(body, 12 + info_chars, 2, chk);
    const auto found = static_cast<std::uint16_t>((chk[0] << 8) | chk[1]);
    const auto expected = frame_checksum(body.substr(0, 12 + info_chars));
    if (found != expected) {
        return make_error(Errc::checksum,
                          "CHKSUM expected " + hex4(expected) + ", found " + hex4(found));
    }
    return f;
}

}  // namespace packbridge::protocol::ascii
