// SPDX-License-Identifier: Apache-2.0
#pragma once

// The pack-bus poller: owns the bus (master), or rides along with a host pack (listen), or
// decides between the two at start (auto). Event-driven on the transport and the timers; never
// sleeps. One request in flight; the next leaves as soon as the previous reply ends (or its
// deadline passes) plus bus.min_gap_ms. Output: one PackReading per pack per cycle (0x42 + 0x44)
// and PackHealth changes; the bank consumes both.

#include <array>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "packbridge/config.hpp"
#include "packbridge/pack_reading.hpp"
#include "packbridge/protocol/ascii/ascii_frame.hpp"
#include "packbridge/service/frame_text.hpp"
#include "packbridge/service/pack_families.hpp"
#include "packbridge/service/poll_plan.hpp"
#include "packbridge/service/silent_packs.hpp"
#include "packbridge/service/timers.hpp"
#include "packbridge/service/transport.hpp"
#include "packbridge/util/repeat_limiter.hpp"

namespace packbridge::protocol::ascii {
class Assembler;
}

namespace packbridge::service {

struct PollerCallbacks {
    std::function<void(const PackReading&)> on_reading;
    // After every change of a pack's health counters that matters to the bank: online/offline
    // transitions and each completed poll of that pack.
    std::function<void(std::uint8_t address, const PackHealth&)> on_health;
    std::function<void(std::uint8_t address, const PackIdentity&)> on_identity;
    // The effective mode once decided (auto) or changed (foreign master -> listen).
    std::function<void(BusMode)> on_mode;
};

struct PollerStats {
    std::uint64_t requests_sent = 0;
    std::uint64_t cycles = 0;            // completed sweeps (master) or host cycles seen (listen)
    std::uint64_t foreign_requests = 0;  // request frames on the line that we did not send
    std::uint64_t own_echoes = 0;        // our own request read back (adapter echo)
    std::uint64_t unattributed = 0;      // replies with no request to attribute them to
    std::uint64_t noise_bytes = 0;       // bytes outside any frame (line noise, garbage)
    std::optional<Duration> last_sweep;  // duration of the last complete master sweep
};

class PackPoller {
  public:
    PackPoller(BusConfig config, ByteTransport& transport, Timers& timers,
               PollerCallbacks callbacks);
    ~PackPoller();
    PackPoller(const PackPoller&) = delete;
    PackPoller& operator=(const PackPoller&) = delete;

    void start();
    void stop();

    // master or listen; auto_ only while the start-up listen window is open.
    [[nodiscard]] BusMode mode() const { return mode_; }
    [[nodiscard]] const PackHealth& health(std::uint8_t address) const {
        return packs_.at(address).health;
    }
    [[nodiscard]] const std::optional<PackIdentity>& identity(std::uint8_t address) const {
        return packs_.at(address).identity;
    }
    [[nodiscard]] std::vector<std::uint8_t> online_addresses() const;
    [[nodiscard]] const PollerStats& stats() const { return stats_; }
    // The battery section's limits, for the adaptive polling (poll_plan.hpp); again on reload.
    void set_plan_limits(const PlanLimits& limits);
    [[nodiscard]] const PollPlan& plan() const { return plan_; }

  private:
    enum class Step { analog, status, identity_fw, identity_serial };
    struct Request {
        std::uint8_t address = 0;
        std::uint8_t cid2 = 0;
        Step step = Step::analog;
        bool probe = false;  // discovery/re-probe of a missing address
        std::string bytes;
        TimePoint sent{};
    };
    struct Pack {
        bool known = false;  // configured, or discovered by a probe
        PackHealth health;
        std::optional<PackIdentity> identity;
        std::optional<PackAnalog> analog;  // this cycle's 0x42, waiting for the 0x44
        TimePoint next_probe{};
        bool identity_tried = false;
        bool identity_reported = false;  // on_identity called (once, when all its replies are in)
        bool served_by_host = false;     // listen: the host polls this pack, we only listen
        TimePoint analog_sent{};         // this transaction's start, for the plan's slot estimate
        // Repeating errors are logged as one count per window, never one line each.
        RepeatLimiter timeouts;
        RepeatLimiter bad_replies;
    };

    void on_bytes(std::span<const std::uint8_t> bytes);
    void on_frame(const protocol::ascii::Frame& frame, const std::string& raw);
    void on_bad_frame(const Error& error);

    // master
    void enter_master();
    void enter_listen(const char* why);
    void plan_cycle();
    void send_next();
    void schedule_next(TimePoint earliest);
    void on_deadline();
    void handle_reply(const protocol::ascii::Frame& frame);
    void record_miss(std::uint8_t address, const char* what);
    void record_success(std::uint8_t address, Duration latency);
    void emit_reading(std::uint8_t address, TimePoint at, PackStatus status);
    void report_identity_when_complete(std::uint8_t address);
    void set_online(std::uint8_t address, bool online, const std::string& why);
    void count_timeout(std::uint8_t address);
    void count_bad_reply(std::uint8_t address);
    void flush_repeats();
    void report_silence();
    void hint_wrong_address(std::uint8_t got, std::uint8_t expected);
    void reprobe_all();
    // Puts the plan's pick first; true when it is an extra poll of a near pack.
    bool interleave(TimePoint now);

    void hold_for_rest_of_reply();

    // listen
    void listen_frame(const protocol::ascii::Frame& frame);
    void arm_idle_timer();
    void on_line_idle();

    [[nodiscard]] bool is_request(const protocol::ascii::Frame& frame) const;

    BusConfig config_;
    ByteTransport& transport_;
    Timers& timers_;
    PollerCallbacks callbacks_;
    std::unique_ptr<protocol::ascii::Assembler> assembler_;
    std::unique_ptr<OneShot> deadline_;
    std::unique_ptr<OneShot> gap_;
    std::unique_ptr<OneShot> mode_timer_;  // auto window; listen idle detection
    std::array<Pack, kMaxPacks> packs_{};
    BusMode mode_ = BusMode::auto_;
    bool running_ = false;
    std::deque<Request> queue_;
    std::optional<Request> in_flight_;
    bool in_flight_damaged_ = false;  // a bad or truncated frame arrived for in_flight_
    bool writing_ = false;
    TimePoint last_rx_{};
    Duration hold_{};  // what the transport was last asked to wait before reading again
    TimePoint sweep_start_{};
    bool discovery_done_ = false;
    // The line came back (adapter replugged): probe every missing address in the next cycle
    // instead of one per cycle, so packs count again at once, not a reprobe interval later.
    bool reprobe_all_ = false;
    SilentPacks silent_;
    // Configured addresses that went silent without ever answering since the last report:
    // logged together as one line, not one per address.
    std::vector<std::uint8_t> newly_silent_;
    // "reply from ADR x while waiting for y" (a DIP-switch miswiring) per (x, y): when it was
    // last logged and how many were not logged since.
    struct WrongAddressHint {
        TimePoint logged{};
        std::uint64_t unlogged = 0;
    };
    std::map<std::pair<std::uint8_t, std::uint8_t>, WrongAddressHint> wrong_address_hints_;
    // listen: the host's last request frame, to attribute the next reply.
    std::optional<protocol::ascii::Frame> host_request_;
    TimePoint host_request_at_{};
    PollerStats stats_;
    // Each address's pack family: what its requests look like and how its replies decode.
    PackFamilies families_;
    std::size_t discovery_round_ = 0;
    PollPlan plan_;
};

// How often the same wrong-address hint may repeat in the journal.
inline constexpr Duration kWrongAddressHintEvery = std::chrono::minutes(10);

}  // namespace packbridge::service
