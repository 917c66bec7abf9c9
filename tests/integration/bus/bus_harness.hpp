// SPDX-License-Identifier: Apache-2.0
#pragma once

// A PackPoller on a real pty, talking to a packbridge-sim child process.

#include <map>
#include <memory>
#include <vector>

#include "packbridge/asio.hpp"
#include "packbridge/service/pack_poller.hpp"
#include "packbridge/service/serial_transport.hpp"
#include "support/sim_process.hpp"

namespace packbridge::testing {

struct BusHarness {
    BusHarness(std::vector<std::string> sim_args, BusConfig config)
        : sim(std::move(sim_args)),
          transport(io, {sim.device(), config.baud, false}),
          timers(io),
          poller(config, transport, timers, callbacks()) {
        if (auto ok = transport.open(); !ok) {
            throw std::runtime_error(ok.error().describe());
        }
    }

    service::PollerCallbacks callbacks() {
        service::PollerCallbacks cb;
        cb.on_reading = [this](const PackReading& r) {
            latest[r.address] = r;
            ++reading_count[r.address];
        };
        cb.on_health = [this](std::uint8_t a, const PackHealth& h) {
            if (online[a] != h.online) {
                ++transitions[a];
                online[a] = h.online;
            }
        };
        cb.on_mode = [this](BusMode m) { modes.push_back(m); };
        return cb;
    }

    // Runs the event loop until `done()` or `timeout`.
    template <class Done>
    bool run_until(Done done, std::chrono::milliseconds timeout) {
        return testing::run_until([this] { io.run_one_for(std::chrono::milliseconds(20)); }, done,
                                  timeout);
    }

    boost::asio::io_context io;
    SimProcess sim;
    service::SerialTransport transport;
    service::AsioTimers timers;
    service::PackPoller poller;
    std::map<std::uint8_t, PackReading> latest;
    std::map<std::uint8_t, int> reading_count;
    std::map<std::uint8_t, bool> online;
    std::map<std::uint8_t, int> transitions;
    std::vector<BusMode> modes;
};

// Fast-line defaults for tests: 115200 baud keeps each test to a few seconds.
inline BusConfig fast_bus_config() {
    BusConfig c;
    c.baud = 115200;
    c.mode = BusMode::master;
    c.request_timeout_ms = 100;
    c.min_gap_ms = 2;
    c.offline_after_misses = 3;
    c.reprobe_interval_s = 1;
    c.listen_window_ms = 800;
    c.listen_idle_ms = 120;
    return c;
}

}  // namespace packbridge::testing
