// SPDX-License-Identifier: Apache-2.0
// RepeatLimiter on fake time: counts, window boundaries and flushing a burst that stopped.
#include "packbridge/util/repeat_limiter.hpp"

#include <catch2/catch.hpp>

using namespace packbridge;
using namespace std::chrono_literals;

namespace {
const TimePoint t0{std::chrono::seconds(1000)};
}

TEST_CASE("occurrences inside one window are counted, not reported", "[repeat]") {
    RepeatLimiter limiter(60s);
    for (int i = 0; i < 59; ++i) {
        CHECK_FALSE(limiter.note(t0 + std::chrono::seconds(i)).has_value());
    }
    CHECK(limiter.pending() == 59);
    CHECK_FALSE(limiter.flush(t0 + 59s).has_value());
}

TEST_CASE("the first occurrence after the window closes reports the closed window", "[repeat]") {
    RepeatLimiter limiter(60s);
    for (int i = 0; i < 12; ++i)
        limiter.note(t0 + std::chrono::seconds(5 * i));  // 0..55 s
    const auto report = limiter.note(t0 + 60s);
    REQUIRE(report.has_value());
    CHECK(report->count == 12);
    CHECK(report->window == 60s);
    CHECK(limiter.pending() == 1);  // the occurrence at 60 s opens the next window
}

TEST_CASE("a silent pack timing out every 1.5 s gives one report per window", "[repeat]") {
    RepeatLimiter limiter(60s);
    int reports = 0;
    std::uint64_t counted = 0;
    int notes = 0;
    // 10 minutes of timeouts, plus a tick every second that flushes closed windows.
    for (auto t = t0; t < t0 + 600s; t += 500ms) {
        const auto since = t - t0;
        if (since % 1500ms == 0s) {
            ++notes;
            if (auto r = limiter.note(t)) {
                ++reports;
                counted += r->count;
            }
        }
        if (since % 1s == 0s) {
            if (auto r = limiter.flush(t)) {
                ++reports;
                counted += r->count;
            }
        }
    }
    CHECK(notes == 400);
    CHECK(reports == 9);  // windows closing at 60, 120, ... 540 s; the tenth is still open
    CHECK(counted + limiter.pending() == 400);
}

TEST_CASE("a burst that stopped is reported once by flush and then forgotten", "[repeat]") {
    RepeatLimiter limiter(60s);
    limiter.note(t0);
    limiter.note(t0 + 1s);
    limiter.note(t0 + 2s);
    CHECK_FALSE(limiter.flush(t0 + 59s).has_value());
    const auto report = limiter.flush(t0 + 60s);
    REQUIRE(report.has_value());
    CHECK(report->count == 3);
    CHECK_FALSE(limiter.flush(t0 + 600s).has_value());
    CHECK(limiter.pending() == 0);
}
