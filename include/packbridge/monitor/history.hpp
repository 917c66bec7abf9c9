// SPDX-License-Identifier: Apache-2.0
#pragma once

// The last hours of the bank for the status page's charts: a ring buffer of fixed memory
// (kHistorySamples samples of 32 bytes, allocated once), one sample every `interval_s` taken
// from the status document of a tick. In memory only: a restart starts it empty.

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace packbridge::monitor {

// 24 h at the default of one sample per 10 s.
inline constexpr std::size_t kHistorySamples = 8640;

struct HistorySample {
    std::uint32_t t = 0;  // seconds since the daemon started (monotonic: a clock step is no gap)
    std::int32_t voltage_mv = 0;
    std::int32_t current_ma = 0;
    std::int32_t ccl_ma = 0;
    std::int32_t dcl_ma = 0;
    std::int16_t soc_centi = 0;
    std::int16_t temp_max_dc = 0;
    std::uint16_t cell_min_mv = 0;
    std::uint16_t cell_max_mv = 0;
    std::uint8_t packs_counted = 0;
    std::uint8_t safe_state = 0;
};
static_assert(sizeof(HistorySample) <= 32, "the documented memory figure assumes 32 bytes");

class History {
  public:
    explicit History(std::uint32_t interval_s, std::size_t capacity = kHistorySamples);

    // Takes a sample from a status document (status::to_json) at `t` seconds, unless the last
    // one is younger than the interval. Returns whether it took one.
    bool add(std::uint32_t t, const nlohmann::json& status);

    [[nodiscard]] std::size_t size() const { return size_; }
    [[nodiscard]] std::size_t capacity() const { return ring_.size(); }
    [[nodiscard]] std::uint32_t interval_s() const { return interval_s_; }
    // Oldest first.
    [[nodiscard]] std::vector<HistorySample> samples() const;

    // The samples newer than `since` (all with since = -1) as JSON columns in the status
    // file's units, with `now` (seconds since start) so the page can place them in time:
    // {"run": R, "now": N, "interval_s": I, "capacity": C, "t": [...], "soc_centi": [...], ...}.
    // Written without a JSON tree: a full 24 h answer is one pass over the ring.
    [[nodiscard]] std::string render(std::int64_t since, std::uint32_t now,
                                     std::uint32_t run) const;

  private:
    std::uint32_t interval_s_;
    std::vector<HistorySample> ring_;
    std::size_t next_ = 0;
    std::size_t size_ = 0;
    bool any_ = false;
    std::uint32_t last_t_ = 0;
};

}  // namespace packbridge::monitor
