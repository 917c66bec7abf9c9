// SPDX-License-Identifier: Apache-2.0
#pragma once

// Which pack the poller asks next, when the plain sweep is not enough. Pure: no clock of its
// own, no I/O; the poller tells it what happened and asks it at each transaction boundary.
//
// A quiet bank is polled in plain round robin (the poller's sweep, at the wire floor). A pack
// near a limit (a cell within a margin of a taper start or of the cell limit, a warning or a
// protection, a high current, or a missed reply) gets extra analog + status polls between the
// others, about `fast_interval` apart, so a change on it reaches the bank within about one
// interval plus one transaction. Extra polls never take more than one transaction in three
// (kRegularPerExtra), so the sweep of the others keeps two thirds of the wire however many packs
// are near a limit; and a pack whose reading is about to go stale always comes first.

#include <array>
#include <cstdint>
#include <optional>

#include "packbridge/clock.hpp"
#include "packbridge/pack_reading.hpp"

namespace packbridge::service {

// Where the limits are: the battery section's cell thresholds and per-pack currents, and its
// freshness rule. Filled from the config by the daemon.
struct PlanLimits {
    std::uint32_t charge_taper_start_mv = 3450;
    std::uint32_t cell_max_mv = 3600;
    std::uint32_t discharge_taper_start_mv = 3050;
    std::uint32_t cell_min_mv = 2900;
    std::uint32_t pack_charge_ma = 50'000;
    std::uint32_t pack_discharge_ma = 100'000;
    Duration stale_after = std::chrono::seconds(10);

    bool operator==(const PlanLimits&) const = default;
};

// bus.near_limit_* in the config.
struct PlanSettings {
    std::uint32_t margin_mv = 50;    // "near": this close to a taper start or cell limit
    std::uint32_t current_pct = 80;  // "near": |current| at this % of the pack's limit
    Duration fast_interval = std::chrono::milliseconds(800);  // 0 = adaptive polling off
    PlanLimits limits;

    bool operator==(const PlanSettings&) const = default;
};

// Why a pack counts as near a limit (bit mask).
enum NearReason : std::uint8_t {
    kNearNone = 0,
    kNearCellHigh = 1U << 0,  // highest cell at or above charge taper start (or cell_max) - margin
    kNearCellLow = 1U << 1,  // lowest cell at or below discharge taper start (or cell_min) + margin
    kNearWarning = 1U << 2,
    kNearProtection = 1U << 3,
    kNearCurrent = 1U << 4,
    kNearMissed = 1U << 5,  // went offline while near a limit: asked again a few times
};

[[nodiscard]] std::uint8_t near_limit(const PackReading& reading, const PlanSettings& settings);

class PollPlan {
  public:
    explicit PollPlan(PlanSettings settings = {}) : settings_(settings) {}
    void set_settings(const PlanSettings& settings) { settings_ = settings; }
    [[nodiscard]] const PlanSettings& settings() const { return settings_; }

    // A complete reading (analog + status) of `address` arrived.
    void reading(std::uint8_t address, const PackReading& reading);
    // A transaction with `address` (its analog request) starts now; `extra` when it is a Pick
    // with extra set.
    void polled(std::uint8_t address, TimePoint at, bool extra = false);
    // Any other request of the sweep (an identity read) starts now.
    void other_request() { ++regular_since_extra_; }
    // `address` missed a reply; `offline` when the poller now counts it offline.
    void missed(std::uint8_t address, TimePoint at, bool offline);
    // One transaction (analog + status) took this long: the slot the next decision plans with.
    void transaction(Duration took);

    struct Pick {
        std::uint8_t address = 0;
        bool extra = false;  // a near pack's extra poll (false: a starving pack moved up)
        bool operator==(const Pick&) const = default;
    };
    // The pack to poll before the sweep's next request, or nullopt to follow the sweep:
    // 1. the pack with the oldest reading, if that is older than starvation_limit() + slot();
    // 2. else the most overdue near-limit pack whose fast interval is up at this boundary (the
    //    boundary nearest its due time), if kRegularPerExtra requests went since the last extra;
    // 3. else the pack with the oldest reading, if that is older than starvation_limit().
    // `next_in_sweep` is the pack the sweep would ask next (if any): it needs no extra poll.
    [[nodiscard]] std::optional<Pick> next(TimePoint now,
                                           std::optional<std::uint8_t> next_in_sweep) const;

    // The reply deadline after a request to `address`: for a pack near a limit (or one asked
    // again after it went offline near one), twice its last reply time but at least
    // kMinNearDeadline (a silent near pack is told within a quarter second, not half a
    // second); else, and never beyond, the configured one.
    [[nodiscard]] Duration deadline(std::uint8_t address, Duration configured,
                                    std::optional<Duration> last_latency) const;
    static constexpr int kRegularPerExtra = 2;
    static constexpr Duration kMinNearDeadline = std::chrono::milliseconds(250);

    [[nodiscard]] std::uint8_t reasons(std::uint8_t address) const {
        return packs_.at(address).reasons;
    }
    [[nodiscard]] bool near(std::uint8_t address) const {
        return settings_.fast_interval.count() > 0 && packs_.at(address).reasons != kNearNone;
    }
    // Near a limit by its last reading (a missed reply alone does not count): such a pack that
    // misses a reply most likely tripped, and the poller counts it offline at once.
    [[nodiscard]] bool near_by_reading(std::uint8_t address) const {
        return settings_.fast_interval.count() > 0 &&
               (packs_.at(address).reasons & ~kNearMissed) != kNearNone;
    }
    // Readings older than this are moved up in the sweep: stale_after - 1 s - 2 slots, but at
    // least one sweep of the tracked packs plus a slot.
    [[nodiscard]] Duration starvation_limit() const;
    [[nodiscard]] Duration slot() const { return slot_; }

  private:
    struct Pack {
        bool tracked = false;  // has given a reading and not gone offline since
        bool missing = false;  // missed a reply since its last reading
        std::uint8_t reasons = kNearNone;
        TimePoint last_reading{};
        TimePoint last_poll{};
        // Gone offline while near a limit: asked this many more times at the fast interval, so
        // a lost reply costs the inverter about one interval, not a re-probe interval.
        int lost_retries = 0;
    };

    PlanSettings settings_;
    std::array<Pack, kMaxPacks> packs_{};
    // One analog + status transaction of one pack; 9600 baud PACE ~ 335 ms until measured.
    Duration slot_ = std::chrono::milliseconds(350);
    int regular_since_extra_ = kRegularPerExtra;
};

}  // namespace packbridge::service
