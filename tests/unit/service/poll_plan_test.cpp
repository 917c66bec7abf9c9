// SPDX-License-Identifier: Apache-2.0
// The adaptive polling policy (service/poll_plan.hpp) on its own, and the poller that follows it
// on a 16-pack in-memory bus at 9600 baud (fake time, wire time modelled per character).
#include "packbridge/service/poll_plan.hpp"

#include <algorithm>
#include <catch2/catch.hpp>
#include <map>
#include <vector>

#include "packbridge/protocol/pack/pace.hpp"
#include "packbridge/service/pack_poller.hpp"
#include "support/fake_timers.hpp"
#include "support/memory_bus.hpp"

using namespace packbridge;
using namespace std::chrono_literals;
using packbridge::testing::FakeTimers;
using packbridge::testing::MemoryBus;
using service::PlanSettings;
using service::PollPlan;
using Pick = service::PollPlan::Pick;

namespace {

PackReading quiet_reading(std::uint8_t address, TimePoint at) {
    PackReading r;
    r.address = address;
    r.at = at;
    r.analog.cell_mv.assign(16, 3300);
    r.analog.current_ma = 10'000;
    return r;
}

TimePoint t0() {
    return TimePoint{std::chrono::seconds(1000)};
}

// --- the pure policy -------------------------------------------------------------------------

TEST_CASE("a quiet reading is near no limit") {
    CHECK(service::near_limit(quiet_reading(0, t0()), PlanSettings{}) == service::kNearNone);
}

TEST_CASE("a cell within the margin of the charge taper start makes a pack near a limit") {
    auto r = quiet_reading(0, t0());
    r.analog.cell_mv[7] = 3399;  // taper start 3450, margin 50
    CHECK(service::near_limit(r, PlanSettings{}) == service::kNearNone);
    r.analog.cell_mv[7] = 3400;
    CHECK(service::near_limit(r, PlanSettings{}) == service::kNearCellHigh);
}

TEST_CASE("a cell within the margin of the discharge taper start makes a pack near a limit") {
    auto r = quiet_reading(0, t0());
    r.analog.cell_mv[3] = 3101;  // discharge taper start 3050, margin 50
    CHECK(service::near_limit(r, PlanSettings{}) == service::kNearNone);
    r.analog.cell_mv[3] = 3100;
    CHECK(service::near_limit(r, PlanSettings{}) == service::kNearCellLow);
}

TEST_CASE("a warning, a protection or a high current make a pack near a limit") {
    auto r = quiet_reading(0, t0());
    r.status.warnings.set(Alarm::cell_imbalance);
    CHECK(service::near_limit(r, PlanSettings{}) == service::kNearWarning);
    r = quiet_reading(0, t0());
    r.status.protections.set(Alarm::charge_over_current);
    CHECK(service::near_limit(r, PlanSettings{}) == service::kNearProtection);
    r = quiet_reading(0, t0());
    r.analog.current_ma = 39'990;  // 80 % of 50 A charge is 40 A
    CHECK(service::near_limit(r, PlanSettings{}) == service::kNearNone);
    r.analog.current_ma = 40'000;
    CHECK(service::near_limit(r, PlanSettings{}) == service::kNearCurrent);
    r.analog.current_ma = -80'000;  // 80 % of 100 A discharge
    CHECK(service::near_limit(r, PlanSettings{}) == service::kNearCurrent);
    PlanSettings no_current;
    no_current.current_pct = 0;
    CHECK(service::near_limit(r, no_current) == service::kNearNone);
}

TEST_CASE("a quiet bank leaves the sweep alone") {
    PollPlan plan;
    for (std::uint8_t a = 0; a < 16; ++a) {
        plan.polled(a, t0());
        plan.reading(a, quiet_reading(a, t0()));
    }
    for (auto t = t0(); t < t0() + 8s; t += 100ms) {
        CHECK_FALSE(plan.next(t, std::uint8_t{3}).has_value());
    }
}

TEST_CASE("a near pack is asked for at the boundary nearest its fast interval") {
    PollPlan plan;  // fast interval 800 ms, slot 350 ms until measured
    for (std::uint8_t a = 0; a < 16; ++a) {
        plan.polled(a, t0());
        plan.reading(a, quiet_reading(a, t0()));
    }
    auto hot = quiet_reading(9, t0());
    hot.analog.cell_mv[0] = 3440;
    plan.reading(9, hot);
    CHECK(plan.near(9));
    CHECK_FALSE(plan.next(t0() + 624ms, std::uint8_t{2}).has_value());  // 624 + 175 < 800
    CHECK(plan.next(t0() + 625ms, std::uint8_t{2}) == Pick{9, true});
    // Not twice: the sweep's own next request is that pack already.
    CHECK_FALSE(plan.next(t0() + 625ms, std::uint8_t{9}).has_value());
}

TEST_CASE("extra polls leave two of every three requests to the sweep") {
    PollPlan plan;
    for (std::uint8_t a = 0; a < 16; ++a) {
        plan.polled(a, t0());
        plan.reading(a, quiet_reading(a, t0()));
    }
    auto hot = quiet_reading(9, t0());
    hot.status.warnings.set(Alarm::cell_imbalance);
    plan.reading(9, hot);
    plan.polled(9, t0() + 1s, true);
    // Due again at once (interval long past), but two requests of the sweep come first.
    CHECK_FALSE(plan.next(t0() + 3s, std::uint8_t{2}).has_value());
    plan.polled(2, t0() + 3s);
    CHECK_FALSE(plan.next(t0() + 3300ms, std::nullopt).has_value());
    plan.other_request();  // an identity read counts as one of the sweep's
    CHECK(plan.next(t0() + 3400ms, std::uint8_t{3}) == Pick{9, true});
}

TEST_CASE("a near pack's reply deadline is twice its last reply time, at least 250 ms") {
    PollPlan plan;
    auto hot = quiet_reading(4, t0());
    hot.analog.current_ma = -90'000;
    plan.reading(4, hot);
    plan.reading(5, quiet_reading(5, t0()));
    CHECK(plan.deadline(4, 500ms, 170ms) == 340ms);
    CHECK(plan.deadline(4, 500ms, 60ms) == 250ms);
    CHECK(plan.deadline(4, 500ms, 400ms) == 500ms);  // never beyond the configured one
    CHECK(plan.deadline(4, 500ms, std::nullopt) == 500ms);
    CHECK(plan.deadline(5, 500ms, 60ms) == 500ms);  // a quiet pack keeps the configured one
}

TEST_CASE(
    "a reading about to go stale goes before the sweep, and before any near pack soon after") {
    PollPlan plan;  // stale_after 10 s: the limit is 10 - 1 - 2 x 0.35 = 8.3 s
    CHECK(plan.starvation_limit() == 8300ms);
    for (std::uint8_t a = 0; a < 16; ++a) {
        plan.polled(a, t0());
        plan.reading(a, quiet_reading(a, t0()));
    }
    auto hot = quiet_reading(1, t0() + 8s);
    hot.status.warnings.set(Alarm::cell_imbalance);
    plan.polled(1, t0() + 7s);
    plan.reading(1, hot);
    plan.reading(4, quiet_reading(4, t0() + 100ms));
    // Past the limit: before the rest of the sweep, but a near pack that is due goes first.
    CHECK(plan.next(t0() + 8300ms, std::uint8_t{12}) == Pick{1, true});
    CHECK(plan.next(t0() + 8300ms, std::nullopt) == Pick{1, true});
    plan.polled(1, t0() + 8300ms, true);
    CHECK(plan.next(t0() + 8300ms, std::uint8_t{12}) == Pick{0, false});
    // One slot past the limit: before everything.
    plan.polled(2, t0() + 8400ms);
    plan.polled(3, t0() + 8500ms);
    CHECK(plan.next(t0() + 9200ms, std::uint8_t{12}) == Pick{0, false});
}

TEST_CASE("with a stale_after_s shorter than a sweep, readings are moved up only past one sweep") {
    PlanSettings settings;
    settings.limits.stale_after = 2500ms;
    PollPlan plan(settings);
    for (std::uint8_t a = 0; a < 4; ++a) {
        plan.polled(a, t0());
        plan.reading(a, quiet_reading(a, t0()));
    }
    CHECK(plan.starvation_limit() == 5 * 350ms);  // (4 packs + 1) slots, not 2.5 - 1 - 0.7 s
    CHECK_FALSE(plan.next(t0() + 1700ms, std::nullopt).has_value());
    CHECK(plan.next(t0() + 1750ms, std::nullopt) == Pick{0, false});
}

TEST_CASE("an old reading of a pack that missed its last reply is not moved up") {
    PollPlan plan;
    for (std::uint8_t a = 0; a < 16; ++a) {
        plan.polled(a, t0());
        plan.reading(a, quiet_reading(a, t0()));
    }
    plan.polled(0, t0() + 5s);
    plan.missed(0, t0() + 5500ms, false);
    plan.polled(1, t0() + 9s);
    plan.reading(1, quiet_reading(1, t0() + 9s));
    // Pack 0's reading is the oldest, but it does not answer: pack 2 goes first.
    CHECK(plan.next(t0() + 9500ms, std::uint8_t{7}) == Pick{2, false});
}

TEST_CASE("a near pack that goes offline is asked again a few times, then left to re-probing") {
    PollPlan plan;
    auto hot = quiet_reading(5, t0());
    hot.analog.current_ma = 45'000;
    plan.polled(5, t0());
    plan.reading(5, hot);
    CHECK(plan.near_by_reading(5));
    plan.missed(5, t0() + 1s, true);
    CHECK_FALSE(plan.near_by_reading(5));
    auto t = t0() + 1s;
    int asked = 0;
    for (int i = 0; i < 20; ++i, t += 1s) {
        if (plan.next(t, std::nullopt) == Pick{5, true}) {
            ++asked;
            plan.polled(5, t, true);
            plan.missed(5, t, true);
        }
        plan.other_request();
        plan.other_request();
    }
    CHECK(asked == 3);
}

// --- the poller following it on a modelled wire ---------------------------------------------

struct Bus16 {
    explicit Bus16(std::uint32_t poll_ms = 800) : bus(timers, 9600, 20) {
        config.mode = BusMode::master;
        config.auto_addresses = false;
        for (std::uint8_t a = 0; a < 16; ++a) {
            config.addresses.push_back(a);
            bus.packs.push_back(sim::SimPack::make(a, 1));
        }
        config.min_gap_ms = 0;
        config.near_limit_poll_ms = poll_ms;
        service::PollerCallbacks cb;
        cb.on_reading = [this](const PackReading& r) { readings[r.address].push_back(r.at); };
        cb.on_identity = [this](std::uint8_t, const PackIdentity&) {
            if (!first_identity) first_identity = timers.now();
        };
        poller = std::make_unique<service::PackPoller>(config, bus, timers, cb);
    }

    sim::SimPack& pack(std::uint8_t a) { return bus.packs.at(a); }

    // Start times of the analog requests to `address`.
    std::vector<TimePoint> analog_polls(std::uint8_t address) const {
        std::vector<TimePoint> out;
        for (const auto& w : bus.writes) {
            auto f = protocol::ascii::decode(w.bytes);
            if (f && f->adr == address && f->cid2 == protocol::pace::kCidAnalog)
                out.push_back(w.at);
        }
        return out;
    }

    Duration longest_gap(std::uint8_t address) const {
        const auto& times = readings.at(address);
        Duration longest{};
        for (std::size_t i = 1; i < times.size(); ++i)
            longest = std::max(longest, times[i] - times[i - 1]);
        return longest;
    }

    BusConfig config;
    FakeTimers timers;
    MemoryBus bus;
    std::unique_ptr<service::PackPoller> poller;
    std::map<std::uint8_t, std::vector<TimePoint>> readings;
    std::optional<TimePoint> first_identity;
};

TEST_CASE("a quiet bank of 16 is polled in plain round robin") {
    Bus16 f;
    f.poller->start();
    f.timers.run_for(40s);
    std::vector<int> order;
    for (const auto& w : f.bus.writes) {
        auto frame = protocol::ascii::decode(w.bytes);
        if (frame && frame->cid2 == protocol::pace::kCidAnalog) order.push_back(frame->adr);
    }
    REQUIRE(order.size() > 64);
    for (std::size_t i = 0; i < order.size(); ++i) {
        INFO("analog request " << i);
        CHECK(order[i] == static_cast<int>(i % 16));
    }
}

TEST_CASE("the first sweep reads every pack's analog values before any identity") {
    Bus16 f;
    f.poller->start();
    f.timers.run_for(20s);
    REQUIRE(f.first_identity);
    for (std::uint8_t a = 0; a < 16; ++a) {
        INFO("pack " << int(a));
        REQUIRE(!f.readings[a].empty());
        CHECK(f.readings[a].front() < *f.first_identity);
    }
}

TEST_CASE("a pack near a limit among 16 is polled every third transaction, about 1 s at 9600") {
    Bus16 f;
    f.pack(6).analog.current_ma = 45'000;  // 90 % of the 50 A per-pack charge limit
    f.pack(6).refresh();
    f.poller->start();
    f.timers.run_for(60s);
    const auto polls = f.analog_polls(6);
    REQUIRE(polls.size() > 50);
    Duration longest{};
    // After the start-up: the first sweep reads every pack once, then 32 identity reads make
    // every reading old at once, and for a few sweeps the oldest go first.
    for (std::size_t i = 1; i < polls.size(); ++i) {
        if (polls[i - 1] < polls.front() + 40s) continue;
        longest = std::max(longest, polls[i] - polls[i - 1]);
        if (polls[i] - polls[i - 1] > 1050ms) {
            for (const auto& w : f.bus.writes) {
                if (w.at < polls[i - 1] || w.at > polls[i]) continue;
                auto fr = protocol::ascii::decode(w.bytes);
                UNSCOPED_INFO(
                    std::chrono::duration_cast<std::chrono::milliseconds>(w.at - polls.front())
                        .count()
                    << " " << int(fr->adr) << " " << int(fr->cid2));
            }
        }
    }
    CHECK(longest <= 1050ms);
    CHECK(f.poller->plan().near(6));
}

TEST_CASE("no pack of 16 starves while four of them are near a limit") {
    Bus16 f;
    for (const int a : {1, 5, 9, 13}) {
        f.pack(static_cast<std::uint8_t>(a)).status.warnings.set(Alarm::cell_over_voltage);
    }
    f.poller->start();
    f.timers.run_for(120s);
    for (std::uint8_t a = 0; a < 16; ++a) {
        INFO("pack " << int(a));
        CHECK(f.longest_gap(a) < 10s);  // battery.stale_after_s
    }
    // The near ones get more than their share; the others still come round.
    CHECK(2 * f.readings[5].size() > 3 * f.readings[6].size());
}

TEST_CASE("a pack near a limit that stops answering is offline after one missed reply") {
    Bus16 f;
    f.pack(3).analog.current_ma = 45'000;
    f.pack(3).refresh();
    f.poller->start();
    f.timers.run_for(15s);
    REQUIRE(f.poller->health(3).online);
    f.pack(3).faults.silent = true;
    const auto silenced = f.timers.now();
    TimePoint offline_at{};
    for (int i = 0; i < 400 && f.poller->health(3).online; ++i) {
        f.timers.run_for(10ms);
        offline_at = f.timers.now();
    }
    CHECK_FALSE(f.poller->health(3).online);
    CHECK(f.poller->health(3).consecutive_misses == 1);
    // At most three transactions to the next poll, then the request and its near deadline
    // (twice the last reply time, ~0.3 s) instead of the configured 500 ms.
    CHECK(offline_at - silenced <= 1050ms + 400ms);
    // And it comes back as soon as it answers again: asked at the fast interval.
    f.pack(3).faults.silent = false;
    f.timers.run_for(3s);
    CHECK(f.poller->health(3).online);
}

TEST_CASE("with adaptive polling off a near pack waits for the sweep like the others") {
    Bus16 f(0);
    f.pack(6).analog.current_ma = 45'000;
    f.pack(6).refresh();
    f.poller->start();
    f.timers.run_for(40s);
    CHECK_FALSE(f.poller->plan().near(6));
    CHECK(f.analog_polls(6).size() == f.analog_polls(7).size());
}

}  // namespace

TEST_CASE(
    "at 115200 baud with stale_after_s 2 no reading of 16 packs gets 2 s old, start-up included") {
    Bus16 f;
    f.config.baud = 115200;
    FakeTimers& timers = f.timers;
    MemoryBus bus(timers, 115200, 20);
    bus.packs = f.bus.packs;
    std::map<std::uint8_t, std::vector<TimePoint>> readings;
    service::PollerCallbacks cb;
    cb.on_reading = [&](const PackReading& r) { readings[r.address].push_back(r.at); };
    service::PackPoller poller(f.config, bus, timers, cb);
    service::PlanLimits limits;
    limits.stale_after = 2s;
    poller.set_plan_limits(limits);
    poller.start();
    timers.run_for(30s);
    for (std::uint8_t a = 0; a < 16; ++a) {
        INFO("pack " << int(a));
        const auto& times = readings[a];
        REQUIRE(times.size() > 2);
        Duration longest{};
        for (std::size_t i = 1; i < times.size(); ++i)
            longest = std::max(longest, times[i] - times[i - 1]);
        CHECK(longest < 2s);
    }
}
