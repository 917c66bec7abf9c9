// SPDX-License-Identifier: Apache-2.0
#pragma once

// Manual time for service tests: timers fire only when the test advances the clock, in time
// order, so timing rules (deadlines, gaps, re-probe intervals) are checked exactly and fast.

#include <functional>
#include <map>
#include <memory>

#include "packbridge/service/timers.hpp"

namespace packbridge::testing {

class FakeTimers final : public service::Timers {
  public:
    [[nodiscard]] TimePoint now() const override { return now_; }
    std::unique_ptr<service::OneShot> make_timer() override;

    // Schedules a plain callback (used by fake transports to deliver bytes later).
    void at(TimePoint when, std::function<void()> fn);
    // Fires everything due up to `until` in order, moving now() along; ends with now() == until.
    void run_until(TimePoint until);
    void run_for(Duration d) { run_until(now_ + d); }

  private:
    friend class FakeOneShot;
    std::uint64_t add(TimePoint when, std::function<void()> fn);
    void remove(std::uint64_t id);

    TimePoint now_{std::chrono::seconds(1000)};
    std::uint64_t next_id_ = 1;
    std::multimap<std::pair<TimePoint, std::uint64_t>, std::function<void()>> pending_;
};

}  // namespace packbridge::testing
