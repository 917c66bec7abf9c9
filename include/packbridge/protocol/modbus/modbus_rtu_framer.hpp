// SPDX-License-Identifier: Apache-2.0
#pragma once

// Splits the byte stream of a Modbus RTU line into request frames. Pure: the caller hands in
// bytes with their monotonic arrival time and asks for frames at a given "now"; it never reads
// a clock or a port.
//
// Two rules end a frame:
//  * silence: no byte for t3.5 (3.5 character times; 11 bits per character, so ~4.0 ms at
//    9600; a fixed 1.75 ms above 19200 baud as the Modbus serial-line spec says);
//  * length knowledge: a request whose function code fixes its length (FC01-06: 8 bytes,
//    FC0F/10: 9 + byte count) and whose CRC checks is a frame the moment its last byte arrives.
//    This splits two requests sent back to back with less than t3.5 between them, and lets the
//    slave answer without waiting out the silence.
// Garbage (noise, a truncated frame, a bad CRC) is skipped one byte at a time until a frame
// with a valid CRC starts; the skipped bytes are reported so the service can count them.

#include <cstdint>
#include <deque>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "packbridge/clock.hpp"

namespace packbridge::protocol::modbus {

// t3.5 for a baud rate (8N1 or 8E1: 11 bits per character counted, as the spec does).
Duration silence_interval(std::uint32_t baud);

struct FramerEvent {
    enum class Kind : std::uint8_t {
        frame,    // `bytes` is one CRC-valid frame (address through CRC)
        garbage,  // `bytes` were dropped: noise, a truncated frame or a bad CRC; see `reason`
    };
    Kind kind = Kind::frame;
    std::vector<std::uint8_t> bytes;
    TimePoint end{};     // arrival time of the last byte
    std::string reason;  // for garbage: why, for the debug log
};

class RtuFramer {
  public:
    explicit RtuFramer(std::uint32_t baud);
    explicit RtuFramer(Duration silence);

    // Bytes that arrived (the read completion time of one read() is fine for all of them).
    void feed(std::span<const std::uint8_t> bytes, TimePoint arrival);
    // Frames and garbage that are decided at `now`, oldest first. Call after every feed() and
    // when deadline() passes.
    std::vector<FramerEvent> poll(TimePoint now);
    // When poll() must be called again to close a pending partial frame by silence; nullopt
    // when nothing is pending.
    [[nodiscard]] std::optional<TimePoint> deadline() const;
    [[nodiscard]] Duration silence() const { return silence_; }
    [[nodiscard]] std::size_t pending() const { return buf_.size(); }

  private:
    struct Byte {
        std::uint8_t value;
        TimePoint at;
    };
    // Tries to take a whole frame (or garbage byte) from the front of buf_; `closed` = the
    // bytes in buf_ end with a silence, so nothing more will join them.
    bool take_one(bool closed, std::vector<FramerEvent>& out);
    void drop_front(std::size_t n, std::string reason, std::vector<FramerEvent>& out);
    std::vector<std::uint8_t> front_bytes(std::size_t n) const;

    Duration silence_;
    std::deque<Byte> buf_;
    std::vector<FramerEvent> ready_;  // decided by feed() when a silence closed older bytes
};

}  // namespace packbridge::protocol::modbus
