// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <chrono>

namespace packbridge {

// All timestamps in packbridge are monotonic: wall-clock jumps (NTP, no RTC on a Pi) must never
// make stale data look fresh.
using Clock = std::chrono::steady_clock;
using TimePoint = Clock::time_point;
using Duration = Clock::duration;
using std::chrono::milliseconds;
using std::chrono::seconds;

}  // namespace packbridge
