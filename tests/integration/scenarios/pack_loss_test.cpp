// SPDX-License-Identifier: Apache-2.0
// Reliability scenarios 1 and 2: packs going silent on the bus, one or all, and coming back,
// seen from the inverter side (the Pylon CAN frames of `packbridge run --dry-run`).
#include <catch2/catch.hpp>
#include <thread>

#include "bridge.hpp"

using namespace std::chrono_literals;
using namespace packbridge::testing;

namespace {

// Slack for a loaded 2-core test machine on top of the timing the config promises.
constexpr double kSlackS = 1.0;

BridgeConfig two_packs(const std::string& on_comms_loss) {
    BridgeConfig c;
    c.addresses = "0-1";
    c.on_comms_loss = on_comms_loss;
    return c;
}

}  // namespace

TEST_CASE(
    "one silent pack of four is dropped within the stale time, its limits go with it, "
    "the log says so once, and it counts again when it answers",
    "[scenarios][pack-loss]") {
    Bridge bridge;
    bridge.wait_steady();

    const double t0 = wall_now();
    bridge.sim().command("silence 2");
    REQUIRE_EVENTUALLY(bridge, bridge.latest().modules == 3, 6s);
    const auto dropped = bridge.sets_since(t0);
    // Step by step: full limits until the pack is dropped, three packs' worth from then on,
    // and nothing in between (no zeros, no half-counted set).
    bool seen_three = false;
    double dropped_at = 0;
    for (const auto& set : dropped) {
        if (set.modules == 3 && !seen_three) {
            seen_three = true;
            dropped_at = set.at;
        }
        if (seen_three) {
            CHECK(set.modules == 3);
            CHECK(set.ccl == 3 * kCclPerPack);
            CHECK(set.dcl == 3 * kDclPerPack);
        } else {
            CHECK(set.modules == 4);
            CHECK(set.ccl == 4 * kCclPerPack);
            CHECK(set.dcl == 4 * kDclPerPack);
        }
        CHECK(set.cvl == 560);
    }
    // Dropped once its reading went stale or it missed twice (offline_after_misses 2), whichever
    // came first: within stale_after_s plus a frame period.
    CHECK(dropped_at - t0 < kStaleAfterS + kPeriodS + kSlackS);

    // Still silent a while later: still three, and the log reported the loss once, not per miss.
    std::this_thread::sleep_for(1s);
    SCENARIO_LOG(bridge);
    CHECK(bridge.latest().modules == 3);
    CHECK(bridge.latest().ccl == 3 * kCclPerPack);
    CHECK(bridge.log_count("pack 2 offline") == 1);
    CHECK(bridge.log_count("warning raised: pack_lost") == 1);
    const auto lost = bridge.pack_status(2);
    CHECK(lost["online"] == false);
    CHECK(lost["counted"] == false);
    CHECK(lost["timeouts"].get<int>() >= 2);

    // It answers again: re-probed (reprobe_interval_s 1) and counted with its full limits.
    bridge.sim().command("restore 2");
    REQUIRE_EVENTUALLY(bridge, bridge.latest().modules == 4, 5s);
    CHECK(bridge.latest().ccl == 4 * kCclPerPack);
    CHECK(bridge.latest().dcl == 4 * kDclPerPack);
    CHECK(eventually([&] { return bridge.log_count("pack 2 online (answering") == 2; }, 2s));
    // The second time with how long it was silent.
    CHECK(bridge.log_count("pack 2 online (answering after ") == 1);
    CHECK(eventually([&] { return bridge.pack_status(2)["counted"] == true; }, 2s));
}

TEST_CASE(
    "when every pack goes silent the inverter gets zero limits within comms_loss_s, and "
    "normal limits again when they answer",
    "[scenarios][pack-loss]") {
    Bridge bridge(two_packs("zero"));
    bridge.wait_steady();

    const double t0 = wall_now();
    bridge.sim().command("silence 0");
    bridge.sim().command("silence 1");
    REQUIRE_EVENTUALLY(bridge, bridge.latest().ccl == 0, 6s);
    const auto sets = bridge.sets_since(t0);
    double zero_at = 0;
    for (const auto& set : sets) {
        if (set.ccl == 0 && zero_at == 0) zero_at = set.at;
        if (zero_at > 0) {
            // The safe state: zero limits, charge and discharge disabled, CVL kept.
            CHECK(set.ccl == 0);
            CHECK(set.dcl == 0);
            CHECK(set.modules == 0);
            CHECK(set.cvl == 560);
        } else {
            CHECK(set.ccl > 0);  // never a zero before, never anything but the packs' limits
            CHECK(set.dcl > 0);
        }
    }
    CHECK(zero_at - t0 < kCommsLossS + kSlackS);
    CHECK(eventually([&] { return bridge.latest().flags == "00"; }, 1s));

    // After comms_loss_s without any fresh pack the status file names the bus loss too.
    CHECK(eventually(
        [&] {
            const auto s = bridge.status();
            return !s.is_null() && s["battery"]["safe_state"] == true &&
                   s["battery"]["protections"].dump().find("bus_lost") != std::string::npos;
        },
        std::chrono::milliseconds(static_cast<int>((kCommsLossS + 2) * 1000))));
    SCENARIO_LOG(bridge);
    CHECK(bridge.log_count("safe state entered") == 1);

    // Start-up already logged one "safe state left" (when the first sweep found the packs).
    const auto left_before = bridge.log_count("safe state left");
    const double t1 = wall_now();
    bridge.sim().command("restore 0");
    bridge.sim().command("restore 1");
    REQUIRE_EVENTUALLY(bridge, bridge.latest().modules == 2, 6s);
    CHECK(bridge.latest().ccl == 2 * kCclPerPack);
    CHECK(bridge.latest().dcl == 2 * kDclPerPack);
    CHECK(eventually([&] { return bridge.latest().flags == "C0"; }, 1s));
    CHECK(eventually([&] { return bridge.log_count("safe state left") == left_before + 1; }, 2s));
    // The frames never paused while the packs were away.
    const auto during = frames_with_id(bridge.frames(), "351");
    CHECK(longest_gap(during) < kPeriodS + 0.35);
    CHECK(bridge.sets_since(t1).size() >= 2);
}

TEST_CASE(
    "with on_comms_loss silence the inverter gets no frames at all while every pack is "
    "silent, and normal frames again when they answer",
    "[scenarios][pack-loss]") {
    Bridge bridge(two_packs("silence"));
    bridge.wait_steady();
    // At start-up, before the packs answered, the output was silent too: count from here.
    const int silenced = bridge.log_count("CAN output silenced");
    const int resumed = bridge.log_count("CAN output resumed");

    const double t0 = wall_now();
    bridge.sim().command("silence 0");
    bridge.sim().command("silence 1");
    // Output stops: no frame for well over a period.
    REQUIRE_EVENTUALLY(bridge, wall_now() - bridge.latest().at > 1.0, 6s);
    const double last = bridge.latest().at;
    CHECK(last - t0 < kCommsLossS + kSlackS);
    for (const auto& set : bridge.sets_since(t0)) {
        CHECK(set.ccl > 0);  // never zeros: the inverter sees the BMS disappear instead
        CHECK(set.dcl > 0);
    }
    std::this_thread::sleep_for(1s);
    CHECK(bridge.latest().at == last);  // still nothing
    SCENARIO_LOG(bridge);
    CHECK(bridge.log_count("CAN output silenced") == silenced + 1);
    const auto s = bridge.status();
    CHECK(s["battery"]["transmit"] == false);
    CHECK(s["inverter"]["state"] == "dry-run");

    const double t1 = wall_now();
    bridge.sim().command("restore 0");
    bridge.sim().command("restore 1");
    // The newest set before the silence also says 2 modules: wait for a set sent after t1.
    REQUIRE_EVENTUALLY(bridge, !bridge.sets_since(t1).empty() && bridge.latest().modules == 2, 8s);
    const auto back = bridge.sets_since(t1);
    REQUIRE_FALSE(back.empty());
    // The first set after the silence already carries the packs' limits, not zeros.
    CHECK(back.front().ccl > 0);
    CHECK(bridge.latest().ccl == 2 * kCclPerPack);
    CHECK(bridge.latest().dcl == 2 * kDclPerPack);
    CHECK(bridge.log_count("CAN output resumed") == resumed + 1);
}

TEST_CASE(
    "start-up tells the journal the safe state, then that it was left once the first sweep "
    "found the packs, and never clears a warning it did not raise",
    "[scenarios][pack-loss]") {
    Bridge bridge;
    bridge.wait_steady();
    std::this_thread::sleep_for(1500ms);  // a few ticks after every pack counted
    SCENARIO_LOG(bridge);
    CHECK(bridge.log_count("bank: safe state until enough packs answer") == 1);
    CHECK(bridge.log_count("safe state left: 4 of 4 packs fresh") == 1);
    // Packs found one after another during the first sweep are not "lost" and then "cleared".
    CHECK(bridge.log_count("warning raised") == 0);
    CHECK(bridge.log_count("warning cleared") == 0);
    CHECK(bridge.log_count("protection cleared") == 0);
}
