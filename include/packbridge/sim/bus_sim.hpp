// SPDX-License-Identifier: Apache-2.0
#pragma once

// packbridge-sim's engine: a PACE pack bus on one file descriptor (a pty master it created, or a
// real serial port). Answers requests like packs on RS485 do, paces every byte at the baud
// (10 bits per byte), optionally plays a host pack that polls its slaves, and injects faults on
// command. Control commands (one per line; the same language in --control FIFOs and scenario
// timelines) are documented in command_help().

#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "packbridge/asio.hpp"
#include "packbridge/clock.hpp"
#include "packbridge/result.hpp"
#include "packbridge/sim/sim_pack.hpp"

namespace packbridge::protocol::ascii {
class Assembler;
}

namespace packbridge::sim {

struct SimOptions {
    std::uint32_t baud = 9600;
    std::uint8_t ver = 0x25;
    std::uint32_t latency_ms = 20;  // request end -> first reply byte
    std::uint32_t evolve_ms = 0;    // 0: values frozen (exact comparisons); else evolve this often
    std::optional<std::uint8_t> host;     // this pack polls the others like a host pack
    std::uint32_t host_period_ms = 1000;  // idle time between the host's sweeps
    std::uint32_t host_timeout_ms = 300;  // the host's wait for a silent slave
    std::string dump_path;                // --dump-state: written at start, on "dump" and at exit
    std::uint32_t seed = 1;
};

struct SimCounters {
    std::uint64_t requests_received = 0;  // from the gateway (not the simulated host)
    std::uint64_t replies_sent = 0;
    std::uint64_t host_requests = 0;
    std::uint64_t host_cycles = 0;
    // Gateway requests that arrived while the simulated host had a transaction on the line:
    // on real RS485 each of these is a collision. Listen mode must keep this at 0.
    std::uint64_t gateway_tx_during_host = 0;
    std::uint64_t bad_requests = 0;  // frames from the gateway that failed to decode
    std::map<std::uint8_t, std::uint64_t> requests_by_address;
    std::map<std::uint8_t, std::map<std::uint8_t, std::size_t>>
        reply_chars;  // address -> cid2 -> chars
};

class BusSim {
  public:
    // Takes ownership of `fd` (non-blocking is set here).
    BusSim(boost::asio::io_context& io, int fd, SimOptions options, std::vector<SimPack> packs);
    ~BusSim();
    BusSim(const BusSim&) = delete;
    BusSim& operator=(const BusSim&) = delete;

    void start();
    void stop();
    // One control command; the error names the bad word and lists the commands.
    Result<void> command(std::string_view line);
    [[nodiscard]] nlohmann::json state() const;
    void write_dump();
    [[nodiscard]] const SimCounters& counters() const { return counters_; }
    [[nodiscard]] std::vector<SimPack>& packs() { return packs_; }
    std::function<void()> on_quit;

    static const char* command_help();

  private:
    struct Segment {
        std::string bytes;
        TimePoint not_before;
        std::function<void()> done;
    };

    void read_next();
    void on_bytes(std::span<const std::uint8_t> bytes);
    void on_request(const protocol::ascii::Frame& frame, std::size_t chars, bool from_gateway);
    std::optional<std::string> reply_for(SimPack& pack, const protocol::ascii::Frame& request);
    void send(std::string bytes, TimePoint not_before, std::function<void()> done = {});
    void pace_output();
    void evolve_tick();
    void host_next();
    void host_transaction_done();
    SimPack* find(std::uint8_t address);
    [[nodiscard]] Duration char_time() const;

    boost::asio::io_context& io_;
    boost::asio::posix::stream_descriptor stream_;
    SimOptions options_;
    std::vector<SimPack> packs_;
    std::unique_ptr<protocol::ascii::Assembler> assembler_;
    std::array<std::uint8_t, 512> rx_{};
    std::deque<Segment> out_;
    std::size_t out_pos_ = 0;
    TimePoint out_start_{};
    bool out_active_ = false;
    boost::asio::steady_timer pace_timer_;
    boost::asio::steady_timer evolve_timer_;
    boost::asio::steady_timer host_timer_;
    std::mt19937 rng_;
    SimCounters counters_;
    std::uint64_t dump_seq_ = 0;
    bool running_ = false;
    // host pack
    bool host_busy_ = false;             // a host transaction is on the line
    bool host_barge_ = false;            // next host request ignores the gateway's traffic
    std::size_t host_index_ = 0;         // next slave in the sweep
    int host_step_ = 0;                  // 0: 0x42, 1: 0x44
    std::uint64_t host_generation_ = 0;  // invalidates a pending host timeout
    std::size_t pending_gateway_replies_ = 0;
};

// Parses a scenario file: {"packs": [...], "timeline": [{"at_ms": N, "cmd": "..."}]}.
struct Scenario {
    std::vector<nlohmann::json> pack_overrides;
    std::vector<std::pair<std::uint32_t, std::string>> timeline;
};
Result<Scenario> load_scenario(const std::string& path);
// Applies {"address": A, "tail": "p3|p2soc|p9", "current_ma": .., "soc_pct": .., ...} to a pack.
Result<void> apply_pack_override(SimPack& pack, const nlohmann::json& spec);

}  // namespace packbridge::sim
