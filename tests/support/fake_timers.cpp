// SPDX-License-Identifier: Apache-2.0
#include "support/fake_timers.hpp"

namespace packbridge::testing {

class FakeOneShot final : public service::OneShot {
  public:
    explicit FakeOneShot(FakeTimers& timers) : timers_(timers) {}
    ~FakeOneShot() override { cancel(); }
    void start(TimePoint at, std::function<void()> fire) override {
        cancel();
        id_ = timers_.add(at, [this, fire = std::move(fire)] {
            id_ = 0;
            fire();
        });
    }
    void cancel() override {
        if (id_ != 0) {
            timers_.remove(id_);
            id_ = 0;
        }
    }

  private:
    FakeTimers& timers_;
    std::uint64_t id_ = 0;
};

std::unique_ptr<service::OneShot> FakeTimers::make_timer() {
    return std::make_unique<FakeOneShot>(*this);
}

void FakeTimers::at(TimePoint when, std::function<void()> fn) {
    add(when, std::move(fn));
}

std::uint64_t FakeTimers::add(TimePoint when, std::function<void()> fn) {
    const auto id = next_id_++;
    pending_.emplace(std::make_pair(std::max(when, now_), id), std::move(fn));
    return id;
}

void FakeTimers::remove(std::uint64_t id) {
    for (auto it = pending_.begin(); it != pending_.end(); ++it) {
        if (it->first.second == id) {
            pending_.erase(it);
            return;
        }
    }
}

void FakeTimers::run_until(TimePoint until) {
    while (!pending_.empty() && pending_.begin()->first.first <= until) {
        auto first = pending_.begin();
        now_ = first->first.first;
        auto fn = std::move(first->second);
        pending_.erase(first);
        fn();
    }
    now_ = std::max(now_, until);
}

}  // namespace packbridge::testing
