// SPDX-License-Identifier: Apache-2.0
// sd_notify end to end: `packbridge run --dry-run` against packbridge-sim with NOTIFY_SOCKET set
// to a socket this test binds. READY=1 only once the first frame set is out, WATCHDOG=1 repeating
// at half WATCHDOG_USEC while frames flow, STOPPING=1 on SIGTERM and an exit within 1 s.
#include <signal.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include "support/daemon_process.hpp"
#include "support/dry_run_frames.hpp"
#include "support/notify_socket.hpp"
#include "support/sim_process.hpp"
#include "test_config.hpp"

using namespace std::chrono_literals;
using namespace packbridge::testing;

namespace {

std::size_t index_of(const std::vector<NotifySocket::Message>& messages, const std::string& line,
                     std::size_t from = 0) {
    for (std::size_t i = from; i < messages.size(); ++i) {
        if (has_line(messages[i].text, line)) return i;
    }
    return messages.size();
}

int count_of(const std::vector<NotifySocket::Message>& messages, const std::string& line) {
    int n = 0;
    for (const auto& m : messages)
        n += has_line(m.text, line) ? 1 : 0;
    return n;
}

}  // namespace

TEST_CASE("READY=1 after the first frame set, WATCHDOG=1 repeating, STOPPING=1 and exit on SIGTERM",
          "[lifecycle][notify]") {
    TempDir dir;
    SimProcess sim({"--addresses", "0-1"});
    const auto config = dir.path / "packbridge.json";
    write_config(config, {sim.device(), "56.0", 250, 500, dir.path / "status.json"});
    NotifySocket notify(dir.path / "notify");
    // 1 s watchdog: pings expected every 500 ms.
    DaemonProcess daemon(config, dir.path,
                         {{"NOTIFY_SOCKET", notify.path().string()}, {"WATCHDOG_USEC", "1000000"}});

    const auto ready = notify.wait_for("READY=1", 10s);
    INFO("daemon stderr:\n" << daemon.stderr_text());
    REQUIRE(ready);
    // The whole first set was written (and flushed) before READY=1 left.
    const auto at_ready = parse_dry_run(daemon.stdout_text());
    CHECK_FALSE(frames_with_id(at_ready, "351").empty());
    CHECK_FALSE(frames_with_id(at_ready, "35E").empty());

    // Let the watchdog run for 2.6 s.
    const auto until = std::chrono::steady_clock::now() + 2600ms;
    while (std::chrono::steady_clock::now() < until)
        notify.receive(50ms);

    const auto [status, took] = daemon.terminate();
    CHECK(status == 0);
    CHECK(took < 1000ms);
    // Anything still queued on the socket (STOPPING=1 must be among it).
    while (notify.receive(200ms)) {
    }

    const auto& messages = notify.messages();
    const auto ready_at = index_of(messages, "READY=1");
    const auto first_watchdog = index_of(messages, "WATCHDOG=1");
    const auto stopping = index_of(messages, "STOPPING=1");
    REQUIRE(ready_at < messages.size());
    REQUIRE(first_watchdog < messages.size());
    REQUIRE(stopping < messages.size());
    CHECK(ready_at < first_watchdog);
    CHECK(first_watchdog < stopping);
    CHECK(index_of(messages, "WATCHDOG=1", stopping) == messages.size());  // none after STOPPING
    CHECK(count_of(messages, "READY=1") == 1);

    // Every 500 ms for 2.6 s: at least 4, spaced well inside the 1 s deadline.
    std::vector<std::chrono::steady_clock::time_point> pings;
    for (const auto& m : messages) {
        if (has_line(m.text, "WATCHDOG=1")) pings.push_back(m.at);
    }
    CHECK(pings.size() >= 4);
    for (std::size_t i = 1; i < pings.size(); ++i) {
        CHECK(pings[i] - pings[i - 1] < 900ms);
    }
}

TEST_CASE("without WATCHDOG_USEC there are no watchdog pings", "[lifecycle][notify]") {
    TempDir dir;
    SimProcess sim({"--addresses", "0-1"});
    const auto config = dir.path / "packbridge.json";
    write_config(config, {sim.device(), "56.0", 250, 500, dir.path / "status.json"});
    NotifySocket notify(dir.path / "notify");
    DaemonProcess daemon(config, dir.path, {{"NOTIFY_SOCKET", notify.path().string()}});
    REQUIRE(notify.wait_for("READY=1", 10s));
    const auto until = std::chrono::steady_clock::now() + 1500ms;
    while (std::chrono::steady_clock::now() < until)
        notify.receive(50ms);
    CHECK(count_of(notify.messages(), "WATCHDOG=1") == 0);
    CHECK(daemon.terminate().first == 0);
}

TEST_CASE(
    "with the pack-bus adapter absent at start READY=1 still comes, STATUS= names the wait, and "
    "the packs are counted once the device appears",
    "[lifecycle][notify][adapter]") {
    TempDir dir;
    SimProcess sim({"--addresses", "0-1"});
    // The adapter's device node: a symlink to the simulator's pty, created only later, as udev
    // creates /dev/ttyUSB0 when the adapter is plugged in.
    const auto device = dir.path / "ttyUSB-late";
    const auto config = dir.path / "packbridge.json";
    write_config(config, {device.string(), "56.0", 250, 500, dir.path / "status.json"});
    NotifySocket notify(dir.path / "notify");
    DaemonProcess daemon(config, dir.path, {{"NOTIFY_SOCKET", notify.path().string()}});

    const auto ready = notify.wait_for("READY=1", 10s);
    INFO("daemon stderr:\n" << daemon.stderr_text());
    REQUIRE(ready);
    // Ready in the safe state, and saying why: the device and what the OS said.
    CHECK_THAT(ready->text, Catch::Contains("STATUS=SAFE STATE (zeros), packs 0/0"));
    CHECK_THAT(ready->text,
               Catch::Contains("waiting for the pack-bus adapter (cannot open " + device.string() +
                               ": No such file or directory), retrying"));
    // The inverter side runs meanwhile: safe-state frames go out.
    CHECK_FALSE(frames_with_id(parse_dry_run(daemon.stdout_text()), "351").empty());

    // Several retries pass while the device is absent. STATUS= follows changes only: the
    // packs the poller has tried move from 0 to 2 (packs 0/0, 0/1, 0/2), nothing else changes,
    // so at most three lines and never the same line twice in a row. The journal names the
    // missing device once, not per retry.
    const auto waited_until = std::chrono::steady_clock::now() + 2500ms;
    while (std::chrono::steady_clock::now() < waited_until)
        notify.receive(50ms);
    std::vector<std::string> statuses;
    for (const auto& m : notify.messages()) {
        const auto at = m.text.find("STATUS=");
        if (at != std::string::npos) statuses.push_back(m.text.substr(at));
    }
    INFO("STATUS= lines while waiting:\n" << Catch::Detail::stringify(statuses));
    CHECK(statuses.size() <= 3);
    for (std::size_t i = 1; i < statuses.size(); ++i)
        CHECK(statuses[i] != statuses[i - 1]);
    for (const auto& line : statuses)
        CHECK_THAT(line, Catch::Contains("waiting for the pack-bus adapter"));
    const std::string log = daemon.stderr_text();
    const std::string missing = "cannot open " + device.string();
    std::size_t mentions = 0;
    for (auto at = log.find(missing); at != std::string::npos; at = log.find(missing, at + 1))
        ++mentions;
    CHECK(mentions == 1);

    // Plug the adapter in.
    std::filesystem::create_symlink(sim.device(), device);
    bool counted = false;
    const auto until = std::chrono::steady_clock::now() + 30s;
    while (!counted && std::chrono::steady_clock::now() < until) {
        if (auto m = notify.receive(200ms)) {
            counted = m->text.find("STATUS=packs 2/2, SOC ") != std::string::npos &&
                      m->text.find("waiting") == std::string::npos;
        }
    }
    INFO("daemon stderr after plugging in:\n" << daemon.stderr_text());
    CHECK(counted);
    CHECK(daemon.terminate().first == 0);
}
