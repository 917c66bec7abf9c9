// SPDX-License-Identifier: Apache-2.0
// What the poller writes to the journal over long runs, on fake time: silent packs, a miswired
// DIP switch, and the trace of every frame.
#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>

#include <catch2/catch.hpp>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "../../../src/cli/decode_command.hpp"
#include "packbridge/protocol/pack/families.hpp"
#include "packbridge/service/pack_poller.hpp"
#include "packbridge/service/silent_packs.hpp"
#include "support/fake_timers.hpp"
#include "support/memory_bus.hpp"

using namespace packbridge;
using namespace std::chrono_literals;
using packbridge::testing::FakeTimers;
using packbridge::testing::MemoryBus;

namespace {

// Routes spdlog's default logger into a string for the test's lifetime ("<level> <text>" lines).
class LogCapture {
  public:
    explicit LogCapture(spdlog::level::level_enum level = spdlog::level::info)
        : previous_(spdlog::default_logger()) {
        auto sink = std::make_shared<spdlog::sinks::ostream_sink_st>(text_);
        auto logger = std::make_shared<spdlog::logger>("capture", sink);
        logger->set_pattern("%l %v");
        logger->set_level(level);
        spdlog::set_default_logger(logger);
    }
    ~LogCapture() { spdlog::set_default_logger(previous_); }
    LogCapture(const LogCapture&) = delete;
    LogCapture& operator=(const LogCapture&) = delete;

    [[nodiscard]] std::vector<std::string> lines() const {
        std::vector<std::string> out;
        std::istringstream in(text_.str());
        for (std::string line; std::getline(in, line);)
            out.push_back(line);
        return out;
    }
    [[nodiscard]] int count(const std::string& needle) const {
        int n = 0;
        for (const auto& line : lines())
            n += line.find(needle) != std::string::npos ? 1 : 0;
        return n;
    }
    [[nodiscard]] std::string text() const { return text_.str(); }

  private:
    std::ostringstream text_;
    std::shared_ptr<spdlog::logger> previous_;
};

struct Rig {
    Rig(BusConfig c, std::vector<std::uint8_t> live) : config(std::move(c)), bus(timers, 9600, 10) {
        for (const auto a : live)
            bus.packs.push_back(sim::SimPack::make(a, 1));
        poller =
            std::make_unique<service::PackPoller>(config, bus, timers, service::PollerCallbacks{});
    }
    sim::SimPack& pack(std::uint8_t address) {
        for (auto& p : bus.packs)
            if (p.address == address) return p;
        throw std::logic_error("no such pack");
    }
    BusConfig config;
    FakeTimers timers;
    MemoryBus bus;
    std::unique_ptr<service::PackPoller> poller;
};

BusConfig range_config(std::vector<std::uint8_t> addresses) {
    BusConfig c;
    c.mode = BusMode::master;
    c.auto_addresses = addresses.empty();
    c.addresses = std::move(addresses);
    c.baud = 9600;
    c.request_timeout_ms = 500;
    c.offline_after_misses = 3;
    c.reprobe_interval_s = 60;  // the default: the interval whose per-poll lines used to flood
    return c;
}

std::vector<std::uint8_t> range(std::uint8_t from, std::uint8_t to) {
    std::vector<std::uint8_t> out;
    for (auto a = from; a <= to; ++a)
        out.push_back(a);
    return out;
}

}  // namespace

TEST_CASE("twelve absent addresses of a 0-15 range cost two journal lines in an hour, not 720") {
    LogCapture log;
    Rig rig(range_config(range(0, 15)), {0, 1, 2, 3});
    rig.poller->start();
    rig.timers.run_for(std::chrono::minutes(61));
    INFO(log.text());

    // One line when they are found silent, one reminder after an hour, nothing per poll.
    CHECK(log.count("12 configured addresses do not answer: 4-15 (0-3 answer)") == 1);
    CHECK(log.count("next reminder in 1 h") == 1);
    CHECK(log.count("12 addresses still silent after 1 h: 4-15 (0-3 answer)") == 1);
    CHECK(log.count("next reminder in 1 d") == 1);
    CHECK(log.count("timeouts on") == 0);
    int warnings = 0;
    for (const auto& line : log.lines())
        warnings += line.starts_with("warning") ? 1 : 0;
    CHECK(warnings == 2);
    // Still re-probed at the interval, so a pack plugged in later is found.
    CHECK(rig.poller->stats().requests_sent > 0);
    for (std::uint8_t a = 0; a < 4; ++a)
        CHECK(rig.poller->health(a).online);
}

TEST_CASE("a pack that goes silent logs offline, one reminder after an hour and online when back") {
    LogCapture log;
    Rig rig(range_config({0, 1, 2, 3}), {0, 1, 2, 3});
    rig.poller->start();
    rig.timers.run_for(std::chrono::minutes(5));
    REQUIRE(rig.poller->health(2).online);

    rig.pack(2).faults.silent = true;
    rig.timers.run_for(std::chrono::minutes(70));
    CHECK(log.count("bus: pack 2 offline (3 consecutive misses") == 1);
    CHECK(log.count("bus: pack 2 still silent after 1 h") == 1);
    CHECK(log.count("timeouts on pack 2") == 0);
    int warnings = 0;
    for (const auto& line : log.lines())
        warnings += line.starts_with("warning") ? 1 : 0;
    CHECK(warnings == 2);

    rig.pack(2).faults.silent = false;
    rig.timers.run_for(std::chrono::minutes(2));
    INFO(log.text());
    CHECK(log.count("bus: pack 2 online (answering after 1 h 1") == 1);
    CHECK(rig.poller->health(2).online);
}

TEST_CASE("the silent-pack reminders come after 1 h and then daily, counting unlogged polls") {
    service::SilentPacks silent;
    const TimePoint t0{std::chrono::hours(100)};
    silent.silent(4, t0);
    silent.silent(5, t0 + 10s);
    CHECK(silent.absorb_miss(4));
    CHECK_FALSE(silent.absorb_miss(6));
    CHECK_FALSE(silent.due(t0 + 59min));
    const auto first = silent.due(t0 + 1h + 10s);
    REQUIRE(first);
    CHECK(first->addresses == std::vector<std::uint8_t>{4, 5});
    CHECK(first->unlogged == 1);
    CHECK(first->next_in == 24h);
    CHECK_FALSE(silent.due(t0 + 2h));
    CHECK(silent.due(t0 + 25h + 10s));
    CHECK(silent.answered(4, t0 + 26h) == std::optional<Duration>(26h));
    CHECK_FALSE(silent.answered(4, t0 + 26h));
    CHECK(silent.count() == 1);
}

TEST_CASE("addresses and durations read as a journal reader wants them") {
    CHECK(service::describe_addresses({4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15}) == "4-15");
    CHECK(service::describe_addresses({8, 0, 1, 2, 3}) == "0-3, 8");
    CHECK(service::describe_addresses({}) == "none");
    CHECK(service::describe_duration(45s) == "45 s");
    CHECK(service::describe_duration(12min) == "12 min");
    CHECK(service::describe_duration(1h) == "1 h");
    CHECK(service::describe_duration(2h + 5min) == "2 h 5 min");
    CHECK(service::describe_duration(49h) == "2 d 1 h");
}

TEST_CASE("a reply from the wrong address is a warning at most once per pair per ten minutes") {
    LogCapture log;
    auto config = range_config({0, 5});
    config.reprobe_interval_s = 1;
    Rig rig(config, {0, 7});
    rig.bus.misdirected[5] = 7;  // pack 7's DIP switches answer for address 5
    rig.poller->start();
    rig.timers.run_for(25min);
    INFO(log.text());
    CHECK(rig.poller->health(5).wrong_address > 100);
    CHECK(log.count("warning bus: reply from ADR 7 while waiting for 5 (check the DIP switches") ==
          1);
    // Then once per ten minutes with the count of the repeats not logged.
    CHECK(log.count("warning bus: reply from ADR 7 while waiting for 5: seen ") == 2);
}

TEST_CASE("trace logs every pack-bus frame in the form packbridge decode reads back") {
    LogCapture log(spdlog::level::trace);
    Rig rig(range_config({0, 1}), {0, 1});
    rig.poller->start();
    rig.timers.run_for(3s);
    CHECK(log.count("trace bus: tx ~") > 4);
    CHECK(log.count("trace bus: rx ~") > 4);

    // The log as it is, frame lines picked out as a user would with grep, into decode.
    std::string frames;
    int tx = 0;
    for (const auto& line : log.lines()) {
        if (line.find("bus: tx ~") == std::string::npos &&
            line.find("bus: rx ~") == std::string::npos)
            continue;
        frames += line + "\n";
        tx += line.find("bus: tx ~") != std::string::npos ? 1 : 0;
    }
    std::istringstream in(frames);
    std::ostringstream out;
    std::ostringstream err;
    CHECK(cli::decode_command(std::vector<std::string>{}, in, out, err) == 0);
    INFO(out.str() << err.str());
    CHECK(out.str().find("\"valid\":false") == std::string::npos);
    CHECK(out.str().find("analog values") != std::string::npos);
    CHECK(out.str().find("\"cells_mv\"") != std::string::npos);
    CHECK(out.str().find("\"status\"") != std::string::npos);
    CHECK(static_cast<int>(rig.bus.writes.size()) == tx);
}

TEST_CASE(
    "a reply laid out as another family than the address was identified as is journalled "
    "once and decoded as what it is") {
    LogCapture log;
    auto config = range_config({3});
    Rig rig(config, {3});
    rig.pack(3).set_family(protocol::pace::Dialect::seplos);
    std::vector<PackReading> readings;
    service::PollerCallbacks cb;
    cb.on_reading = [&](const PackReading& r) { readings.push_back(r); };
    rig.poller = std::make_unique<service::PackPoller>(config, rig.bus, rig.timers, cb);
    rig.poller->start();
    rig.timers.run_for(5s);
    REQUIRE(log.count("bus: pack 3 identified as seplos (VER 0x20, CID1 0x46)") == 1);
    // The Seplos pack at 3 is replaced by (or joined by) a Pylontech one: same request shape.
    rig.pack(3).set_family(protocol::pace::Dialect::pylontech);
    readings.clear();
    rig.timers.run_for(20s);
    INFO(log.text());
    CHECK(log.count("bus: pack 3 is a seplos pack but a reply to it is laid out as pylontech: "
                    "two packs of different families on one address?") == 1);
    REQUIRE(readings.size() > 3);
    CHECK(readings.back().analog.full_mah == 74000);  // read as the Pylontech record it is
    CHECK(readings.back().analog.design_mah == 0);
}
