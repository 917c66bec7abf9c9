// SPDX-License-Identifier: Apache-2.0
#pragma once

// Turns a repeating error into one line per window: a silent pack times out on every poll and a
// noisy line fails every checksum, and one journal line each would bury the state changes that
// matter. The caller counts occurrences here and logs only the returned reports ("12 timeouts on
// pack 3 in the last 60 s"). Pure: time is passed in, so tests drive it with fake time.

#include <cstdint>
#include <optional>

#include "packbridge/clock.hpp"

namespace packbridge {

class RepeatLimiter {
  public:
    struct Report {
        std::uint64_t count = 0;  // occurrences in the window being reported
        Duration window{};        // the window length, for "in the last N s"
    };

    RepeatLimiter() = default;  // a 60 s window
    explicit RepeatLimiter(Duration window) : window_(window) {}

    // Counts one occurrence at `now`. When it falls after the current window has closed, the
    // closed window is reported and this occurrence opens the next one.
    std::optional<Report> note(TimePoint now);
    // Reports a window that closed with no occurrence since, so the last burst is not lost when
    // errors stop; callers run this on a regular tick.
    std::optional<Report> flush(TimePoint now);

    [[nodiscard]] std::uint64_t pending() const { return count_; }
    [[nodiscard]] Duration window() const { return window_; }

  private:
    Duration window_ = seconds(60);
    std::optional<TimePoint> opened_;
    std::uint64_t count_ = 0;
};

}  // namespace packbridge
