// SPDX-License-Identifier: Apache-2.0
// End to end on a pty: packbridge-sim with 16 packs at 9600 baud -> `packbridge run --dry-run`.
// A protection raised on a pack that is near a limit shows up in the CAN output well within one
// 16-pack sweep (5.4 s of wire time at 9600 baud), because the near pack is polled between the
// others and a snapshot with a new protection is sent at once instead of at the next period.
#include <catch2/catch.hpp>
#include <chrono>
#include <fstream>
#include <string>
#include <thread>

#include "support/daemon_process.hpp"
#include "support/dry_run_frames.hpp"
#include "support/sim_process.hpp"

using namespace std::chrono_literals;
using packbridge::testing::DryRunFrame;

namespace {

std::optional<DryRunFrame> last_with_id(const std::string& log, const std::string& id) {
    const auto frames =
        packbridge::testing::frames_with_id(packbridge::testing::parse_dry_run(log), id);
    if (frames.empty()) return std::nullopt;
    return frames.back();
}

double wall_now() {
    return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}

}  // namespace

TEST_CASE("a protection on one of 16 packs near a limit reaches the CAN output sooner than a sweep",
          "[daemon]") {
    packbridge::testing::TempDir dir;
    packbridge::testing::SimProcess sim({"--packs", "16"});
    sim.command("current 5 45000");  // 90 % of the 50 A per-pack charge limit: near a limit
    const auto config = dir.path / "packbridge.json";
    std::ofstream(config) << R"({"bus": {"device": ")" << sim.device()
                          << R"(", "addresses": "0-15", "mode": "master"},
        "inverter": {"brand": "deye", "can": {"interface": "-", "period_ms": 1000}},
        "status": {"path": ")"
                          << (dir.path / "status.json").string() << R"("}})";
    packbridge::testing::DaemonProcess daemon(config, dir.path);

    // All 16 counted (0x359 byte 4), and a few seconds more so the sweep is in its steady state.
    bool counted = false;
    for (int i = 0; i < 300 && !counted; ++i) {
        std::this_thread::sleep_for(100ms);
        const auto f = last_with_id(daemon.stdout_text(), "359");
        counted = f && f->payload.substr(8, 2) == "10";
    }
    INFO("daemon stderr:\n" << daemon.stderr_text());
    REQUIRE(counted);
    std::this_thread::sleep_for(6s);
    const auto before = last_with_id(daemon.stdout_text(), "359");
    REQUIRE(before);

    const double raised = wall_now();
    sim.command("protect 5 cell_over_voltage");
    std::optional<double> seen;
    for (int i = 0; i < 1000 && !seen; ++i) {
        std::this_thread::sleep_for(10ms);
        for (const auto& f : packbridge::testing::frames_with_id(
                 packbridge::testing::parse_dry_run(daemon.stdout_text()), "359")) {
            if (f.at > raised && f.payload.substr(0, 8) != before->payload.substr(0, 8)) {
                seen = f.at - raised;
                break;
            }
        }
    }
    REQUIRE(seen);
    INFO("protection seen in 0x359 after " << *seen << " s");
    // The bench (build/tests/bench/bench_reaction) puts the worst case at about 1.3 s; the sweep
    // alone is 5.4 s. A loaded test machine gets a second of slack, still well under a sweep.
    CHECK(*seen < 2.5);
    CHECK(daemon.terminate().first == 0);
}
