// SPDX-License-Identifier: Apache-2.0
// End to end on real SocketCAN: packbridge-sim on a pty -> `packbridge run` -> vcan0 (or an
// emulated SJA1000 can0 configured by packbridge itself) -> a CAN_RAW reader playing inverter.
#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <thread>

#include "packbridge/io/can_link.hpp"
#include "raw_can.hpp"
#include "support/paths.hpp"
#include "support/process.hpp"
#include "support/sim_process.hpp"

using namespace std::chrono_literals;
namespace fs = std::filesystem;
using packbridge::protocol::CanFrame;
using vm_test::RawCan;

namespace {

struct TempDir {
    fs::path path;
    TempDir() {
        char tmpl[] = "/tmp/pb-vm-XXXXXX";
        path = ::mkdtemp(tmpl);
    }
    ~TempDir() { fs::remove_all(path); }
};

// A config for three simulated packs at addresses 0-2 with the given inverter section.
fs::path write_config(
    const TempDir& dir, const std::string& device, const std::string& inverter,
    const std::string& battery =
        R"({"min_packs": 3, "ramp_a_per_s": 10000, "max_charge_current_a": 100, "max_discharge_current_a": 150})") {
    const auto path = dir.path / "packbridge.json";
    std::ofstream(path) << R"({"bus": {"device": ")" << device
                        << R"(", "addresses": "0-2", "mode": "master"}, "inverter": )" << inverter
                        << R"(, "battery": )" << battery << R"(, "status": {"path": ")"
                        << (dir.path / "status.json").string() << R"("}})";
    return path;
}

unsigned le16(const CanFrame& f, std::size_t at) {
    return static_cast<unsigned>(f.data[at] | (f.data[at + 1] << 8));
}

// The newest frame per id seen in `window`, plus every arrival time per id.
struct Seen {
    std::map<std::uint32_t, CanFrame> last;
    std::map<std::uint32_t, std::vector<std::chrono::steady_clock::time_point>> times;
};

Seen watch(const RawCan& bus, std::chrono::milliseconds window) {
    Seen s;
    for (const auto& r : bus.collect(window)) {
        s.last[r.frame.id] = r.frame;
        s.times[r.frame.id].push_back(r.at);
    }
    return s;
}

// Waits until three packs count and the limits are up (the daemon polls, the bank ramps).
Seen wait_for_three_packs(const RawCan& bus) {
    Seen s;
    for (int i = 0; i < 40; ++i) {
        s = watch(bus, 500ms);
        if (s.last.count(0x359) && s.last[0x359].data[4] == 3 && le16(s.last[0x351], 2) > 0) break;
    }
    return s;
}

std::string read_file(const fs::path& p) {
    std::ifstream in(p);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

std::vector<std::string> daemon_argv(const fs::path& config) {
    return {packbridge::testing::packbridge_binary().string(), "run", "--config", config.string()};
}

}  // namespace

TEST_CASE("the daemon sends the Pylon frame set for three simulated packs on vcan0 at its period",
          "[vm][daemon]") {
    TempDir dir;
    packbridge::testing::SimProcess sim({"--addresses", "0-2", "--tail", "p9"});
    RawCan inverter("vcan0");
    const auto config = write_config(
        dir, sim.device(), R"({"brand": "deye", "can": {"interface": "vcan0", "period_ms": 250}})");
    packbridge::testing::ChildProcess daemon(daemon_argv(config), (dir.path / "log").string());

    auto seen = wait_for_three_packs(inverter);
    INFO("daemon log:\n" << read_file(dir.path / "log"));
    REQUIRE(seen.last.count(0x359));
    for (std::uint32_t id : {0x351U, 0x355U, 0x356U, 0x359U, 0x35CU, 0x35EU})
        CHECK(seen.last.count(id) == 1);
    CHECK(le16(seen.last[0x351], 0) == 560);   // CVL 56.0 V
    CHECK(le16(seen.last[0x351], 2) == 1000);  // CCL 100.0 A: 3 packs x 50 A, ceiling 100 A
    CHECK(le16(seen.last[0x351], 4) == 1500);  // DCL 150.0 A
    CHECK(seen.last[0x35C].data[0] == 0xC0);

    // SOC and voltage are the simulated packs'.
    const auto state = sim.state();
    double volts = 0;
    for (const auto& pack : state["packs"])
        volts += pack["voltage_mv"].get<double>() / 1000.0;
    volts /= 3.0;
    CHECK(static_cast<std::int16_t>(le16(seen.last[0x356], 0)) / 100.0 ==
          Approx(volts).margin(0.02));

    // Cadence: one set every 250 ms. The times are when this test reads the frames under TCG, so
    // a set read late is followed by a shorter gap: each gap within 100..400 ms, the mean 250 ms.
    seen = watch(inverter, 2000ms);
    const auto& t = seen.times[0x351];
    REQUIRE(t.size() >= 5);
    for (std::size_t i = 1; i < t.size(); ++i) {
        const auto gap = std::chrono::duration_cast<std::chrono::milliseconds>(t[i] - t[i - 1]);
        INFO("gap " << i << ": " << gap.count() << " ms");
        CHECK(gap >= 100ms);
        CHECK(gap <= 400ms);
    }
    const auto mean = std::chrono::duration_cast<std::chrono::milliseconds>(t.back() - t.front()) /
                      static_cast<long>(t.size() - 1);
    INFO("mean gap " << mean.count() << " ms");
    CHECK(mean >= 225ms);
    CHECK(mean <= 275ms);
}

TEST_CASE("when every pack goes silent the safe state reaches the bus as zero current limits",
          "[vm][daemon]") {
    TempDir dir;
    packbridge::testing::SimProcess sim({"--addresses", "0-2"});
    RawCan inverter("vcan0");
    const auto config = write_config(
        dir, sim.device(), R"({"brand": "deye", "can": {"interface": "vcan0", "period_ms": 250}})",
        R"({"min_packs": 3, "ramp_a_per_s": 10000, "stale_after_s": 2, "comms_loss_s": 3, "max_charge_current_a": 100})");
    packbridge::testing::ChildProcess daemon(daemon_argv(config), (dir.path / "log").string());
    auto seen = wait_for_three_packs(inverter);
    REQUIRE(le16(seen.last[0x351], 2) > 0);

    for (int a = 0; a < 3; ++a)
        sim.command("silence " + std::to_string(a));
    bool safe = false;
    for (int i = 0; i < 20 && !safe; ++i) {
        seen = watch(inverter, 500ms);
        safe = seen.last.count(0x351) && le16(seen.last[0x351], 2) == 0 &&
               le16(seen.last[0x351], 4) == 0 && seen.last[0x35C].data[0] == 0x00;
    }
    CHECK(safe);

    for (int a = 0; a < 3; ++a)
        sim.command("restore " + std::to_string(a));
    seen = wait_for_three_packs(inverter);
    CHECK(le16(seen.last[0x351], 2) == 1000);
}

TEST_CASE("the daemon answers a Growatt inverter's 0x301 polls with big-endian frames",
          "[vm][daemon]") {
    TempDir dir;
    packbridge::testing::SimProcess sim({"--addresses", "0-2"});
    RawCan inverter("vcan0");
    const auto config = write_config(dir, sim.device(), R"({"brand": "growatt", "link": "can",
            "can": {"interface": "vcan0", "poll_fallback_s": 60}})");
    packbridge::testing::ChildProcess daemon(daemon_argv(config), (dir.path / "log").string());
    std::this_thread::sleep_for(3s);  // discovery; the first periodic set goes out at start
    for (int i = 0; i < 10; ++i) {
        inverter.send(vm_test::frame_of(0x301, "0000000000000000"));
        std::this_thread::sleep_for(500ms);
    }
    inverter.flush();
    inverter.send(vm_test::frame_of(0x301, "0000000000000000"));
    auto seen = watch(inverter, 700ms);
    INFO("daemon log:\n" << read_file(dir.path / "log"));
    for (std::uint32_t id : {0x311U, 0x312U, 0x313U, 0x314U, 0x319U, 0x320U, 0x321U})
        CHECK(seen.last.count(id) == 1);
    REQUIRE(seen.last.count(0x311));
    // 0x311 bytes 0-1: charge voltage 56.0 V in 0.1 V, big-endian.
    CHECK(seen.last[0x311].data[0] == 0x02);
    CHECK(seen.last[0x311].data[1] == 0x30);
    // One answer per poll, nothing periodic in between (fallback 60 s).
    CHECK(seen.times[0x311].size() == 1);
}

TEST_CASE("with inverter.can.configure the daemon sets the SJA1000's bitrate and restart-ms",
          "[vm][daemon][sja1000]") {
    TempDir dir;
    packbridge::testing::SimProcess sim({"--addresses", "0-2"});
    REQUIRE(packbridge::io::configure_can_link("can1", 500000, 100));
    RawCan inverter("can1");
    const auto config = write_config(dir, sim.device(), R"({"brand": "deye", "can":
            {"interface": "can0", "configure": true, "bitrate": 500000, "restart_ms": 200}})");
    packbridge::testing::ChildProcess daemon(daemon_argv(config), (dir.path / "log").string());
    auto seen = wait_for_three_packs(inverter);
    CHECK(seen.last.count(0x351) == 1);
    CHECK(packbridge::io::can_link_bitrate("can0").value() == 500000);
    CHECK(packbridge::io::can_link_restart_ms("can0").value() == 200);
    CHECK(packbridge::io::can_link_state("can0").value() == packbridge::io::CanState::error_active);
}
