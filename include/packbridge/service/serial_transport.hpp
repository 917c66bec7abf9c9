// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <string>

// ByteTransport over io::Serial that survives the device going away: on a read/write error it
// closes, logs once (and again only if the reason changes), and reopens with back-off (100 ms
// doubling to 5 s) until the device is back. Writes while the device is closed fail at once with
// Errc::io (the poller counts a miss).

#include <array>
#include <deque>
#include <functional>
#include <vector>

#include "packbridge/asio.hpp"
#include "packbridge/io/serial.hpp"
#include "packbridge/service/transport.hpp"

namespace packbridge::service {

class SerialTransport final : public ByteTransport {
  public:
    // `label` starts its log lines: "bus" (pack bus) or "inverter" (RS485 inverter port).
    SerialTransport(boost::asio::io_context& io, io::SerialOptions options,
                    std::string label = "bus");
    ~SerialTransport() override;

    // First open; the error is returned so start-up can report it once (the transport then
    // retries in the background without logging the same failure again).
    Result<void> open();
    void start(BytesHandler on_bytes) override;
    void stop() override;
    void write(std::span<const std::uint8_t> bytes, WriteHandler done) override;
    void on_reopen(std::function<void()> handler) override { on_reopen_ = std::move(handler); }
    void hold_next_read(std::chrono::microseconds wait) override { hold_ = wait; }
    [[nodiscard]] std::uint32_t baud() const override { return options_.baud; }
    // Reads that returned bytes since construction (for tests and benches: how many wake-ups
    // the line costs).
    [[nodiscard]] std::uint64_t reads() const { return reads_; }
    [[nodiscard]] bool is_open() const { return serial_.is_open(); }
    [[nodiscard]] std::uint64_t reopen_count() const { return reopens_; }
    // Why the port is closed (the last open/read/write error); empty while it is open.
    [[nodiscard]] const std::string& problem() const { return problem_; }

  private:
    void read_next();
    void read_after_hold();                               // read_next() once hold_ has passed
    void lost(const Error& error, bool opening = false);  // opening: an open() failed
    void try_reopen();

    boost::asio::io_context& io_;
    io::SerialOptions options_;
    std::string label_;
    io::Serial serial_;
    io::Backoff backoff_;
    boost::asio::steady_timer reopen_timer_;
    boost::asio::steady_timer hold_timer_;
    std::chrono::microseconds hold_{0};
    BytesHandler on_bytes_;
    std::function<void()> on_reopen_;
    std::array<std::uint8_t, 512> buffer_{};
    std::deque<std::vector<std::uint8_t>> out_;  // keeps written bytes alive until sent
    bool running_ = false;
    bool reading_ = false;
    bool reported_lost_ = false;
    std::string problem_;
    std::string reported_problem_;  // the reason last written to the log during this outage
    std::uint64_t reopens_ = 0;
    std::uint64_t reads_ = 0;
    std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace packbridge::service
