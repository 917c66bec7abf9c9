// SPDX-License-Identifier: Apache-2.0
#pragma once

// An in-memory RS485 line on fake time: requests written by the code under test are answered by
// simulated packs (the same SimPack model and reply encoders packbridge-sim uses), each byte
// taking 10 bits at the baud. Records every write with its time, so tests can check the
// poller's timing rules exactly.

#include <map>
#include <string>
#include <vector>

#include "packbridge/service/transport.hpp"
#include "packbridge/sim/sim_pack.hpp"
#include "support/fake_timers.hpp"

namespace packbridge::testing {

class MemoryBus final : public service::ByteTransport {
  public:
    struct Write {
        TimePoint at;
        std::string bytes;
    };

    MemoryBus(FakeTimers& timers, std::uint32_t baud, std::uint32_t latency_ms)
        : timers_(timers), baud_(baud), latency_(std::chrono::milliseconds(latency_ms)) {}

    void start(BytesHandler on_bytes) override { on_bytes_ = std::move(on_bytes); }
    void stop() override { on_bytes_ = nullptr; }
    void write(std::span<const std::uint8_t> bytes, WriteHandler done) override;
    [[nodiscard]] std::uint32_t baud() const override { return baud_; }

    // Puts bytes on the line as if another device sent them (a host pack, noise) at `at`.
    void inject(TimePoint at, std::string bytes);
    [[nodiscard]] Duration wire(std::size_t chars) const;

    std::vector<sim::SimPack> packs;
    // Request ADR -> the pack that answers it instead, with its own ADR (a DIP switch set wrong).
    std::map<std::uint8_t, std::uint8_t> misdirected;
    std::vector<Write> writes;
    std::vector<TimePoint> reply_ends;  // when each reply's last byte arrived
    // Set when a write arrives while a reply is still on the line: one-in-flight violated.
    int overlapping_writes = 0;

  private:
    FakeTimers& timers_;
    std::uint32_t baud_;
    Duration latency_;
    BytesHandler on_bytes_;
    TimePoint line_busy_until_{};
};

}  // namespace packbridge::testing
