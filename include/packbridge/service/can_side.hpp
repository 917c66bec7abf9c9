// SPDX-License-Identifier: Apache-2.0
#pragma once

// The CAN inverter side: every period, rebuild the whole frame set from the CURRENT battery and
// hand it to a sink (a SocketCAN socket, or stdout in a dry run). Frames are never queued from
// one period to the next, so a slow or absent bus can only drop frames, never replay stale ones.

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "packbridge/asio.hpp"
#include "packbridge/io/can_sink.hpp"
#include "packbridge/protocol/inverter/can/can_codec.hpp"
#include "packbridge/protocol/inverter/can/can_frame.hpp"
#include "packbridge/service/inverter_side.hpp"

namespace packbridge::service {

using io::CanSink;

using protocol::CanCodec;

// Dry run: "(1700000000.123456) can0 351#3002E803DC05E001<TAB>; CVL 56.0 V ..." on `out`,
// candump's log format plus a decoded summary after the tab.
class DryRunSink final : public CanSink {
  public:
    DryRunSink(std::ostream& out, std::string interface)
        : out_(out), interface_(std::move(interface)) {}
    bool send(const protocol::CanFrame& frame, const std::string& summary) override;
    [[nodiscard]] std::string name() const override { return "dry-run"; }
    [[nodiscard]] bool open() const override { return true; }

  private:
    std::ostream& out_;
    std::string interface_;
};

class CanSide final : public InverterSide {
  public:
    CanSide(boost::asio::io_context& io, CanCodec codec, std::unique_ptr<CanSink> sink,
            const Battery& battery);
    ~CanSide() override;
    CanSide(const CanSide&) = delete;
    CanSide& operator=(const CanSide&) = delete;
    void start() override;
    void stop() override;
    [[nodiscard]] bool producing(TimePoint now) const override;
    [[nodiscard]] bool device_open() const override { return sink_->open(); }
    [[nodiscard]] status::InverterLink link_status(TimePoint now) const override;

    // One period's work; public so tests can drive it without waiting.
    void tick();
    // Sends the set now (at most one prompted set per kPromptSpacing; one that comes sooner is
    // sent when the spacing is up), the periodic timer runs on unchanged.
    void prompt() override;
    static constexpr auto kPromptSpacing = std::chrono::milliseconds(100);
    // A frame from the inverter (keep-alive, identification, Growatt poll, Lux command).
    void on_inverter_frame(const protocol::CanFrame& frame);

  private:
    void arm();
    void send_set(const Battery& battery);
    void check_inverter_lost(TimePoint now);

    boost::asio::steady_timer timer_;
    boost::asio::steady_timer prompt_timer_;
    bool prompt_pending_ = false;
    std::optional<TimePoint> last_set_;
    CanCodec codec_;
    std::unique_ptr<CanSink> sink_;
    const Battery& battery_;  // the daemon's snapshot of this tick
    bool running_ = false;
    bool silent_ = false;
    std::optional<TimePoint> last_tick_;
    std::optional<TimePoint> last_poll_;
    std::optional<TimePoint> last_poll_answer_;
    std::optional<TimePoint> inverter_heard_;
    bool inverter_seen_ = false;
    bool shutdown_asked_ = false;  // Luxpower 0x300 shutdown bit, as last received
    std::string identification_;
    std::vector<std::string> last_clamped_;
    std::uint64_t sent_ = 0;
    std::uint64_t dropped_ = 0;
    std::uint64_t received_ = 0;
    std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace packbridge::service
