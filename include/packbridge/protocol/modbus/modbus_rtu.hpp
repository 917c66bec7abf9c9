// SPDX-License-Identifier: Apache-2.0
#pragma once

// Modbus RTU as a slave sees it: CRC-16, request parsing (FC03, FC04, FC06, FC10) and reply
// building. Pure: bytes in, values out. Framing a byte stream into frames is modbus_rtu_framer.

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "packbridge/result.hpp"

namespace packbridge::protocol::modbus {

inline constexpr std::uint8_t kBroadcast = 0x00;
inline constexpr std::uint8_t kExceptionFlag = 0x80;
inline constexpr std::size_t kMinFrame = 4;  // address, function, CRC
inline constexpr std::size_t kMaxFrame = 256;
// Modbus application protocol limits for one request.
inline constexpr std::uint16_t kMaxReadCount = 125;
inline constexpr std::uint16_t kMaxWriteCount = 123;

namespace fc {
inline constexpr std::uint8_t read_holding = 0x03;
inline constexpr std::uint8_t read_input = 0x04;
inline constexpr std::uint8_t write_single = 0x06;
inline constexpr std::uint8_t write_multiple = 0x10;
}  // namespace fc

enum class Exception : std::uint8_t {
    illegal_function = 0x01,
    illegal_address = 0x02,
    illegal_value = 0x03,
    device_failure = 0x04,
};

// CRC-16/MODBUS (poly 0xA001 reflected, init 0xFFFF); sent low byte first.
std::uint16_t crc16(std::span<const std::uint8_t> bytes);
// Appends the CRC of everything in `frame` (low byte first).
void append_crc(std::vector<std::uint8_t>& frame);
// True when the last two bytes are the CRC of the ones before.
bool crc_ok(std::span<const std::uint8_t> frame);

struct Request {
    std::uint8_t slave = 0;
    std::uint8_t function = 0;
    std::uint16_t address = 0;          // start register
    std::uint16_t count = 0;            // registers (1 for FC06)
    std::vector<std::uint16_t> values;  // FC06 / FC10 data
    // A well-formed frame whose content the protocol forbids: the reply is this exception.
    // Set for unknown function codes (01) and for FC10 byte counts that disagree with the
    // register count (03), so the slave can answer instead of staying silent.
    std::optional<Exception> malformed;
};

// Whole RTU frame (address through CRC). Errors: truncated (< 4 bytes or shorter than the
// function code needs), checksum (CRC), bad_length (longer than the function code allows).
Result<Request> parse_request(std::span<const std::uint8_t> frame);

// Length of a request frame with this function code, from the bytes seen so far, or nullopt
// when the function code is not one whose request length is known (or more bytes are needed:
// see `need`). FC01-06 are 8 bytes; FC0F/FC10 are 9 + the byte count at offset 6.
struct LengthHint {
    bool known_function = false;        // the function code has a fixed request layout
    std::optional<std::size_t> length;  // total frame length once enough header bytes arrived
};
LengthHint request_length(std::span<const std::uint8_t> prefix);

// Replies (CRC appended).
std::vector<std::uint8_t> read_reply(std::uint8_t slave, std::uint8_t function,
                                     std::span<const std::uint16_t> registers);
std::vector<std::uint8_t> write_single_reply(std::uint8_t slave, std::uint16_t address,
                                             std::uint16_t value);
std::vector<std::uint8_t> write_multiple_reply(std::uint8_t slave, std::uint16_t address,
                                               std::uint16_t count);
std::vector<std::uint8_t> exception_reply(std::uint8_t slave, std::uint8_t function,
                                          Exception code);

// Requests (CRC appended): what a master sends. Used by tests and the simulator.
std::vector<std::uint8_t> read_request(std::uint8_t slave, std::uint8_t function,
                                       std::uint16_t address, std::uint16_t count);
std::vector<std::uint8_t> write_multiple_request(std::uint8_t slave, std::uint16_t address,
                                                 std::span<const std::uint16_t> values);

}  // namespace packbridge::protocol::modbus
