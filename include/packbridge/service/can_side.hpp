#pragma once

// The CAN inverter side: every period, rebuild the whole frame set from the CURRENT battery and
// hand it to a sink (a SocketCAN socket, or stdout in a dry run). Frames are never queued from
// one period to the next, so a slow or absent bus can only drop frames, never replay stale ones.

#include <cstdint>
#include <functional>
#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "packbridge/asio.hpp"
#include "packbridge/protocol/can_frame.hpp"
#include "packbridge/service/inverter_side.hpp"

namespace packbridge::service {

// What the CAN side needs from an inverter protocol (type-erased so any encoder family fits).
struct CanCodec {
    std::string name;  // "pylon", "victron", ...
    Duration period = std::chrono::seconds(1);
    std::function<std::vector<protocol::CanFrame>(const Battery&)> frames;
    std::function<std::string(const protocol::CanFrame&)> describe;  // one-line summary
};

// Where frames go. send() must never block: a sink that cannot take a frame drops it.
class CanSink {
  public:
    virtual ~CanSink() = default;
    virtual bool send(const protocol::CanFrame& frame, const std::string& summary) = 0;
    [[nodiscard]] virtual std::string name() const = 0;
    [[nodiscard]] virtual bool open() const = 0;
};

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
            BatterySource source);
    void start() override;
    void stop() override;
    [[nodiscard]] bool producing(TimePoint now) const override;
    [[nodiscard]] status::InverterLink link_status(TimePoint now) const override;

    // One period's work; public so tests can drive it without waiting.
    void tick();

  private:
    void arm();

    boost::asio::steady_timer timer_;
    CanCodec codec_;
    std::unique_ptr<CanSink> sink_;
    BatterySource source_;
    bool running_ = false;
    bool silent_ = false;
    std::optional<TimePoint> last_tick_;
    std::uint64_t sent_ = 0;
    std::uint64_t dropped_ = 0;
};

}  // namespace packbridge::service
