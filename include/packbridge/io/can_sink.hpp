// SPDX-License-Identifier: Apache-2.0
#pragma once

// The interface between the CAN inverter side (service/) and what carries its frames: a
// SocketCAN socket (io/can_socket.hpp) or the dry run's stdout (service/can_side.hpp). It lives in
// io/ so that io implements it without knowing the service that uses it.

#include <functional>
#include <string>

#include "packbridge/protocol/inverter/can/can_frame.hpp"

namespace packbridge::io {

// Where frames go. send() must never block: a sink that cannot take a frame drops it.
class CanSink {
  public:
    using Receiver = std::function<void(const protocol::CanFrame&)>;
    virtual ~CanSink() = default;
    // Opens the sink; frames the inverter sends reach `on_frame` (a dry run receives nothing).
    virtual void start(const Receiver& /*on_frame*/) {}
    virtual bool send(const protocol::CanFrame& frame, const std::string& summary) = 0;
    [[nodiscard]] virtual std::string name() const = 0;
    [[nodiscard]] virtual bool open() const = 0;
    // "up", "down", "bus-off", "error-passive", "unavailable" ...
    [[nodiscard]] virtual std::string state() const { return open() ? "up" : "down"; }
};

}  // namespace packbridge::io
