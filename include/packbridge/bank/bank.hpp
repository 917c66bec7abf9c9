// SPDX-License-Identifier: Apache-2.0
#pragma once

// The bank: N pack readings in, one Battery out, and the one place where charge safety is
// decided. Pure and deterministic: no clock of its own (time is an argument), no I/O. It keeps
// only the history that policy needs: the ramped limits, the last time any pack was fresh,
// the force-charge hysteresis and the full-charge timer.

#include <optional>
#include <span>
#include <utility>

#include "packbridge/bank/settings.hpp"
#include "packbridge/battery.hpp"
#include "packbridge/pack_reading.hpp"

namespace packbridge::bank {

// What the poller knows about one configured or discovered pack at this moment.
struct PackSample {
    std::uint8_t address = 0;
    bool online = false;                   // the poller's verdict (PackHealth::online)
    const PackReading* reading = nullptr;  // latest reading, nullptr before the first one
};

class Bank {
  public:
    explicit Bank(BatteryConfig config);

    // One step. `packs` lists every known pack (any order); only online packs whose reading is
    // fresh at `now` count. Calls must come with non-decreasing `now`.
    Battery update(TimePoint now, std::span<const PackSample> packs);

    // Convenience: every reading is from an online pack.
    Battery update(TimePoint now, std::span<const PackReading> readings);

    [[nodiscard]] const BatteryConfig& config() const { return config_; }
    // A reloaded config: ramps, hysteresis and timers carry on from where they are.
    void set_config(BatteryConfig config) { config_ = std::move(config); }

  private:
    std::uint32_t ramp(std::uint32_t previous, std::uint32_t target, double dt_s) const;

    BatteryConfig config_;
    std::optional<TimePoint> last_update_;
    std::optional<TimePoint> last_fresh_;  // last time at least one pack counted (or first update)
    std::optional<TimePoint> last_full_;   // last time SOC reached the full-charge threshold
    std::uint32_t ccl_out_ma_ = 0;
    std::uint32_t dcl_out_ma_ = 0;
    bool force_charge_ = false;
    bool full_request_ = false;
};

}  // namespace packbridge::bank
