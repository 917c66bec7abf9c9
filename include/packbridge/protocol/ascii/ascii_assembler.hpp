// SPDX-License-Identifier: Apache-2.0
#pragma once

// Cuts a byte stream into "~...\r" frames: bytes in any chunking (a UART read may end anywhere),
// noise before '~' skipped, a second '~' before CR restarts the frame (a collision or a lost CR),
// and a line longer than any legal frame abandoned. Each complete frame is handed over with its
// decode result, so checksum and format errors reach the caller as values to count. Pure.

#include <cstdint>
#include <functional>
#include <span>
#include <string>

#include "packbridge/protocol/ascii/ascii_frame.hpp"

namespace packbridge::protocol::ascii {

struct AssembledFrame {
    Result<Frame> frame;  // decode(raw): the frame, or which check failed
    std::string raw;      // the characters from '~' through '\r' (or what was abandoned)
};

class Assembler {
  public:
    // Calls `on_frame` for every complete frame and for every abandoned partial one (as an error
    // with Errc::truncated, or Errc::bad_length when a line overflows the longest legal frame).
    void feed(std::span<const std::uint8_t> bytes,
              const std::function<void(const AssembledFrame&)>& on_frame);
    // Inside a frame: a '~' was seen and its CR not yet.
    [[nodiscard]] bool in_frame() const { return in_frame_; }
    // The fewest characters the frame in progress still needs to end: from its LENGTH field
    // once the header is in (LENID counted in characters; a sender that counts bytes is found
    // short and asked again), before that from the shortest legal frame. 0 outside a frame.
    // A reader uses it to wait for the rest of a frame instead of waking up per character.
    [[nodiscard]] std::size_t chars_to_come() const;
    // Drops any partial frame (e.g. after a request deadline, so stale halves never join).
    void reset();
    // Bytes outside any frame since construction (line noise, adapter echo of a break, ...).
    [[nodiscard]] std::uint64_t noise_bytes() const { return noise_; }

  private:
    std::string buf_;
    bool in_frame_ = false;
    std::uint64_t noise_ = 0;
};

}  // namespace packbridge::protocol::ascii
