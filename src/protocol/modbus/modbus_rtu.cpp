// SPDX-License-Identifier: Apache-2.0
#include "packbridge/protocol/modbus/modbus_rtu.hpp"

#include <cstdio>
#include <string>

#include "packbridge/bytes.hpp"

namespace packbridge::protocol::modbus {
namespace {

constexpr std::uint16_t kCrcPoly = 0xA001;  // 0x8005 bit-reversed
constexpr std::size_t kFixedRequest = 8;    // address, fc, 2 x word, CRC
constexpr std::size_t kMultipleHeader = 7;  // address, fc, start, count, byte count

void push_be16(std::vector<std::uint8_t>& out, std::uint16_t v) {
    out.push_back(static_cast<std::uint8_t>(v >> 8));
    out.push_back(static_cast<std::uint8_t>(v & 0xFF));
}

// Slave, function, start address, one more word, CRC: a read request (the word is the count)
// and the confirmation of a write (the value written for 0x06, the register count for 0x10).
std::vector<std::uint8_t> address_word_frame(std::uint8_t slave, std::uint8_t function,
                                             std::uint16_t address, std::uint16_t word) {
    std::vector<std::uint8_t> out{slave, function};
    push_be16(out, address);
    push_be16(out, word);
    append_crc(out);
    return out;
}

bool fixed_length_function(std::uint8_t f) {
    return f >= 0x01 && f <= 0x06;
}
bool multiple_write_function(std::uint8_t f) {
    return f == 0x0F || f == fc::write_multiple;
}

}  // namespace

std::uint16_t crc16(std::span<const std::uint8_t> bytes) {
    std::uint16_t crc = 0xFFFF;
    for (const auto b : bytes) {
        crc ^= b;
        for (int i = 0; i < 8; ++i) {
            crc = (crc & 1U) ? static_cast<std::uint16_t>((crc >> 1) ^ kCrcPoly)
                             : static_cast<std::uint16_t>(crc >> 1);
        }
    }
    return crc;
}

void append_crc(std::vector<std::uint8_t>& frame) {
    const auto crc = crc16(frame);
    frame.push_back(static_cast<std::uint8_t>(crc & 0xFF));
    frame.push_back(static_cast<std::uint8_t>(crc >> 8));
}

bool crc_ok(std::span<const std::uint8_t> frame) {
    if (frame.size() < kMinFrame) return false;
    return crc16(frame.first(frame.size() - 2)) == bytes::load_le16(frame, frame.size() - 2);
}

LengthHint request_length(std::span<const std::uint8_t> prefix) {
    LengthHint hint;
    if (prefix.size() < 2) return hint;
    const auto f = prefix[1];
    if (fixed_length_function(f)) {
        hint.known_function = true;
        hint.length = kFixedRequest;
    } else if (multiple_write_function(f)) {
        hint.known_function = true;
        if (prefix.size() >= kMultipleHeader) hint.length = kMultipleHeader + prefix[6] + 2;
    }
    return hint;
}

Result<Request> parse_request(std::span<const std::uint8_t> frame) {
    if (frame.size() < kMinFrame) {
        return make_error(Errc::truncated, "Modbus frame of " + std::to_string(frame.size()) +
                                               " bytes, the minimum is 4");
    }
    const auto hint = request_length(frame);
    if (hint.known_function) {
        if (!hint.length || frame.size() < *hint.length) {
            return make_error(Errc::truncated, "function " + std::to_string(frame[1]) +
                                                   " request of " + std::to_string(frame.size()) +
                                                   " bytes is incomplete");
        }
        if (frame.size() > *hint.length) {
            return make_error(Errc::bad_length, "function " + std::to_string(frame[1]) +
                                                    " request of " + std::to_string(frame.size()) +
                                                    " bytes, expected " +
                                                    std::to_string(*hint.length));
        }
    }
    if (!crc_ok(frame)) {
        char buf[80];
        std::snprintf(buf, sizeof buf, "CRC expected %04X, found %04X",
                      crc16(frame.first(frame.size() - 2)),
                      bytes::load_le16(frame, frame.size() - 2));
        return make_error(Errc::checksum, buf);
    }
    Request r;
    r.slave = frame[0];
    r.function = frame[1];
    switch (r.function) {
        case fc::read_holding:
        case fc::read_input:
            r.address = bytes::load_be16(frame, 2);
            r.count = bytes::load_be16(frame, 4);
            break;
        case fc::write_single:
            r.address = bytes::load_be16(frame, 2);
            r.count = 1;
            r.values.push_back(bytes::load_be16(frame, 4));
            break;
        case fc::write_multiple: {
            r.address = bytes::load_be16(frame, 2);
            r.count = bytes::load_be16(frame, 4);
            const std::size_t byte_count = frame[6];
            if (byte_count != std::size_t{2} * r.count) {
                r.malformed = Exception::illegal_value;
                break;
            }
            for (std::size_t i = 0; i < r.count; ++i)
                r.values.push_back(bytes::load_be16(frame, kMultipleHeader + 2 * i));
            break;
        }
        default:
            // A frame with a valid CRC and a function we do not serve: answer "illegal function".
            r.malformed = Exception::illegal_function;
            break;
    }
    return r;
}

std::vector<std::uint8_t> read_reply(std::uint8_t slave, std::uint8_t function,
                                     std::span<const std::uint16_t> registers) {
    std::vector<std::uint8_t> out{slave, function, static_cast<std::uint8_t>(registers.size() * 2)};
    for (const auto r : registers)
        push_be16(out, r);
    append_crc(out);
    return out;
}

std::vector<std::uint8_t> write_single_reply(std::uint8_t slave, std::uint16_t address,
                                             std::uint16_t value) {
    return address_word_frame(slave, fc::write_single, address, value);
}

std::vector<std::uint8_t> write_multiple_reply(std::uint8_t slave, std::uint16_t address,
                                               std::uint16_t count) {
    return address_word_frame(slave, fc::write_multiple, address, count);
}

std::vector<std::uint8_t> exception_reply(std::uint8_t slave, std::uint8_t function,
                                          Exception code) {
    std::vector<std::uint8_t> out{slave, static_cast<std::uint8_t>(function | kExceptionFlag),
                                  static_cast<std::uint8_t>(code)};
    append_crc(out);
    return out;
}

std::vector<std::uint8_t> read_request(std::uint8_t slave, std::uint8_t function,
                                       std::uint16_t address, std::uint16_t count) {
    return address_word_frame(slave, function, address, count);
}

std::vector<std::uint8_t> write_multiple_request(std::uint8_t slave, std::uint16_t address,
                                                 std::span<const std::uint16_t> values) {
    std::vector<std::uint8_t> out{slave, fc::write_multiple};
    push_be16(out, address);
    push_be16(out, static_cast<std::uint16_t>(values.size()));
    out.push_back(static_cast<std::uint8_t>(values.size() * 2));
    for (const auto v : values)
        push_be16(out, v);
    append_crc(out);
    return out;
}

}  // namespace packbridge::protocol::modbus
