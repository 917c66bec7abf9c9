// SPDX-License-Identifier: Apache-2.0
#pragma once

// The CAN_RAW socket towards the inverter, on the Asio loop.
//
// Writes are non-blocking: a frame the kernel cannot take (ENOBUFS/EAGAIN: the TX queue is full
// because nobody ACKs) is dropped and counted, never queued by us, so frames after recovery carry
// current values. Error frames are received and logged once per state change (bus-off,
// error-passive, no ACK, restarted). Inbound frames (0x305, 0x307, 0x301, 0x300) go to the
// receiver the CAN side registers. An interface that is missing or vanishes (USB adapter
// unplugged) is reopened with back-off (1 s doubling to 30 s); an interface that is down is
// reported, and brought up only with `configure` (libsocketcan: bitrate, restart-ms, start).
// The process never exits for a CAN error.

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "packbridge/asio.hpp"
#include "packbridge/clock.hpp"
#include "packbridge/io/can_error.hpp"
#include "packbridge/io/can_sink.hpp"
#include "packbridge/result.hpp"

namespace packbridge::io {

struct CanSocketOptions {
    std::string interface = "can0";
    bool configure = false;  // set bitrate + restart-ms and bring the link up (CAP_NET_ADMIN)
    std::uint32_t bitrate = 500000;
    std::uint32_t restart_ms = 100;
};

class CanSocket final : public CanSink {
  public:
    CanSocket(boost::asio::io_context& io, CanSocketOptions options);
    ~CanSocket() override;
    CanSocket(const CanSocket&) = delete;
    CanSocket& operator=(const CanSocket&) = delete;

    void start(const Receiver& on_frame) override;
    bool send(const protocol::CanFrame& frame, const std::string& summary) override;
    [[nodiscard]] std::string name() const override { return options_.interface; }
    [[nodiscard]] bool open() const override { return descriptor_.is_open(); }
    [[nodiscard]] std::string state() const override;

    [[nodiscard]] std::uint64_t dropped() const { return dropped_; }
    [[nodiscard]] std::uint64_t error_frames() const { return error_frames_; }

  private:
    Result<void> open_socket();
    void close_socket(const std::string& why);
    void schedule_reopen();
    void read_loop();
    void drain();
    void on_error_frame(const CanErrorEvent& event);
    void check_link();

    boost::asio::io_context& io_;
    CanSocketOptions options_;
    boost::asio::posix::stream_descriptor descriptor_;
    boost::asio::steady_timer reopen_timer_;
    boost::asio::steady_timer link_timer_;
    Receiver receiver_;
    Duration backoff_ = std::chrono::seconds(1);
    bool reported_unavailable_ = false;
    bool reported_down_ = false;
    bool stopped_ = false;
    bool has_controller_ = true;         // false for vcan: no controller state to read
    std::string bus_state_ = "unknown";  // from error frames / libsocketcan
    std::optional<TimePoint> no_ack_since_;
    std::uint64_t dropped_ = 0;
    std::uint64_t error_frames_ = 0;
    std::uint64_t drops_reported_ = 0;
    std::uint64_t checks_ = 0;
    // Shared with pending handlers so a destroyed socket never runs a callback.
    std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace packbridge::io
