// SPDX-License-Identifier: Apache-2.0
#include "packbridge/bank/bank.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <utility>
#include <vector>

#include "packbridge/bank/aggregate.hpp"
#include "packbridge/bank/limits.hpp"

namespace packbridge::bank {
namespace {

using Kind = LimitReason::Kind;
using Side = LimitReason::Side;

Duration seconds_f(double s) {
    return std::chrono::duration_cast<Duration>(std::chrono::duration<double>(std::max(s, 0.0)));
}

double to_seconds(Duration d) {
    return std::chrono::duration<double>(d).count();
}

}  // namespace

Bank::Bank(BatteryConfig config) : config_(std::move(config)) {}

std::uint32_t Bank::ramp(std::uint32_t previous, std::uint32_t target, double dt_s) const {
    // Decreases are immediate: a limit that must drop for safety never waits.
    if (target <= previous) return target;
    if (!(config_.ramp_a_per_s > 0.0)) return target;
    const double step = config_.ramp_a_per_s * 1000.0 * dt_s;
    const double next = static_cast<double>(previous) + std::floor(step);
    return next >= static_cast<double>(target) ? target : static_cast<std::uint32_t>(next);
}

Battery Bank::update(TimePoint now, std::span<const PackReading> readings) {
    std::vector<PackSample> samples;
    samples.reserve(readings.size());
    for (const PackReading& r : readings)
        samples.push_back({r.address, true, &r});
    return update(now, samples);
}

Battery Bank::update(TimePoint now, std::span<const PackSample> packs) {
    Battery out;
    out.at = now;
    out.packs_known = static_cast<std::uint8_t>(std::min<std::size_t>(packs.size(), 255));

    // Who counts: online, with a reading, that reading fresh and not an empty slot.
    const Duration stale_after = seconds_f(config_.stale_after_s);
    std::vector<const PackReading*> counted;
    bool some_lost = false;
    for (const PackSample& p : packs) {
        const bool counts = p.online && p.reading != nullptr && !p.reading->analog.absent() &&
                            is_fresh(*p.reading, now, stale_after);
        if (counts) {
            counted.push_back(p.reading);
        } else {
            some_lost = true;
        }
    }
    std::sort(counted.begin(), counted.end(),
              [](const PackReading* a, const PackReading* b) { return a->address < b->address; });

    aggregate(counted, out);
    Targets targets = compute_targets(config_, out, counted);

    // --- safe state ---
    if (!last_fresh_ || !counted.empty()) last_fresh_ = now;
    const double dt_s = last_update_ ? to_seconds(now - *last_update_) : 0.0;
    last_update_ = now;
    const bool quorum_lost = counted.size() < config_.min_packs;
    const Duration since_fresh = now - *last_fresh_;
    const bool comms_lost = counted.empty() && since_fresh >= seconds_f(config_.comms_loss_s);

    if (some_lost) out.warnings.set(Alarm::pack_lost);
    if (quorum_lost) out.protections.set(Alarm::quorum_lost);
    if (comms_lost) out.protections.set(Alarm::bus_lost);

    out.charge_voltage = std::move(targets.charge_voltage);
    out.discharge_voltage = std::move(targets.discharge_voltage);
    out.safe_state = quorum_lost || comms_lost;
    out.transmit = !(out.safe_state && config_.on_comms_loss == OnCommsLoss::silence);

    if (out.safe_state) {
        std::vector<LimitReason> why;
        if (comms_lost) {
            why.push_back({Kind::comms_lost, 0xFF, 0,
                           static_cast<std::int32_t>(std::llround(to_seconds(since_fresh))),
                           Side::none});
        }
        if (quorum_lost) {
            why.push_back({Kind::quorum_lost, 0xFF, 0, static_cast<std::int32_t>(counted.size()),
                           Side::none});
        }
        out.charge_current = Limit{0, why};
        out.discharge_current = Limit{0, why};
        ccl_out_ma_ = dcl_out_ma_ = 0;
        force_charge_ = false;
        out.charge_enable = out.discharge_enable = false;
        out.force_charge = false;
        out.full_charge_request = false;
        if (!last_full_) last_full_ = now;
        return out;
    }

    // --- ramped limits ---
    auto settle = [&](Limit target, std::uint32_t& state) {
        const std::uint32_t goal = target.value;
        state = ramp(state, goal, dt_s);
        if (state < goal) {
            target.reasons.push_back(
                {Kind::ramp, 0xFF, 0, static_cast<std::int32_t>(goal), Side::none});
        }
        target.value = state;
        return target;
    };
    out.charge_current = settle(std::move(targets.charge_current), ccl_out_ma_);
    out.discharge_current = settle(std::move(targets.discharge_current), dcl_out_ma_);
    out.charge_enable = out.charge_current.value > 0;
    out.discharge_enable = out.discharge_current.value > 0;

    // --- requests ---
    const double soc_pct = out.soc_centi / 100.0;
    if (soc_pct <= config_.force_charge_soc_pct) {
        force_charge_ = true;
    } else if (soc_pct >= config_.force_charge_release_soc_pct) {
        force_charge_ = false;
    }
    out.force_charge = force_charge_;

    // Pylon: request a full charge when SOC has not reached 97 % for 30 days; clear at 97 %.
    // The 30 days run on the monotonic clock from the first update (no persistent storage).
    if (!last_full_) last_full_ = now;
    if (soc_pct >= config_.full_charge_soc_pct) {
        last_full_ = now;
        full_request_ = false;
    } else if (now - *last_full_ >= seconds_f(config_.full_charge_interval_days * 86400.0)) {
        full_request_ = true;
    }
    out.full_charge_request = config_.full_charge_request && full_request_;
    return out;
}

}  // namespace packbridge::bank
