// SPDX-License-Identifier: Apache-2.0
// One battery snapshot per tick: the status file and the frames sent in the same tick come from
// the same bank step. The daemon runs in-process on packbridge-sim's pty with a ramping charge
// limit (so every step changes CCL); its CAN side sends into a sink that, at the moment each
// 0x351/0x356 leaves, reads status.json and compares the values. Two bank steps per tick (one
// for the file, one for the frames) would make them differ by the ramp.
#include <stdlib.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "packbridge/asio.hpp"
#include "packbridge/catalogue.hpp"
#include "packbridge/config.hpp"
#include "packbridge/io/can_sink.hpp"
#include "packbridge/service/can_side.hpp"
#include "packbridge/service/daemon.hpp"
#include "support/sim_process.hpp"

using namespace packbridge;
using namespace std::chrono_literals;
namespace fs = std::filesystem;

namespace {

// Pylon's 0.1 A and 0.01 V fields round half away from zero (pylon_can.cpp).
std::int64_t round_div(std::int64_t v, std::int64_t unit) {
    return v >= 0 ? (v + unit / 2) / unit : -((-v + unit / 2) / unit);
}

std::int16_t s16_at(const protocol::CanFrame& f, std::size_t i) {
    return static_cast<std::int16_t>(f.data[i] | (f.data[i + 1] << 8));
}

struct Comparison {
    int compared = 0;
    int differed = 0;
    int ccl_changes = 0;  // how often CCL moved between compared frames (the ramp is visible)
    std::int64_t last_ccl = -1;
    std::string first_difference;
};

// Compares each 0x351 (CCL, DCL) and 0x356 (voltage, current) with status.json as it is on disk
// at the moment the frame is sent.
class StatusComparingSink final : public io::CanSink {
  public:
    StatusComparingSink(fs::path status, Comparison& out) : status_(std::move(status)), out_(out) {}
    bool send(const protocol::CanFrame& frame, const std::string&) override {
        if (frame.id != 0x351 && frame.id != 0x356) return true;
        std::ifstream in(status_);
        if (!in) return true;
        const auto status = nlohmann::json::parse(in, nullptr, false);
        if (status.is_discarded()) return true;
        const auto& b = status.at("battery");
        if (!b.at("transmit").get<bool>()) return true;
        std::int64_t want_a = 0;
        std::int64_t want_b = 0;
        std::int64_t got_a = 0;
        std::int64_t got_b = 0;
        if (frame.id == 0x351) {
            want_a = round_div(b.at("limits").at("ccl").at("value_ma").get<std::int64_t>(), 100);
            want_b = round_div(b.at("limits").at("dcl").at("value_ma").get<std::int64_t>(), 100);
            got_a = s16_at(frame, 2);
            got_b = s16_at(frame, 4);
            if (out_.last_ccl >= 0 && got_a != out_.last_ccl) ++out_.ccl_changes;
            out_.last_ccl = got_a;
        } else {
            want_a = round_div(b.at("voltage_mv").get<std::int64_t>(), 10);
            want_b = round_div(b.at("current_ma").get<std::int64_t>(), 100);
            got_a = s16_at(frame, 0);
            got_b = s16_at(frame, 2);
        }
        ++out_.compared;
        if (want_a != got_a || want_b != got_b) {
            if (out_.differed++ == 0) {
                out_.first_difference = protocol::to_candump(frame) + " vs status " +
                                        std::to_string(want_a) + "/" + std::to_string(want_b);
            }
        }
        return true;
    }
    [[nodiscard]] std::string name() const override { return "status-comparing"; }
    [[nodiscard]] bool open() const override { return true; }

  private:
    fs::path status_;
    Comparison& out_;
};

}  // namespace

TEST_CASE("status.json and the CAN frames sent in the same tick show the same limits and values",
          "[daemon][snapshot]") {
    testing::SimProcess sim({"--packs", "2", "--baud", "115200", "--latency-ms", "2"});
    std::string tmpl = (fs::temp_directory_path() / "packbridge-same-tick-XXXXXX").string();
    REQUIRE(::mkdtemp(tmpl.data()) != nullptr);
    const fs::path dir = tmpl;
    Config config;
    config.bus.device = sim.device();
    config.bus.baud = 115200;
    config.inverter.link = Link::can;
    config.inverter.protocol = Protocol::pylon;
    config.inverter.can.interface = "-";
    config.inverter.can.period_ms = 300;  // not a divisor of the 1 s tick: sends fall anywhere
    config.battery.ramp_a_per_s = 1.0;    // CCL climbs 1 A per step from the safe state's 0
    config.status.path = (dir / "status.json").string();
    config.log.summary_interval_s = 0;

    Comparison comparison;
    boost::asio::io_context io;
    const fs::path status_path = config.status.path;
    service::InverterFactory factory =
        [&](boost::asio::io_context& ctx, const Config& c, const service::DaemonOptions&,
            const Battery& battery) -> std::unique_ptr<service::InverterSide> {
        auto codec = catalogue::make_can_codec(c.inverter);
        REQUIRE(codec);
        return std::make_unique<service::CanSide>(
            ctx, std::move(*codec), std::make_unique<StatusComparingSink>(status_path, comparison),
            battery);
    };
    service::Daemon daemon(io, config, {}, factory);
    daemon.start();
    io.run_for(6s);
    daemon.stop();
    fs::remove_all(dir);

    INFO(comparison.first_difference);
    CHECK(comparison.compared >= 20);
    CHECK(comparison.ccl_changes >= 2);  // the ramp moved CCL while we compared
    CHECK(comparison.differed == 0);
}
