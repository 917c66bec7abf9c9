// SPDX-License-Identifier: Apache-2.0
// The CAN side's dry run: every tick rebuilds the whole frame set from the battery of that
// moment and prints it in candump log format with a decoded summary; silence means nothing.
#include "packbridge/service/can_side.hpp"

#include <catch2/catch.hpp>
#include <regex>
#include <sstream>

#include "packbridge/catalogue.hpp"
#include "packbridge/protocol/inverter/can/pylon_can.hpp"
#include "packbridge/service/inverter_factory.hpp"
#include "support/example_state.hpp"

using namespace packbridge;

namespace {

service::CanCodec pylon_codec() {
    service::CanCodec codec;
    codec.name = "pylon";
    codec.frames = [](const Battery& b) { return protocol::pylon_can::encode(b, {}); };
    codec.describe = [](const protocol::CanFrame& f) { return protocol::pylon_can::describe(f); };
    return codec;
}

std::vector<std::string> lines_of(const std::string& text) {
    std::vector<std::string> out;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);)
        out.push_back(line);
    return out;
}

}  // namespace

TEST_CASE("a dry-run tick prints the whole Pylon set in candump log format with summaries",
          "[can-side]") {
    boost::asio::io_context io;
    std::ostringstream out;
    Battery battery = testing::example_battery(0);
    service::CanSide side(io, pylon_codec(), std::make_unique<service::DryRunSink>(out, "can0"),
                          battery);
    side.tick();
    const auto lines = lines_of(out.str());
    REQUIRE(lines.size() == 6);
    const std::regex candump(R"(^\(\d+\.\d{6}\) can0 [0-9A-F]{3}#[0-9A-F]{16}\t; .+$)");
    for (const auto& line : lines)
        CHECK(std::regex_match(line, candump));
    CHECK(lines[0].find(
              "351#3002E803DC05E001\t; limits CVL 56.0 V CCL 100.0 A DCL 150.0 A DVL 48.0 V") !=
          std::string::npos);
    CHECK(side.link_status(Clock::now()).frames_sent == 6);
    CHECK(side.link_status(Clock::now()).state == "dry-run");
}

TEST_CASE("each tick takes the battery of that moment, never a queued older one", "[can-side]") {
    boost::asio::io_context io;
    std::ostringstream out;
    Battery battery = testing::example_battery(0);
    service::CanSide side(io, pylon_codec(), std::make_unique<service::DryRunSink>(out, "can0"),
                          battery);
    side.tick();
    battery.charge_current.value = 0;  // the bank cut CCL between two ticks
    battery.charge_enable = false;
    out.str("");
    side.tick();
    const auto lines = lines_of(out.str());
    REQUIRE(lines.size() == 6);
    CHECK(lines[0].find("351#30020000DC05E001") != std::string::npos);
    CHECK(lines[4].find("35C#4000000000000000") != std::string::npos);
}

TEST_CASE("with transmit off (on_comms_loss=silence) a tick sends nothing at all", "[can-side]") {
    boost::asio::io_context io;
    std::ostringstream out;
    Battery battery = testing::example_battery(0);
    battery.safe_state = true;
    battery.transmit = false;
    service::CanSide side(io, pylon_codec(), std::make_unique<service::DryRunSink>(out, "can0"),
                          battery);
    side.tick();
    CHECK(out.str().empty());
    CHECK(side.link_status(Clock::now()).frames_sent == 0);
    battery.transmit = true;  // data back: output resumes on the next tick
    side.tick();
    CHECK(lines_of(out.str()).size() == 6);
}

TEST_CASE("the CAN side runs on its own period once started and counts as producing",
          "[can-side]") {
    boost::asio::io_context io;
    std::ostringstream out;
    auto codec = pylon_codec();
    codec.period = std::chrono::milliseconds(20);
    Battery battery = testing::example_battery(0);
    service::CanSide side(io, codec, std::make_unique<service::DryRunSink>(out, "can0"), battery);
    side.start();
    io.run_for(std::chrono::milliseconds(110));
    CHECK(side.producing(Clock::now()));
    side.stop();
    CHECK_FALSE(side.producing(Clock::now()));
    const auto sets = lines_of(out.str()).size() / 6;
    CHECK(sets >= 3);  // the first set at start, then one per period
}

namespace {

// Records what the CAN side sends; a test injects inverter frames through the receiver.
class RecordingSink final : public service::CanSink {
  public:
    std::vector<protocol::CanFrame> sent;
    Receiver receiver;
    void start(const Receiver& on_frame) override { receiver = on_frame; }
    bool send(const protocol::CanFrame& frame, const std::string&) override {
        sent.push_back(frame);
        return true;
    }
    [[nodiscard]] std::string name() const override { return "recording"; }
    [[nodiscard]] bool open() const override { return true; }
};

protocol::CanFrame inbound(std::uint32_t id) {
    protocol::CanFrame f;
    f.id = id;
    return f;
}

}  // namespace

TEST_CASE("a poll-driven codec answers each poll at once and pauses periodic sets meanwhile",
          "[can-side]") {
    boost::asio::io_context io;
    auto sink = std::make_unique<RecordingSink>();
    auto* rec = sink.get();
    auto codec = pylon_codec();
    codec.is_poll = [](const protocol::CanFrame& f) { return f.id == 0x301; };
    codec.poll_fallback = std::chrono::hours(1);
    Battery battery = testing::example_battery(0);
    service::CanSide side(io, codec, std::move(sink), battery);
    side.start();
    CHECK(rec->sent.size() == 6);  // the set at start: no poll seen yet

    rec->receiver(inbound(0x301));
    CHECK(rec->sent.size() == 12);  // answered at once
    side.tick();                    // periodic tick inside the fallback window: nothing
    CHECK(rec->sent.size() == 12);
    rec->receiver(inbound(0x301));  // a second poll within 100 ms is not answered twice
    CHECK(rec->sent.size() == 12);
    CHECK(side.link_status(Clock::now()).since_heard.has_value());
    side.stop();
}

TEST_CASE("inverter frames that are not polls are counted and never trigger a frame set",
          "[can-side]") {
    boost::asio::io_context io;
    auto sink = std::make_unique<RecordingSink>();
    auto* rec = sink.get();
    Battery battery = testing::example_battery(0);
    service::CanSide side(io, pylon_codec(), std::move(sink), battery);
    side.start();
    rec->receiver(inbound(0x305));
    rec->receiver(inbound(0x300));
    rec->receiver(inbound(0x123));  // unknown: counted, ignored
    CHECK(rec->sent.size() == 6);
    const auto link = side.link_status(Clock::now());
    CHECK(link.frames_received == 3);
    CHECK(link.since_heard.has_value());
    side.stop();
}

TEST_CASE("variant goodwe of sma_victron builds the Goodwe codec, which keeps a 100 ms period",
          "[can-side]") {
    InverterConfig config;
    config.link = Link::can;
    config.protocol = Protocol::sma_victron;
    config.variant = "goodwe";
    config.can.period_ms = 50;
    const auto codec = catalogue::make_can_codec(config);
    REQUIRE(codec);
    CHECK(codec->name == "goodwe");
    CHECK(codec->period == std::chrono::milliseconds(100));
    REQUIRE(codec->notes.size() == 1);
    CHECK(codec->notes.front() ==
          "period_ms 50 is below goodwe's 100 ms per frame id; using 100 ms");
    config.can.period_ms = 100;
    CHECK(catalogue::make_can_codec(config)->notes.empty());
}

TEST_CASE("an SMA-family period below 200 ms per frame id is raised to 200 ms", "[can-side]") {
    InverterConfig config;
    config.link = Link::can;
    config.protocol = Protocol::sma_victron;
    config.variant = "sma";
    config.can.period_ms = 100;
    const auto codec = catalogue::make_can_codec(config);
    REQUIRE(codec);
    CHECK(codec->period == std::chrono::milliseconds(200));
    config.protocol = Protocol::pylon;
    config.variant = "pylon";
    CHECK(catalogue::make_can_codec(config)->period == std::chrono::milliseconds(100));
}
