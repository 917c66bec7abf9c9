// SPDX-License-Identifier: Apache-2.0
#include "packbridge/service/poll_plan.hpp"

#include <algorithm>

namespace packbridge::service {

namespace {

// A pack that went offline while near a limit is asked this many more times at the fast
// interval before the ordinary re-probe interval takes over: a lost reply (noise) then costs
// the inverter about one interval of a smaller limit; a tripped BMS stays away and costs the
// bus only these few deadlines.
constexpr int kLostRetries = 3;

}  // namespace

std::uint8_t near_limit(const PackReading& reading, const PlanSettings& settings) {
    const auto& limits = settings.limits;
    const auto& analog = reading.analog;
    std::uint8_t reasons = kNearNone;
    if (!analog.cell_mv.empty()) {
        const auto [lo, hi] = std::minmax_element(analog.cell_mv.begin(), analog.cell_mv.end());
        const std::uint32_t high_at =
            std::min(limits.charge_taper_start_mv, limits.cell_max_mv) -
            std::min(settings.margin_mv,
                     std::min(limits.charge_taper_start_mv, limits.cell_max_mv));
        const std::uint32_t low_at =
            std::max(limits.discharge_taper_start_mv, limits.cell_min_mv) + settings.margin_mv;
        if (*hi >= high_at) reasons |= kNearCellHigh;
        if (*lo <= low_at) reasons |= kNearCellLow;
    }
    if (reading.status.warnings.any()) reasons |= kNearWarning;
    if (reading.status.protections.any()) reasons |= kNearProtection;
    if (settings.current_pct > 0) {
        const auto pct = static_cast<std::int64_t>(settings.current_pct);
        const auto current = static_cast<std::int64_t>(analog.current_ma);
        if (current * 100 >= static_cast<std::int64_t>(limits.pack_charge_ma) * pct ||
            -current * 100 >= static_cast<std::int64_t>(limits.pack_discharge_ma) * pct)
            reasons |= kNearCurrent;
    }
    return reasons;
}

void PollPlan::reading(std::uint8_t address, const PackReading& reading) {
    if (address >= kMaxPacks) return;
    auto& pack = packs_[address];
    pack.tracked = true;
    pack.last_reading = reading.at;
    pack.reasons = near_limit(reading, settings_);
    pack.lost_retries = 0;
    pack.missing = false;
}

void PollPlan::polled(std::uint8_t address, TimePoint at, bool extra) {
    if (address >= kMaxPacks) return;
    regular_since_extra_ = extra ? 0 : regular_since_extra_ + 1;
    auto& pack = packs_[address];
    pack.last_poll = at;
    if (!pack.tracked && pack.lost_retries > 0) --pack.lost_retries;
}

void PollPlan::missed(std::uint8_t address, TimePoint, bool offline) {
    if (address >= kMaxPacks) return;
    auto& pack = packs_[address];
    const bool was_near = (pack.reasons & ~kNearMissed) != kNearNone;
    // A quiet pack that misses keeps its turn in the sweep: asking it again at once would put
    // a whole reply deadline between the others' readings each time (with a short
    // stale_after_s at a high baud that is enough to make them stale). Nor is its old reading
    // moved up: it is old because the pack does not answer, and asking sooner brings nothing.
    if (!offline) {
        pack.missing = true;
        return;
    }
    if (pack.tracked) pack.lost_retries = was_near ? kLostRetries : 0;
    pack.tracked = false;
    pack.reasons = pack.lost_retries > 0 ? kNearMissed : kNearNone;
}

void PollPlan::transaction(Duration took) {
    // A transaction with a timeout in it says nothing about the wire: keep the estimate.
    if (took <= Duration::zero() || took > 4 * slot_) return;
    slot_ = (3 * slot_ + took) / 4;
}

// Never below one sweep of the tracked packs and a slot: a reading younger than that gets its
// turn in the sweep anyway, and moving it up would only starve the identity reads (and with a
// stale_after_s shorter than a sweep nothing can keep every pack fresh).
Duration PollPlan::starvation_limit() const {
    const Duration margin = std::chrono::seconds(1) + 2 * slot_;
    const auto tracked =
        std::count_if(packs_.begin(), packs_.end(), [](const Pack& p) { return p.tracked; });
    return std::max(settings_.limits.stale_after - margin, static_cast<int>(tracked + 1) * slot_);
}

Duration PollPlan::deadline(std::uint8_t address, Duration configured,
                            std::optional<Duration> last_latency) const {
    if (address >= kMaxPacks || !near(address) || !last_latency) return configured;
    return std::min(configured, std::max<Duration>(kMinNearDeadline, 2 * *last_latency));
}

std::optional<PollPlan::Pick> PollPlan::next(TimePoint now,
                                             std::optional<std::uint8_t> next_in_sweep) const {
    // The oldest reading at least `limit` old (polled no later than one slot ago).
    const auto oldest_past = [&](Duration limit) -> std::optional<std::uint8_t> {
        std::optional<std::uint8_t> oldest;
        for (std::uint8_t a = 0; a < kMaxPacks; ++a) {
            const auto& pack = packs_[a];
            if (!pack.tracked || pack.missing || now - pack.last_reading < limit ||
                now - pack.last_poll < slot_)
                continue;
            if (!oldest || pack.last_reading < packs_[*oldest].last_reading) oldest = a;
        }
        return oldest;
    };
    const auto moved_up = [&](std::uint8_t a) -> std::optional<Pick> {
        if (a == next_in_sweep) return std::nullopt;
        return Pick{a, false};
    };
    // 1. A reading one slot past the starvation limit goes before everything.
    if (const auto a = oldest_past(starvation_limit() + slot_)) return moved_up(*a);
    // 2. A near-limit pack whose due time is nearer this boundary than the next one, within
    //    the extra polls' share of the wire.
    if (settings_.fast_interval > Duration::zero() && regular_since_extra_ >= kRegularPerExtra) {
        std::optional<std::uint8_t> due;
        for (std::uint8_t a = 0; a < kMaxPacks; ++a) {
            const auto& pack = packs_[a];
            if (pack.reasons == kNearNone) continue;
            if (!pack.tracked && pack.lost_retries == 0) continue;
            if (now + slot_ / 2 < pack.last_poll + settings_.fast_interval) continue;
            if (!due || pack.last_poll < packs_[*due].last_poll) due = a;
        }
        if (due && due != next_in_sweep) return Pick{*due, true};
    }
    // 3. A reading past the starvation limit goes before the rest of the sweep.
    if (const auto a = oldest_past(starvation_limit())) return moved_up(*a);
    return std::nullopt;
}

}  // namespace packbridge::service
