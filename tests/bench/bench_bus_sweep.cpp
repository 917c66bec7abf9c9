// SPDX-License-Identifier: Apache-2.0
// bench_bus_sweep: a 16-pack master sweep at 9600 baud against the paced packbridge-sim on a pty.
// Prints the sweep time, the wire-time floor (request + reply characters x 10 bits / baud plus
// the simulated reply latency, summed over every request of the sweep) and their ratio (target
// <= 1.05), then the sweep time with one dead address among the 16.
//
//   bench_bus_sweep [--baud 9600] [--latency-ms 20] [--cycles 3]

#include <spdlog/spdlog.h>

#include <cstdio>
#include <string>
#include <vector>

#include "packbridge/asio.hpp"
#include "packbridge/protocol/pack/pace.hpp"
#include "packbridge/service/pack_poller.hpp"
#include "packbridge/service/serial_transport.hpp"
#include "support/sim_process.hpp"

using namespace packbridge;
using namespace std::chrono_literals;

namespace {

struct Sweeps {
    std::vector<double> seconds;
    nlohmann::json state;
};

Sweeps measure(std::uint32_t baud, std::uint32_t latency_ms, int cycles,
               const std::vector<std::string>& extra) {
    std::vector<std::string> args{"--packs",      "16",
                                  "--baud",       std::to_string(baud),
                                  "--latency-ms", std::to_string(latency_ms)};
    args.insert(args.end(), extra.begin(), extra.end());
    testing::SimProcess sim(args);
    boost::asio::io_context io;
    BusConfig config;
    config.baud = baud;
    config.mode = BusMode::master;
    config.auto_addresses = false;
    for (std::uint8_t a = 0; a < 16; ++a) {
        config.addresses.push_back(a);
    }
    config.min_gap_ms = 0;
    config.request_timeout_ms = 500;
    config.reprobe_interval_s = 60;
    service::SerialTransport transport(io, {sim.device(), baud, false});
    if (!transport.open()) {
        throw std::runtime_error("cannot open " + sim.device());
    }
    service::AsioTimers timers(io);
    service::PackPoller poller(config, transport, timers, {});
    poller.start();
    Sweeps out;
    // Cycle 1 reads identities and (with a dead pack) collects its first misses: skip until the
    // dead pack is offline and identities are known, then time `cycles` sweeps.
    std::uint64_t seen = 0;
    const std::uint64_t warmup = 4;
    while (out.seconds.size() < static_cast<std::size_t>(cycles)) {
        io.run_one_for(50ms);
        const auto& stats = poller.stats();
        if (stats.cycles != seen) {
            seen = stats.cycles;
            if (seen > warmup && stats.last_sweep) {
                out.seconds.push_back(std::chrono::duration<double>(*stats.last_sweep).count());
            }
        }
    }
    poller.stop();
    out.state = sim.state();
    return out;
}

double wire_floor(const nlohmann::json& state, std::uint32_t baud, std::uint32_t latency_ms,
                  std::optional<int> dead) {
    double chars = 0;
    int transactions = 0;
    for (int a = 0; a < 16; ++a) {
        if (dead && a == *dead) {
            continue;
        }
        const auto& rc = state["counters"]["reply_chars"][std::to_string(a)];
        for (const auto cid : {protocol::pace::kCidAnalog, protocol::pace::kCidStatus}) {
            chars += static_cast<double>(
                protocol::pace::build_request(0x25, static_cast<std::uint8_t>(a), cid).size());
            chars += rc[std::to_string(cid)].get<double>();
            ++transactions;
        }
    }
    return chars * 10.0 / baud + transactions * latency_ms / 1000.0;
}

double mean(const std::vector<double>& v) {
    double s = 0;
    for (double x : v) {
        s += x;
    }
    return v.empty() ? 0 : s / static_cast<double>(v.size());
}

}  // namespace

int main(int argc, char** argv) {
    spdlog::set_level(spdlog::level::warn);
    std::uint32_t baud = 9600;
    std::uint32_t latency = 20;
    int cycles = 3;
    for (int i = 1; i + 1 < argc; i += 2) {
        const std::string a = argv[i];
        if (a == "--baud") {
            baud = static_cast<std::uint32_t>(std::stoul(argv[i + 1]));
        } else if (a == "--latency-ms") {
            latency = static_cast<std::uint32_t>(std::stoul(argv[i + 1]));
        } else if (a == "--cycles") {
            cycles = std::stoi(argv[i + 1]);
        }
    }
    const auto healthy = measure(baud, latency, cycles, {});
    const double sweep = mean(healthy.seconds);
    const double floor = wire_floor(healthy.state, baud, latency, std::nullopt);
    std::printf("16-pack sweep at %u baud, reply latency %u ms (mean of %d sweeps)\n", baud,
                latency, cycles);
    std::printf("  sweep time          %8.3f s\n", sweep);
    std::printf("  wire-time floor     %8.3f s\n", floor);
    std::printf("  ratio               %8.3f   (target <= 1.05)\n", sweep / floor);

    const auto dead = measure(baud, latency, cycles, {"--silent", "7"});
    const double dead_sweep = mean(dead.seconds);
    const double dead_floor = wire_floor(dead.state, baud, latency, 7);
    std::printf("one dead address (7) among 16, after it went offline\n");
    std::printf("  sweep time          %8.3f s\n", dead_sweep);
    std::printf("  wire-time floor     %8.3f s   (15 live packs)\n", dead_floor);
    std::printf("  ratio               %8.3f\n", dead_sweep / dead_floor);
    return 0;
}
