// SPDX-License-Identifier: Apache-2.0
#pragma once

// What the pack-bus poller needs from a line: push-style byte delivery and whole writes.
// Production uses SerialTransport (io::Serial + reopen with back-off); tests may implement it
// over a pty or in memory.

#include <chrono>
#include <cstdint>
#include <functional>
#include <span>

#include "packbridge/result.hpp"

namespace packbridge::service {

class ByteTransport {
  public:
    using BytesHandler = std::function<void(std::span<const std::uint8_t>)>;
    using WriteHandler = std::function<void(Result<void>)>;

    virtual ~ByteTransport() = default;
    // Starts delivering received bytes to `on_bytes` (on the io_context thread) until stop().
    virtual void start(BytesHandler on_bytes) = 0;
    virtual void stop() = 0;
    // Sends `bytes` (copied); `done` runs once they are handed to the line, or with an error.
    virtual void write(std::span<const std::uint8_t> bytes, WriteHandler done) = 0;
    // Runs `handler` each time the line comes back after it was lost (a USB adapter plugged in
    // again). Transports that cannot lose their line never call it.
    virtual void on_reopen(std::function<void()> handler) { (void)handler; }
    // The next read starts `wait` after the bytes just delivered instead of at once: call it
    // from the bytes handler when more bytes are known to be on their way (the rest of a
    // frame), so they come in one read instead of one wake-up per character or two. Only a
    // hint: a transport that reads otherwise may ignore it.
    virtual void hold_next_read(std::chrono::microseconds wait) { (void)wait; }
    // Wire time of one byte (10 bits at the line's baud); used for the deadline of a request, which
    // starts when its last byte has left.
    [[nodiscard]] virtual std::uint32_t baud() const = 0;
};

}  // namespace packbridge::service
