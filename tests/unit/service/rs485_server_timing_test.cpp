// SPDX-License-Identifier: Apache-2.0
// The RS485 responder's timing rules on fake time: the turnaround before each reply and the
// "inverter silent" warning, for a line that stopped asking and for one that never asked.
#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>

#include <catch2/catch.hpp>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "packbridge/catalogue.hpp"
#include "packbridge/protocol/modbus/modbus_rtu.hpp"
#include "packbridge/protocol/modbus/modbus_rtu_framer.hpp"
#include "packbridge/service/rs485_server.hpp"
#include "support/fake_timers.hpp"
#include "support/rs485_example.hpp"

using namespace packbridge;
using namespace std::chrono_literals;
using packbridge::testing::FakeTimers;

namespace {

struct CapturedLog {
    std::ostringstream text;
    std::shared_ptr<spdlog::logger> previous = spdlog::default_logger();
    CapturedLog() {
        auto logger = std::make_shared<spdlog::logger>(
            "test", std::make_shared<spdlog::sinks::ostream_sink_st>(text));
        logger->set_pattern("%l %v");
        logger->set_level(spdlog::level::info);
        spdlog::set_default_logger(logger);
    }
    ~CapturedLog() { spdlog::set_default_logger(previous); }
    int count(const std::string& needle) const {
        const auto s = text.str();
        int n = 0;
        for (auto at = s.find(needle); at != std::string::npos; at = s.find(needle, at + 1))
            ++n;
        return n;
    }
};

// The inverter end of the line: records each write with the fake time it was handed over.
class RecordingLine final : public service::ByteTransport {
  public:
    explicit RecordingLine(FakeTimers& timers) : timers_(timers) {}
    void start(BytesHandler) override {}
    void stop() override {}
    void write(std::span<const std::uint8_t> bytes, WriteHandler done) override {
        writes.push_back({timers_.now(), {bytes.begin(), bytes.end()}});
        done(Result<void>{});
    }
    [[nodiscard]] std::uint32_t baud() const override { return 9600; }

    struct Write {
        TimePoint at;
        std::vector<std::uint8_t> bytes;
    };
    std::vector<Write> writes;

  private:
    FakeTimers& timers_;
};

InverterConfig growatt_config() {
    InverterConfig c;
    c.link = Link::rs485;
    c.protocol = Protocol::growatt_rs485;
    c.rs485.baud = 9600;
    c.alive_timeout_s = 10;
    return c;
}

struct Fixture {
    explicit Fixture(const InverterConfig& config = growatt_config()) {
        auto protocol = catalogue::make_rs485_responder(config);
        REQUIRE(protocol.ok());
        responder = std::make_unique<service::Rs485Server>(
            line, timers, std::move(*protocol), battery, service::rs485_server_options(config));
        responder->start();
    }
    // A whole Growatt read request (slave 1, FC 03, 0x00..0x1F) arriving now.
    void request() {
        const auto bytes = protocol::modbus::read_request(1, 0x03, 0x0000, 0x20);
        responder->on_bytes(bytes, timers.now());
    }
    Battery battery = testing::rs485_example_battery();
    FakeTimers timers;
    RecordingLine line{timers};
    std::unique_ptr<service::Rs485Server> responder;
};

}  // namespace

TEST_CASE("an RS485 line that never sees a valid request warns once after alive_timeout_s",
          "[rs485][alive]") {
    CapturedLog log;
    Fixture f;
    const auto start = f.timers.now();
    f.timers.run_until(start + 9900ms);
    CHECK(log.count("warning inverter: no valid request") == 0);
    CHECK_FALSE(f.responder->inverter_silent(f.timers.now()));  // still "waiting"
    f.timers.run_until(start + 10s);
    CHECK(log.count("warning inverter: no valid request in the 10 s since start") == 1);
    CHECK(f.responder->inverter_silent(f.timers.now()));
    f.timers.run_until(start + 600s);  // once, not once per timeout
    CHECK(log.count("warning inverter: no valid request") == 1);

    // It starts asking: "polling" logged, no longer silent.
    f.request();
    f.timers.run_for(1s);
    CHECK(log.count("info inverter: polling") == 1);
    CHECK_FALSE(f.responder->inverter_silent(f.timers.now()));
    CHECK(f.responder->inverter_alive(f.timers.now()));
}

TEST_CASE("an RS485 line that stopped asking warns after the same alive_timeout_s",
          "[rs485][alive]") {
    CapturedLog log;
    Fixture f;
    f.timers.run_for(3s);
    f.request();
    const auto last = f.timers.now();
    f.timers.run_until(last + 9900ms);
    CHECK(log.count("warning inverter: no valid request") == 0);
    f.timers.run_until(last + 10s);
    CHECK(log.count("warning inverter: no valid request for 10 s") == 1);
    CHECK(f.responder->inverter_silent(f.timers.now()));
}

TEST_CASE("a Modbus reply waits the t3.5 turnaround after the request's last byte",
          "[rs485][turnaround]") {
    Fixture f;
    const auto t35 = protocol::modbus::silence_interval(9600);
    CHECK(t35 == 4011us);  // 3.5 characters of 11 bits at 9600 baud, rounded up
    f.request();
    const auto request_end = f.timers.now();
    f.timers.run_until(request_end + t35 - 1us);
    CHECK(f.line.writes.empty());
    f.timers.run_until(request_end + t35);
    REQUIRE(f.line.writes.size() == 1);
    CHECK(f.line.writes[0].at == request_end + t35);
    CHECK(f.line.writes[0].bytes[1] == 0x03);  // the read answered, not an exception
    CHECK(f.responder->counters().answers == 1);
}

TEST_CASE("the turnaround follows the baud (fixed 1.75 ms above 19200) and turnaround_ms",
          "[rs485][turnaround]") {
    auto config = growatt_config();
    CHECK(service::rs485_server_options(config).turnaround == 4011us);
    config.rs485.baud = 19200;
    CHECK(service::rs485_server_options(config).turnaround == 2006us);
    config.rs485.baud = 38400;
    CHECK(service::rs485_server_options(config).turnaround == 1750us);
    config.rs485.turnaround_ms = 12.5;
    CHECK(service::rs485_server_options(config).turnaround == 12500us);
    config.rs485.turnaround_ms = 0.0;
    CHECK(service::rs485_server_options(config).turnaround == Duration::zero());

    config.rs485.turnaround_ms = 12.5;
    Fixture f(config);
    f.request();
    const auto request_end = f.timers.now();
    f.timers.run_for(20ms);
    REQUIRE(f.line.writes.size() == 1);
    CHECK(f.line.writes[0].at == request_end + 12500us);
}

TEST_CASE("requests 1 ms apart are both answered in order, each after its own turnaround",
          "[rs485][turnaround]") {
    Fixture f;
    const auto t35 = protocol::modbus::silence_interval(9600);
    f.request();
    const auto first_end = f.timers.now();
    f.timers.run_for(1ms);
    f.request();
    const auto second_end = f.timers.now();
    f.timers.run_for(20ms);
    REQUIRE(f.line.writes.size() == 2);
    CHECK(f.line.writes[0].at == first_end + t35);
    CHECK(f.line.writes[1].at == second_end + t35);
}

TEST_CASE("a Growatt value that starts to clamp is logged once, and once when it fits again",
          "[rs485][growatt][clamp]") {
    CapturedLog log;
    Fixture f;
    f.request();
    f.timers.run_for(1s);
    CHECK(log.count("Growatt register") == 0);
    f.battery.discharge_current.value = 400'000;  // DCL 400 A: 40000 in 10 mA
    for (int i = 0; i < 5; ++i) {
        f.request();
        f.timers.run_for(1s);
    }
    CHECK(log.count("warning inverter: Growatt register 0x0023 (max discharge current) above "
                    "327.67 A, sent as 327.67 A") == 1);
    f.battery.full_mah = 409'840;  // a second one joins: only it is logged
    f.request();
    f.timers.run_for(1s);
    CHECK(log.count("Growatt register 0x001B") == 1);
    CHECK(log.count("Growatt register 0x0023") == 1);
    f.battery = testing::rs485_example_battery();
    for (int i = 0; i < 3; ++i) {
        f.request();
        f.timers.run_for(1s);
    }
    CHECK(log.count("info inverter: every value fits its register again") == 1);
    REQUIRE(f.line.writes.size() == 10);
}

TEST_CASE("trace logs every inverter-line request and reply: Modbus as hex bytes",
          "[rs485][trace]") {
    CapturedLog log;
    spdlog::default_logger()->set_level(spdlog::level::trace);
    Fixture f;
    f.request();
    f.timers.run_for(1s);
    REQUIRE(f.line.writes.size() == 1);
    // The request as sent: slave 1, FC 03, 0x0000 x 0x20, CRC 44 12 (low byte first).
    CHECK(log.count("trace inverter: rx 01 03 00 00 00 20 44 12\n") == 1);
    std::string reply;
    for (const auto b : f.line.writes.front().bytes)
        reply += fmt::format("{}{:02X}", reply.empty() ? "" : " ", b);
    CHECK(log.count("trace inverter: tx " + reply + "\n") == 1);
}
