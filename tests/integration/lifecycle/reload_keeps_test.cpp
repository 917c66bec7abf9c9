// SPDX-License-Identifier: Apache-2.0
// SIGHUP cases where a reload must keep what runs (real daemon against packbridge-sim, dry-run
// CAN output on stdout): a new inverter side whose device cannot be opened leaves the old one
// sending and says so; a bus change on the same device keeps every pack's reading, so the
// inverter never sees the safe state's zero limits.
#include <signal.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <fstream>
#include <functional>
#include <string>
#include <thread>

#include "support/daemon_process.hpp"
#include "support/dry_run_frames.hpp"
#include "support/notify_socket.hpp"
#include "support/sim_process.hpp"

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

// `inverter` is the JSON of the inverter section; written beside and renamed.
void write_config(const std::filesystem::path& path, const std::string& device,
                  unsigned request_timeout_ms, const std::string& inverter) {
    const auto tmp = path.string() + ".tmp";
    {
        std::ofstream out(tmp);
        out << R"({"bus": {"device": ")" << device
            << R"(", "addresses": "0-1", "mode": "master", "request_timeout_ms": )"
            << request_timeout_ms << R"(}, "inverter": )" << inverter << R"(,
  "battery": {"min_packs": 2}, "status": {"enabled": false}, "log": {"summary_interval_s": 60}})";
    }
    std::filesystem::rename(tmp, path);
}

const std::string kDryRunCan = R"({"brand": "deye", "can": {"interface": "-", "period_ms": 200}})";

std::size_t frames_351(const DaemonProcess& daemon) {
    return frames_with_id(parse_dry_run(daemon.stdout_text()), "351").size();
}

}  // namespace

TEST_CASE("a reload whose RS485 device cannot be opened keeps the running inverter side",
          "[lifecycle][reload]") {
    TempDir dir;
    SimProcess sim({"--addresses", "0-1"});
    const auto config = dir.path / "packbridge.json";
    write_config(config, sim.device(), 500, kDryRunCan);
    NotifySocket notify(dir.path / "notify");
    DaemonProcess daemon(config, dir.path, {{"NOTIFY_SOCKET", notify.path().string()}});
    const auto log = [&] { return daemon.stderr_text(); };
    REQUIRE(notify.wait_for("READY=1", 10s));

    const auto missing = (dir.path / "no-such-adapter").string();
    write_config(config, sim.device(), 500,
                 R"({"brand": "growatt-spf-485", "rs485": {"device": ")" + missing + R"("}})");
    daemon.signal(SIGHUP);
    INFO("daemon stderr:\n" << log());
    REQUIRE(eventually([&] { return occurrences(log(), "keeping the running one") == 1; }, 3s));
    CHECK(occurrences(log(), "cannot open serial device " + missing) == 1);
    // The old side still sends its frame sets after the refused rebuild.
    const auto before = frames_351(daemon);
    std::this_thread::sleep_for(1500ms);
    CHECK(frames_351(daemon) >= before + 4);  // 200 ms period: about 7
    CHECK(daemon.running());

    // The next reload compares against what runs: fixing the file back changes nothing.
    write_config(config, sim.device(), 500, kDryRunCan);
    daemon.signal(SIGHUP);
    CHECK(eventually(
        [&] { return occurrences(log(), "pack bus and inverter side unchanged") == 1; }, 3s));
    const auto [status, took] = daemon.terminate();
    CHECK(status == 0);
}

TEST_CASE("a reload that changes only bus timing keeps every reading: no zero limits",
          "[lifecycle][reload]") {
    TempDir dir;
    SimProcess sim({"--addresses", "0-1"});
    const auto config = dir.path / "packbridge.json";
    write_config(config, sim.device(), 500, kDryRunCan);
    NotifySocket notify(dir.path / "notify");
    DaemonProcess daemon(config, dir.path, {{"NOTIFY_SOCKET", notify.path().string()}});
    const auto log = [&] { return daemon.stderr_text(); };
    REQUIRE(notify.wait_for("READY=1", 10s));
    REQUIRE(eventually([&] { return occurrences(log(), " online (") >= 2; }, 10s));
    // Both packs counted: the limits are up (DCL, bytes 4-5 of 0x351, in 0.1 A).
    REQUIRE(eventually(
        [&] {
            const auto f = frames_with_id(parse_dry_run(daemon.stdout_text()), "351");
            return !f.empty() && le16(f.back().payload, 4) > 0;
        },
        10s));
    const auto before = frames_351(daemon);
    const auto safe_before = occurrences(log(), "safe state");

    write_config(config, sim.device(), 400, kDryRunCan);
    daemon.signal(SIGHUP);
    INFO("daemon stderr:\n" << log());
    REQUIRE(eventually([&] { return occurrences(log(), "bus settings changed") == 1; }, 3s));
    std::this_thread::sleep_for(2500ms);  // past the new poller's first sweep

    const auto frames = frames_with_id(parse_dry_run(daemon.stdout_text()), "351");
    INFO("daemon stderr after the reload:\n" << log());
    REQUIRE(frames.size() >= before + 8);
    for (std::size_t i = before; i < frames.size(); ++i) {
        INFO("0x351 frame " << i << ": " << frames[i].payload);
        CHECK(le16(frames[i].payload, 4) > 0);  // DCL never dropped to the safe state's zero
    }
    CHECK(occurrences(log(), "safe state") == safe_before);
    const auto [status, took] = daemon.terminate();
    CHECK(status == 0);
}
