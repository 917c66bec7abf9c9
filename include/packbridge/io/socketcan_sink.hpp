#pragma once

// CAN_RAW socket towards the inverter, write side. Non-blocking: a frame the kernel cannot take
// (ENOBUFS/EAGAIN: TX queue full because nobody ACKs) is dropped and counted, never queued, so
// frames after recovery carry current values. A missing or down interface is retried at most
// once per second from send(); the process never exits for it.

#include <cstdint>
#include <string>

#include "packbridge/clock.hpp"
#include "packbridge/result.hpp"
#include "packbridge/service/can_side.hpp"

namespace packbridge::io {

class SocketCanSink final : public service::CanSink {
  public:
    explicit SocketCanSink(std::string interface);
    ~SocketCanSink() override;
    SocketCanSink(const SocketCanSink&) = delete;
    SocketCanSink& operator=(const SocketCanSink&) = delete;

    Result<void> open_socket();
    bool send(const protocol::CanFrame& frame, const std::string& summary) override;
    [[nodiscard]] std::string name() const override { return interface_; }
    [[nodiscard]] bool open() const override { return fd_ >= 0; }
    [[nodiscard]] std::uint64_t dropped() const { return dropped_; }

  private:
    void close_socket();

    std::string interface_;
    int fd_ = -1;
    TimePoint next_retry_{};
    bool reported_down_ = false;
    std::uint64_t dropped_ = 0;
};

}  // namespace packbridge::io
