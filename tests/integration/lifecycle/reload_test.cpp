// SPDX-License-Identifier: Apache-2.0
// SIGHUP end to end: one daemon run against packbridge-sim, reloaded four times. A battery-only
// change applies without touching the pack bus or the inverter side; an invalid file is refused
// with the reason in the log; a bus change restarts only the poller; an inverter change rebuilds
// only the inverter side. Throughout, the 0x351 frames never pause longer than a period + slack.
#include <signal.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <functional>
#include <string>
#include <thread>

#include "support/daemon_process.hpp"
#include "support/dry_run_frames.hpp"
#include "support/notify_socket.hpp"
#include "support/sim_process.hpp"
#include "test_config.hpp"

using namespace std::chrono_literals;
using namespace packbridge::testing;

namespace {

int occurrences(const std::string& text, const std::string& needle) {
    int n = 0;
    for (auto at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1))
        ++n;
    return n;
}

bool eventually(const std::function<bool()>& done, std::chrono::milliseconds timeout) {
    const auto until = std::chrono::steady_clock::now() + timeout;
    while (!done()) {
        if (std::chrono::steady_clock::now() > until) return false;
        std::this_thread::sleep_for(50ms);
    }
    return true;
}

// CVL in 0.1 V from the newest 0x351, 0 when none yet.
unsigned latest_cvl(const DaemonProcess& daemon) {
    const auto frames = frames_with_id(parse_dry_run(daemon.stdout_text()), "351");
    return frames.empty() ? 0 : le16(frames.back().payload, 0);
}

}  // namespace

TEST_CASE("SIGHUP reloads the config and reopens only what changed", "[lifecycle][reload]") {
    TempDir dir;
    SimProcess sim({"--addresses", "0-1"});
    const auto config = dir.path / "packbridge.json";
    TestConfig settings{sim.device(), "56.0", 250, 500, dir.path / "status.json"};
    write_config(config, settings);
    NotifySocket notify(dir.path / "notify");
    DaemonProcess daemon(config, dir.path, {{"NOTIFY_SOCKET", notify.path().string()}});
    const auto log = [&] { return daemon.stderr_text(); };

    REQUIRE(notify.wait_for("READY=1", 10s));
    // Both packs online and counted before reloading anything.
    REQUIRE(eventually([&] { return occurrences(log(), " online (") >= 2; }, 10s));
    INFO("daemon stderr:\n" << log());
    CHECK(latest_cvl(daemon) == 560);
    CHECK(occurrences(log(), "bus: opened") == 1);
    CHECK(occurrences(log(), "over CAN") == 1);

    // A battery-only change: new CVL at once, bus and inverter side untouched.
    settings.charge_voltage_v = "55.2";
    write_config(config, settings);
    daemon.signal(SIGHUP);
    CHECK(notify.wait_for("RELOADING=1", 3s));
    CHECK(notify.wait_for("READY=1", 3s));
    CHECK(eventually([&] { return latest_cvl(daemon) == 552; }, 3s));
    CHECK(occurrences(log(), "reload: applied") == 1);
    CHECK(occurrences(log(), "pack bus and inverter side unchanged") == 1);
    CHECK(occurrences(log(), "bus: opened") == 1);  // the pack bus was not reopened ...
    CHECK(occurrences(log(), " online (") == 2);    // ... and no pack was rediscovered
    CHECK(occurrences(log(), "over CAN") == 1);     // the inverter side was not rebuilt

    // An invalid file: refused with the reason, the running config (CVL 55.2 V) stays.
    settings.charge_voltage_v = "70";
    write_config(config, settings);
    daemon.signal(SIGHUP);
    CHECK(eventually([&] { return occurrences(log(), "is invalid") == 1; }, 3s));
    CHECK(occurrences(log(), "keeping the running config") == 1);
    CHECK(occurrences(log(), "charge_voltage_v") >= 1);  // says which key and why
    std::this_thread::sleep_for(1s);
    CHECK(daemon.running());
    CHECK(latest_cvl(daemon) == 552);

    // A bus change restarts the poller only.
    settings.charge_voltage_v = "55.2";
    settings.request_timeout_ms = 400;
    write_config(config, settings);
    daemon.signal(SIGHUP);
    CHECK(eventually([&] { return occurrences(log(), "bus: opened") == 2; }, 3s));
    CHECK(occurrences(log(), "bus settings changed") == 1);
    CHECK(occurrences(log(), "over CAN") == 1);

    // An inverter change rebuilds the inverter side only.
    settings.period_ms = 200;
    write_config(config, settings);
    daemon.signal(SIGHUP);
    CHECK(eventually([&] { return occurrences(log(), "over CAN") == 2; }, 3s));
    CHECK(occurrences(log(), "inverter settings changed") == 1);
    CHECK(occurrences(log(), "bus: opened") == 2);
    std::this_thread::sleep_for(1s);

    // Frames flowed through all four reloads: no pause longer than a period plus slack
    // (slack for a loaded 2-core test machine).
    const auto cvl = frames_with_id(parse_dry_run(daemon.stdout_text()), "351");
    INFO("daemon stdout:\n" << daemon.stdout_text());
    REQUIRE(cvl.size() >= 10);  // about 3.5 s of frames at 4-5 per second
    CHECK(longest_gap(cvl) < 0.25 + 0.35);
    CHECK(le16(cvl.back().payload, 0) == 552);

    const auto [status, took] = daemon.terminate();
    CHECK(status == 0);
    CHECK(took < 1000ms);
}
