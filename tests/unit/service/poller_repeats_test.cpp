// SPDX-License-Identifier: Apache-2.0
// The poller's error logging on fake time: a configured pack that never answers is one line when
// it is found silent (then a reminder after 1 h, pack_poller_log_test), never one line per timeout
// nor one "N timeouts" line per minute.
#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>

#include <catch2/catch.hpp>
#include <memory>
#include <sstream>
#include <string>

#include "packbridge/service/pack_poller.hpp"
#include "support/fake_timers.hpp"
#include "support/memory_bus.hpp"

using namespace packbridge;
using namespace std::chrono_literals;
using packbridge::testing::FakeTimers;
using packbridge::testing::MemoryBus;

namespace {

// Routes spdlog's default logger into a string for the test's lifetime.
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

}  // namespace

TEST_CASE("a configured pack that never answers logs one line, not a timeout summary per minute",
          "[poller][repeat]") {
    CapturedLog log;
    BusConfig config;
    config.mode = BusMode::master;
    config.auto_addresses = false;
    config.addresses = {0, 3};
    config.offline_after_misses = 3;
    config.reprobe_interval_s = 2;  // re-probed often: many timeouts per window
    FakeTimers timers;
    MemoryBus bus(timers, config.baud, 10);
    bus.packs.push_back(sim::SimPack::make(0, 1));  // pack 3 never answers
    service::PackPoller poller(config, bus, timers, {});
    poller.start();
    timers.run_for(185s);
    poller.stop();

    INFO(log.text.str());
    const auto timeouts = poller.health(3).timeouts;
    CHECK(timeouts > 60);  // dozens of timeouts ...
    // ... and one line for it in 185 s (it used to be one per 60 s window, forever).
    CHECK(log.count("bus: pack 3 does not answer (0 answer)") == 1);
    CHECK(log.count("timeouts on pack 3") == 0);
    CHECK(log.count("pack 3") == 1);
    CHECK(log.count("pack 0 offline") == 0);
    CHECK(log.count("timeouts on pack 0") == 0);
}
