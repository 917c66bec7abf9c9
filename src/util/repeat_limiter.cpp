// SPDX-License-Identifier: Apache-2.0
#include "packbridge/util/repeat_limiter.hpp"

namespace packbridge {

std::optional<RepeatLimiter::Report> RepeatLimiter::note(TimePoint now) {
    auto report = flush(now);
    if (!opened_) opened_ = now;
    ++count_;
    return report;
}

std::optional<RepeatLimiter::Report> RepeatLimiter::flush(TimePoint now) {
    if (!opened_ || now - *opened_ < window_) return std::nullopt;
    Report report{count_, window_};
    opened_.reset();
    count_ = 0;
    return report;
}

}  // namespace packbridge
