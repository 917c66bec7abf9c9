// SPDX-License-Identifier: Apache-2.0
#pragma once

// Clock and one-shot timers for the event-driven services. AsioTimers runs on the real
// steady clock; tests substitute a manual clock (tests/support/fake_timers.hpp) to step time.

#include <functional>
#include <memory>

#include "packbridge/asio.hpp"
#include "packbridge/clock.hpp"

namespace packbridge::service {

class OneShot {
  public:
    virtual ~OneShot() = default;
    // (Re)arms: `fire` runs once at `at` unless cancel() or another start() comes first.
    virtual void start(TimePoint at, std::function<void()> fire) = 0;
    virtual void cancel() = 0;
};

class Timers {
  public:
    virtual ~Timers() = default;
    [[nodiscard]] virtual TimePoint now() const = 0;
    virtual std::unique_ptr<OneShot> make_timer() = 0;
};

class AsioTimers final : public Timers {
  public:
    explicit AsioTimers(boost::asio::io_context& io) : io_(io) {}
    [[nodiscard]] TimePoint now() const override { return Clock::now(); }
    std::unique_ptr<OneShot> make_timer() override;

  private:
    boost::asio::io_context& io_;
};

}  // namespace packbridge::service
