// SPDX-License-Identifier: Apache-2.0
#include "packbridge/protocol/modbus/modbus_rtu_framer.hpp"

#include <algorithm>

#include "packbridge/protocol/modbus/modbus_rtu.hpp"

namespace packbridge::protocol::modbus {
namespace {

constexpr std::uint32_t kBitsPerChar = 11;           // start + 8 data + parity/stop + stop
constexpr std::uint32_t kFixedSilenceAbove = 19200;  // Modbus over serial line, 2.5.1.1
constexpr auto kFixedSilence = std::chrono::microseconds(1750);

}  // namespace

Duration silence_interval(std::uint32_t baud) {
    if (baud == 0 || baud > kFixedSilenceAbove) return kFixedSilence;
    // 3.5 characters: 3.5 * 11 bits / baud seconds, in microseconds, rounded up.
    const std::uint64_t us =
        (std::uint64_t{35} * kBitsPerChar * 1'000'000 + 10ULL * baud - 1) / (10ULL * baud);
    return std::chrono::microseconds(us);
}

RtuFramer::RtuFramer(std::uint32_t baud) : silence_(silence_interval(baud)) {}
RtuFramer::RtuFramer(Duration silence) : silence_(silence) {}

void RtuFramer::feed(std::span<const std::uint8_t> bytes, TimePoint arrival) {
    if (bytes.empty()) return;
    if (!buf_.empty() && arrival - buf_.back().at >= silence_) {
        // The line went quiet before these bytes: whatever is buffered is complete.
        while (take_one(true, ready_)) {
        }
    }
    for (const auto b : bytes)
        buf_.push_back({b, arrival});
}

std::vector<FramerEvent> RtuFramer::poll(TimePoint now) {
    std::vector<FramerEvent> out = std::move(ready_);
    ready_.clear();
    const bool closed = !buf_.empty() && now - buf_.back().at >= silence_;
    while (take_one(closed, out)) {
    }
    return out;
}

std::optional<TimePoint> RtuFramer::deadline() const {
    if (buf_.empty()) return std::nullopt;
    return buf_.back().at + silence_;
}

std::vector<std::uint8_t> RtuFramer::front_bytes(std::size_t n) const {
    std::vector<std::uint8_t> out;
    n = std::min(n, buf_.size());
    out.reserve(n);
    for (std::size_t i = 0; i < n; ++i)
        out.push_back(buf_[i].value);
    return out;
}

void RtuFramer::drop_front(std::size_t n, std::string reason, std::vector<FramerEvent>& out) {
    auto dropped = front_bytes(n);
    const TimePoint end = buf_[n - 1].at;
    buf_.erase(buf_.begin(), buf_.begin() + static_cast<std::ptrdiff_t>(n));
    // Consecutive dropped bytes are one garbage event: resync skips byte by byte.
    if (!out.empty() && out.back().kind == FramerEvent::Kind::garbage) {
        auto& last = out.back();
        last.bytes.insert(last.bytes.end(), dropped.begin(), dropped.end());
        last.end = end;
        return;
    }
    out.push_back({FramerEvent::Kind::garbage, std::move(dropped), end, std::move(reason)});
}

bool RtuFramer::take_one(bool closed, std::vector<FramerEvent>& out) {
    if (buf_.empty()) return false;
    const auto head = front_bytes(7);
    const auto hint = request_length(head);
    if (hint.known_function) {
        if (hint.length && buf_.size() >= *hint.length) {
            const auto candidate = front_bytes(*hint.length);
            if (crc_ok(candidate)) {
                out.push_back({FramerEvent::Kind::frame, candidate, buf_[*hint.length - 1].at, {}});
                buf_.erase(buf_.begin(), buf_.begin() + static_cast<std::ptrdiff_t>(*hint.length));
                return true;
            }
            drop_front(1, "bad CRC or noise", out);
            return true;
        }
        if (closed) {
            drop_front(1, "truncated frame (silence before its last byte)", out);
            return true;
        }
        return false;  // the rest of this request is still on the wire
    }
    // Unknown function code (or a lone byte): only a silence can end such a frame.
    if (closed) {
        if (buf_.size() >= kMinFrame && buf_.size() <= kMaxFrame) {
            const auto all = front_bytes(buf_.size());
            if (crc_ok(all)) {
                out.push_back({FramerEvent::Kind::frame, all, buf_.back().at, {}});
                buf_.clear();
                return true;
            }
        }
        drop_front(1, "noise or bad CRC", out);
        return true;
    }
    if (buf_.size() > kMaxFrame) {
        drop_front(1, "noise longer than any frame", out);
        return true;
    }
    // Resync early: a complete, CRC-valid request of known length further in means the bytes
    // before it are noise. Answering it now beats waiting for a silence that may never come.
    const auto all = front_bytes(buf_.size());
    for (std::size_t i = 1; i + kMinFrame <= all.size(); ++i) {
        const auto rest = std::span<const std::uint8_t>(all).subspan(i);
        const auto h = request_length(rest);
        if (h.known_function && h.length && rest.size() >= *h.length &&
            crc_ok(rest.first(*h.length))) {
            drop_front(i, "noise before a request", out);
            return true;
        }
    }
    return false;
}

}  // namespace packbridge::protocol::modbus
