#include "packbridge/service/can_side.hpp"

#include <spdlog/spdlog.h>

#include <chrono>
#include <cstdio>

namespace packbridge::service {

bool DryRunSink::send(const protocol::CanFrame& frame, const std::string& summary) {
    const auto wall = std::chrono::system_clock::now().time_since_epoch();
    const auto usec = std::chrono::duration_cast<std::chrono::microseconds>(wall).count();
    char stamp[40];
    std::snprintf(stamp, sizeof stamp, "(%lld.%06lld)", static_cast<long long>(usec / 1000000),
                  static_cast<long long>(usec % 1000000));
    out_ << stamp << ' ' << interface_ << ' ' << protocol::to_candump(frame) << "\t; " << summary
         << '\n';
    out_.flush();
    return true;
}

CanSide::CanSide(boost::asio::io_context& io, CanCodec codec, std::unique_ptr<CanSink> sink,
                 BatterySource source)
    : timer_(io), codec_(std::move(codec)), sink_(std::move(sink)), source_(std::move(source)) {}

void CanSide::start() {
    running_ = true;
    spdlog::info("inverter: {} over CAN ({}), a frame set every {} ms", codec_.name, sink_->name(),
                 std::chrono::duration_cast<std::chrono::milliseconds>(codec_.period).count());
    tick();  // the first set goes out at once: no gap after start or reload
    arm();
}

void CanSide::stop() {
    running_ = false;
    timer_.cancel();
}

void CanSide::arm() {
    timer_.expires_after(codec_.period);
    timer_.async_wait([this](const boost::system::error_code& ec) {
        if (ec || !running_) return;
        tick();
        arm();
    });
}

void CanSide::tick() {
    const Battery battery = source_();
    last_tick_ = Clock::now();
    if (!battery.transmit) {
        // on_comms_loss = silence: the inverter must see the BMS disappear and trip on its own.
        if (!silent_)
            spdlog::warn("inverter: CAN output silenced (safe state, on_comms_loss=silence)");
        silent_ = true;
        return;
    }
    if (silent_) spdlog::info("inverter: CAN output resumed");
    silent_ = false;
    for (const auto& frame : codec_.frames(battery)) {
        if (sink_->send(frame, codec_.describe ? codec_.describe(frame) : std::string{})) {
            ++sent_;
        } else {
            ++dropped_;
        }
    }
}

bool CanSide::producing(TimePoint now) const {
    return running_ && last_tick_ && now - *last_tick_ < 3 * codec_.period;
}

status::InverterLink CanSide::link_status(TimePoint) const {
    status::InverterLink link;
    link.link = "can";
    link.protocol = codec_.name;
    link.state = sink_->name() == "dry-run"
                     ? "dry-run"
                     : (silent_ ? "silent" : (sink_->open() ? "up" : "down"));
    link.frames_sent = sent_;
    link.errors = dropped_;
    return link;
}

}  // namespace packbridge::service
