// SPDX-License-Identifier: Apache-2.0
// bench_reaction: how long a change on one of 16 packs takes to reach the inverter's frames, in
// SIMULATED time. The parts that decide are the real ones: PackPoller with its PollPlan, the
// Bank, bank::urgent and the Pylon CAN codec. The wire is modelled, not run: each character
// takes 10 bits / baud, a pack answers --latency-ms after the request's last character (the
// latency packbridge-sim uses), with the replies packbridge-sim would send (sim::encode_reply on
// SimPack, via tests/support MemoryBus). The daemon's glue is modelled as daemon.cpp does it: a
// bank step every 1 s tick, a CAN set every 1 s (both at a random phase), and on each reading
// or pack loss a bank step whose snapshot, if bank::urgent, is sent at once (at most one
// prompted set per 100 ms, as CanSide::prompt).
//
// Trials: a random pack of 16 (random seed for all packs) gets a change at a random moment
// after a 90 s warm-up (limits ramp up from zero at 10 A/s); the time is from the change on the
// wire model to the first CAN set whose frames reflect it:
//   taper     the highest cell of a pack already within the margin (3430 mV) steps to 3480 mV,
//             past the 3450 mV charge taper start: first 0x351 with a lower CCL
//   protect   a pack showing a cell over-voltage warning raises the protection: first 0x359
//             whose alarm bytes change
//   vanish    a pack charging at 45 A (90 % of its limit) stops answering: first 0x359 with
//             one pack fewer
//   quiet     for comparison: a protection on a quiet pack (no warning before it): bounded by
//             the sweep, adaptive polling cannot know
// Then the 16-pack sweep time of a quiet bank against its wire-time floor.
//
//   bench_reaction [--trials 100] [--latency-ms 20] [--baud 9600] [--poll-ms 800] [--seed 1]

#include <spdlog/spdlog.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "packbridge/bank/bank.hpp"
#include "packbridge/bank/urgent.hpp"
#include "packbridge/catalogue.hpp"
#include "packbridge/protocol/pack/pace.hpp"
#include "packbridge/service/pack_poller.hpp"
#include "support/fake_timers.hpp"
#include "support/memory_bus.hpp"

using namespace packbridge;
using namespace std::chrono_literals;
using packbridge::testing::FakeTimers;
using packbridge::testing::MemoryBus;

namespace {

struct Options {
    int trials = 100;
    std::uint32_t latency_ms = 20;
    std::uint32_t baud = 9600;
    std::uint32_t poll_ms = 800;
    std::uint32_t seed = 1;
};

enum class Change { taper, protect, vanish, quiet };

const char* name(Change c) {
    switch (c) {
        case Change::taper:
            return "cell crosses the taper start";
        case Change::protect:
            return "protection flag (after a warning)";
        case Change::vanish:
            return "pack vanishes (charging at 45 A)";
        case Change::quiet:
            return "protection flag on a quiet pack";
    }
    return "";
}

double seconds_of(Duration d) {
    return std::chrono::duration<double>(d).count();
}

struct Set {
    TimePoint at;
    std::vector<protocol::CanFrame> frames;
};

const protocol::CanFrame* find(const Set& set, std::uint32_t id) {
    for (const auto& f : set.frames)
        if (f.id == id) return &f;
    return nullptr;
}

int le16s(const protocol::CanFrame& f, int at) {
    return static_cast<std::int16_t>(f.data[at] | (f.data[at + 1] << 8));
}

// The daemon's side of the reaction, modelled on FakeTimers (see the file comment).
class Rig {
  public:
    Rig(const Options& o, std::uint32_t seed, Duration tick_phase, Duration can_phase)
        : bus_(timers_, o.baud, o.latency_ms), bank_(battery_) {
        config_.mode = BusMode::master;
        config_.baud = o.baud;
        config_.auto_addresses = false;
        config_.near_limit_poll_ms = o.poll_ms;
        for (std::uint8_t a = 0; a < 16; ++a) {
            config_.addresses.push_back(a);
            bus_.packs.push_back(sim::SimPack::make(a, seed));
        }
        codec_ = *catalogue::make_can_codec(InverterConfig{});
        service::PollerCallbacks cb;
        cb.on_reading = [this](const PackReading& r) {
            auto& last = readings_[r.address];
            if (last && timers_.now() > watch_from_ && r.at - last->at > longest_gap_) {
                longest_gap_ = r.at - last->at;
                if (std::getenv("BENCH_TRACE") && longest_gap_ > 8s)
                    std::fprintf(stderr, "gap: pack %d %.3f s ending at +%.3f s\n", r.address,
                                 seconds_of(longest_gap_), seconds_of(r.at - start_));
            }
            last = r;
            react();
        };
        cb.on_health = [this](std::uint8_t a, const PackHealth& h) {
            const bool went_offline = health_[a] && health_[a]->online && !h.online;
            health_[a] = h;
            if (went_offline) react();
        };
        poller_ = std::make_unique<service::PackPoller>(config_, bus_, timers_, cb);
        service::PlanLimits limits;
        limits.stale_after = std::chrono::duration_cast<Duration>(
            std::chrono::duration<double>(battery_.stale_after_s));
        poller_->set_plan_limits(limits);
        tick_ = timers_.make_timer();
        can_ = timers_.make_timer();
        prompt_timer_ = timers_.make_timer();
        arm_tick(timers_.now() + tick_phase);
        arm_can(timers_.now() + can_phase);
        poller_->start();
    }

    FakeTimers& timers() { return timers_; }
    TimePoint start() const { return start_; }
    const MemoryBus& bus() const { return bus_; }
    sim::SimPack& pack(std::uint8_t a) { return bus_.packs.at(a); }
    const std::vector<Set>& sets() const { return sets_; }
    void watch_from(TimePoint t) { watch_from_ = t; }
    Duration longest_gap() const { return longest_gap_; }
    const service::PackPoller& poller() const { return *poller_; }

  private:
    Battery compute() {
        std::vector<bank::PackSample> samples;
        for (std::uint8_t a = 0; a < kMaxPacks; ++a) {
            if (!health_[a] && !readings_[a]) continue;
            samples.push_back({a, health_[a] ? health_[a]->online : true,
                               readings_[a] ? &*readings_[a] : nullptr});
        }
        return bank_.update(timers_.now(), samples);
    }
    void react() {
        Battery next = compute();
        if (!bank::urgent(shown_, next)) return;
        shown_ = std::move(next);
        prompt();
    }
    void prompt() {
        if (prompt_pending_) return;
        const auto now = timers_.now();
        if (!last_set_ || now - *last_set_ >= 100ms) {
            send();
            return;
        }
        prompt_pending_ = true;
        prompt_timer_->start(*last_set_ + 100ms, [this] {
            prompt_pending_ = false;
            send();
        });
    }
    void send() {
        last_set_ = timers_.now();
        sets_.push_back({timers_.now(), codec_.frames(shown_)});
    }
    void arm_tick(TimePoint at) {
        tick_->start(at, [this, at] {
            shown_ = compute();
            arm_tick(at + 1s);
        });
    }
    void arm_can(TimePoint at) {
        can_->start(at, [this, at] {
            send();
            arm_can(at + 1s);
        });
    }

    FakeTimers timers_;
    MemoryBus bus_;
    BusConfig config_;
    BatteryConfig battery_;
    bank::Bank bank_;
    protocol::CanCodec codec_;
    std::unique_ptr<service::PackPoller> poller_;
    std::array<std::optional<PackReading>, kMaxPacks> readings_{};
    std::array<std::optional<PackHealth>, kMaxPacks> health_{};
    Battery shown_;
    std::unique_ptr<service::OneShot> tick_;
    std::unique_ptr<service::OneShot> can_;
    std::unique_ptr<service::OneShot> prompt_timer_;
    bool prompt_pending_ = false;
    std::optional<TimePoint> last_set_;
    std::vector<Set> sets_;
    TimePoint watch_from_ = TimePoint::max();
    TimePoint start_ = timers_.now();
    Duration longest_gap_{};
};

// Sets the highest cell of `pack` to `mv` (the others stay), keeping the pack voltage the sum.
void set_top_cell(sim::SimPack& pack, std::uint16_t mv) {
    auto& cells = pack.analog.cell_mv;
    auto top = std::max_element(cells.begin(), cells.end());
    pack.analog.voltage_mv = pack.analog.voltage_mv - *top + mv;
    *top = mv;
}

// Limits ramp up from zero at 10 A/s: 16 x 50 A takes 80 s; the change comes after that.
constexpr auto kWarmUp = std::chrono::seconds(90);

struct Trial {
    std::optional<Duration> reaction;
    Duration longest_gap{};
};

Trial run_trial(const Options& o, Change change, std::mt19937& rng) {
    std::uniform_int_distribution<int> pack_of(0, 15);
    std::uniform_int_distribution<int> ms(0, 999);
    std::uniform_int_distribution<int> change_ms(0, 6000);
    const auto seed = static_cast<std::uint32_t>(rng());
    Rig rig(o, seed, std::chrono::milliseconds(ms(rng)), std::chrono::milliseconds(ms(rng)));
    const auto p = static_cast<std::uint8_t>(pack_of(rng));
    auto& pack = rig.pack(p);
    // The precondition that makes the pack near a limit (none for "quiet").
    switch (change) {
        case Change::taper:
            set_top_cell(pack, 3430);
            break;
        case Change::protect:
            pack.status.warnings.set(Alarm::cell_over_voltage);
            break;
        case Change::vanish:
            pack.analog.current_ma = 45'000;
            pack.refresh();
            break;
        case Change::quiet:
            break;
    }
    auto& timers = rig.timers();
    timers.run_for(kWarmUp);
    rig.watch_from(timers.now());
    timers.run_for(std::chrono::milliseconds(change_ms(rng)));
    const auto at = timers.now();
    const Set before = rig.sets().back();
    switch (change) {
        case Change::taper:
            set_top_cell(pack, 3480);
            break;
        case Change::protect:
        case Change::quiet:
            pack.status.protections.set(Alarm::cell_over_voltage);
            break;
        case Change::vanish:
            pack.faults.silent = true;
            break;
    }
    const auto* limits_before = find(before, 0x351);
    const auto* alarms_before = find(before, 0x359);
    Trial trial;
    std::size_t checked = rig.sets().size();
    while (!trial.reaction && timers.now() - at < 30s) {
        timers.run_for(10ms);
        for (; checked < rig.sets().size(); ++checked) {
            const auto& set = rig.sets()[checked];
            const auto* limits = find(set, 0x351);
            const auto* alarms = find(set, 0x359);
            bool seen = false;
            switch (change) {
                case Change::taper:
                    seen = le16s(*limits, 2) < le16s(*limits_before, 2);
                    break;
                case Change::protect:
                case Change::quiet:
                    seen = !std::equal(alarms->data.begin(), alarms->data.begin() + 4,
                                       alarms_before->data.begin());
                    break;
                case Change::vanish:
                    seen = alarms->data[4] < alarms_before->data[4];
                    break;
            }
            if (seen) {
                trial.reaction = set.at - at;
                if (std::getenv("BENCH_TRACE") && set.at - at > 1500ms)
                    std::fprintf(stderr, "slow: change %d pack %d at +%.3f s: %.3f s\n",
                                 static_cast<int>(change), p, seconds_of(at - rig.start()),
                                 seconds_of(set.at - at));
                if (std::getenv("BENCH_TRACE") && set.at - at > 1500ms) {
                    for (const auto& w : rig.bus().writes) {
                        if (w.at < at - 3s || w.at > set.at) continue;
                        const auto f = protocol::ascii::decode(w.bytes);
                        std::fprintf(stderr, "  %+.3f adr %d cid %02X\n", seconds_of(w.at - at),
                                     f ? f->adr : -1, f ? f->cid2 : 0);
                    }
                    for (std::size_t i = checked > 3 ? checked - 3 : 0; i <= checked; ++i)
                        std::fprintf(stderr, "  set %+.3f\n", seconds_of(rig.sets()[i].at - at));
                }
                break;
            }
        }
    }
    timers.run_for(5s);  // the others keep coming round after the change too
    trial.longest_gap = rig.longest_gap();
    return trial;
}

struct SweepFigures {
    double sweep_s = 0;
    double floor_s = 0;
};

// Mean of sweeps 3..8 of a quiet bank, and the wire floor of one sweep of those packs.
SweepFigures sweep(const Options& o) {
    Rig rig(o, o.seed, 0ms, 0ms);
    auto& timers = rig.timers();
    std::vector<double> sweeps;
    std::uint64_t seen = 0;
    while (sweeps.size() < 6) {
        timers.run_for(50ms);
        const auto& stats = rig.poller().stats();
        if (stats.cycles != seen) {
            seen = stats.cycles;
            if (seen > 2 && stats.last_sweep) sweeps.push_back(seconds_of(*stats.last_sweep));
        }
    }
    SweepFigures out;
    for (double s : sweeps)
        out.sweep_s += s / static_cast<double>(sweeps.size());
    double chars = 0;
    int transactions = 0;
    for (std::uint8_t a = 0; a < 16; ++a) {
        for (const auto cid : {protocol::pace::kCidAnalog, protocol::pace::kCidStatus}) {
            const auto request = protocol::pace::build_request(0x25, a, cid);
            const auto frame = protocol::ascii::decode(request);
            chars += static_cast<double>(request.size());
            chars += static_cast<double>(sim::encode_reply(rig.pack(a), *frame, 0x25)->size());
            ++transactions;
        }
    }
    out.floor_s = chars * 10.0 / o.baud + transactions * o.latency_ms / 1000.0;
    return out;
}

}  // namespace

int main(int argc, char** argv) {
    spdlog::set_level(spdlog::level::off);
    Options o;
    for (int i = 1; i + 1 < argc; i += 2) {
        const std::string a = argv[i];
        const auto v = static_cast<std::uint32_t>(std::stoul(argv[i + 1]));
        if (a == "--trials") o.trials = static_cast<int>(v);
        if (a == "--latency-ms") o.latency_ms = v;
        if (a == "--baud") o.baud = v;
        if (a == "--poll-ms") o.poll_ms = v;
        if (a == "--seed") o.seed = v;
    }
    std::printf(
        "reaction time, 16 packs at %u baud, reply latency %u ms, near_limit_poll_ms %u, CAN "
        "period 1 s, tick 1 s\nsimulated time: wire modelled as characters x 10 bits / baud + "
        "reply latency; real poller, plan, bank, urgency rule and Pylon codec\n"
        "%d randomised trials each (random pack, moment, seeds, tick and CAN phases)\n\n",
        o.baud, o.latency_ms, o.poll_ms, o.trials);
    std::printf(
        "| change (wire -> first CAN frame reflecting it) | median | worst | missed | "
        "oldest reading |\n|---|---|---|---|---|\n");
    std::mt19937 rng(o.seed);
    for (const auto change : {Change::taper, Change::protect, Change::vanish, Change::quiet}) {
        std::vector<double> times;
        int missed = 0;
        Duration gap{};
        for (int t = 0; t < o.trials; ++t) {
            const auto trial = run_trial(o, change, rng);
            if (trial.reaction) {
                times.push_back(seconds_of(*trial.reaction));
            } else {
                ++missed;
            }
            gap = std::max(gap, trial.longest_gap);
        }
        std::sort(times.begin(), times.end());
        const double median = times.empty() ? 0 : times[times.size() / 2];
        const double worst = times.empty() ? 0 : times.back();
        std::printf("| %s | %.2f s | %.2f s | %d | %.2f s |\n", name(change), median, worst, missed,
                    seconds_of(gap));
    }
    const auto s = sweep(o);
    std::printf(
        "\nquiet bank: 16-pack sweep %.3f s, wire-time floor %.3f s, ratio %.3f (target "
        "<= 1.05)\n",
        s.sweep_s, s.floor_s, s.sweep_s / s.floor_s);
    std::printf(
        "\"oldest reading\": the longest time between two readings of any pack after the "
        "warm-up (battery.stale_after_s 10 s)\n");
    return 0;
}
