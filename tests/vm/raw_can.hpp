// SPDX-License-Identifier: Apache-2.0
#pragma once

// A plain CAN_RAW socket for the VM tests: the test's "inverter", reading what packbridge sends
// and sending what an inverter would. Throws when the kernel has no CAN (outside the VM).

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "packbridge/protocol/inverter/can/can_frame.hpp"

namespace vm_test {

struct Received {
    packbridge::protocol::CanFrame frame;
    std::chrono::steady_clock::time_point at;
};

class RawCan {
  public:
    explicit RawCan(const std::string& interface);
    ~RawCan();
    RawCan(const RawCan&) = delete;
    RawCan& operator=(const RawCan&) = delete;

    void send(const packbridge::protocol::CanFrame& frame) const;
    // The next frame within `timeout`, or nothing.
    std::optional<Received> receive(std::chrono::milliseconds timeout) const;
    // Every frame that arrives within `window`.
    std::vector<Received> collect(std::chrono::milliseconds window) const;
    // Discards what is queued now.
    void flush() const;

  private:
    int fd_ = -1;
};

// Runs a shell command in the VM (ip link ...); throws with the command on failure.
void sh(const std::string& command);

// Builds a frame from an id and hex payload ("351", "3002E803...").
packbridge::protocol::CanFrame frame_of(std::uint32_t id, const std::string& hex);

}  // namespace vm_test
