// SPDX-License-Identifier: Apache-2.0
#include "support/memory_bus.hpp"

#include "packbridge/protocol/ascii/ascii_frame.hpp"

namespace packbridge::testing {

Duration MemoryBus::wire(std::size_t chars) const {
    return std::chrono::duration_cast<Duration>(
        std::chrono::microseconds(chars * 10'000'000ULL / baud_));
}

void MemoryBus::write(std::span<const std::uint8_t> bytes, WriteHandler done) {
    const auto now = timers_.now();
    std::string text(bytes.begin(), bytes.end());
    if (now < line_busy_until_) {
        ++overlapping_writes;
    }
    writes.push_back({now, text});
    timers_.at(now, [done = std::move(done)] { done({}); });
    auto request = protocol::ascii::decode(text);
    if (!request) {
        return;
    }
    const auto request_end = now + wire(text.size());
    line_busy_until_ = request_end;
    const auto redirected = misdirected.find(request->adr);
    const auto answerer = redirected != misdirected.end() ? redirected->second : request->adr;
    for (const auto& pack : packs) {
        if (pack.address != answerer) {
            continue;
        }
        auto reply = sim::encode_reply(pack, *request, request->ver);
        if (!reply) {
            continue;
        }
        const auto end = request_end + latency_ + wire(reply->size());
        line_busy_until_ = end;
        inject(end, *reply);
        reply_ends.push_back(end);
    }
}

void MemoryBus::inject(TimePoint at, std::string bytes) {
    // Delivered in one piece when its last byte has arrived; split deliveries are the
    // assembler's tests' business.
    timers_.at(at, [this, bytes = std::move(bytes)] {
        if (on_bytes_) {
            on_bytes_({reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size()});
        }
    });
}

}  // namespace packbridge::testing
