// SPDX-License-Identifier: Apache-2.0
#include "packbridge/service/can_side.hpp"

#include <spdlog/spdlog.h>

#include <chrono>
#include <cstdio>

#include "packbridge/protocol/inverter/can/can_inbound.hpp"

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
                 const Battery& battery)
    : timer_(io),
      prompt_timer_(io),
      codec_(std::move(codec)),
      sink_(std::move(sink)),
      battery_(battery) {}

CanSide::~CanSide() {
    *alive_ = false;
}

void CanSide::start() {
    running_ = true;
    sink_->start([this, alive = alive_](const protocol::CanFrame& frame) {
        if (*alive) on_inverter_frame(frame);
    });
    spdlog::info("inverter: {} over CAN ({}), a frame set every {} ms", codec_.name, sink_->name(),
                 std::chrono::duration_cast<std::chrono::milliseconds>(codec_.period).count());
    for (const auto& note : codec_.notes)
        spdlog::warn("inverter: {}", note);
    tick();  // the first set goes out at once: no gap after start or reload
    arm();
}

void CanSide::stop() {
    running_ = false;
    timer_.cancel();
    prompt_timer_.cancel();
}

void CanSide::prompt() {
    if (!running_ || prompt_pending_) return;
    const auto now = Clock::now();
    if (!last_set_ || now - *last_set_ >= kPromptSpacing) {
        last_tick_ = now;
        send_set(battery_);
        return;
    }
    prompt_pending_ = true;
    prompt_timer_.expires_at(*last_set_ + kPromptSpacing);
    prompt_timer_.async_wait([this, alive = alive_](const boost::system::error_code& ec) {
        if (ec || !*alive) return;
        prompt_pending_ = false;
        if (!running_) return;
        last_tick_ = Clock::now();
        send_set(battery_);
    });
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
    const auto now = Clock::now();
    last_tick_ = now;
    check_inverter_lost(now);
    // A polling inverter (Growatt) gets its sets as answers; the timer only covers silence.
    if (codec_.is_poll && last_poll_ && now - *last_poll_ < codec_.poll_fallback) return;
    send_set(battery_);
}

void CanSide::send_set(const Battery& battery) {
    if (!battery.transmit) {
        // on_comms_loss = silence: the inverter must see the BMS disappear and trip on its own.
        if (!silent_)
            spdlog::warn("inverter: CAN output silenced (safe state, on_comms_loss=silence)");
        silent_ = true;
        return;
    }
    if (silent_) spdlog::info("inverter: CAN output resumed");
    silent_ = false;
    last_set_ = Clock::now();
    if (codec_.clamped) {
        // One line per change: the same clamp every second is no news.
        auto clamped = codec_.clamped(battery);
        if (clamped != last_clamped_) {
            for (const auto& note : clamped)
                spdlog::warn("inverter: {}", note);
            last_clamped_ = std::move(clamped);
        }
    }
    const bool trace = spdlog::should_log(spdlog::level::trace);
    for (const auto& frame : codec_.frames(battery)) {
        // candump form, as the dry-run output and `candump -L` tools read it.
        if (trace) spdlog::trace("inverter: tx {} {}", sink_->name(), protocol::to_candump(frame));
        if (sink_->send(frame, codec_.describe ? codec_.describe(frame) : std::string{})) {
            ++sent_;
        } else {
            ++dropped_;
        }
    }
}

void CanSide::on_inverter_frame(const protocol::CanFrame& frame) {
    const auto now = Clock::now();
    ++received_;
    if (spdlog::should_log(spdlog::level::trace)) {
        spdlog::trace("inverter: rx {} {}", sink_->name(), protocol::to_candump(frame));
    }
    const auto inbound = protocol::can_inbound::decode(frame);
    if (!inbound) return;
    inverter_heard_ = now;
    if (!inverter_seen_) {
        spdlog::info("inverter: seen on CAN ({})", protocol::can_inbound::describe(*inbound));
        inverter_seen_ = true;
    }
    using Kind = protocol::can_inbound::Kind;
    if (inbound->kind == Kind::identification) {
        const auto text = protocol::can_inbound::describe(*inbound);
        if (text != identification_) spdlog::info("inverter: identifies itself: {}", text);
        identification_ = text;
    }
    // Logged when it starts and stops, not per frame: an inverter may repeat it every second.
    if (inbound->kind == Kind::lux_command && inbound->shutdown_requested != shutdown_asked_) {
        if (inbound->shutdown_requested) {
            spdlog::warn(
                "inverter: Luxpower 0x300 shutdown command received and not obeyed: "
                "packbridge follows only the packs' own protections");
        } else {
            spdlog::info("inverter: Luxpower 0x300 shutdown command withdrawn");
        }
        shutdown_asked_ = inbound->shutdown_requested;
    }
    if (codec_.is_poll && codec_.is_poll(frame) && running_) {
        last_poll_ = now;
        // Answer each poll, but never more than once per 100 ms (a poll storm cannot flood).
        if (last_poll_answer_ && now - *last_poll_answer_ < std::chrono::milliseconds(100)) return;
        last_poll_answer_ = now;
        last_tick_ = now;
        send_set(battery_);
    }
}

void CanSide::check_inverter_lost(TimePoint now) {
    if (inverter_seen_ && inverter_heard_ && now - *inverter_heard_ > codec_.alive_timeout) {
        spdlog::warn(
            "inverter: not heard on CAN for {} s (lost)",
            std::chrono::duration_cast<std::chrono::seconds>(now - *inverter_heard_).count());
        inverter_seen_ = false;
    }
}

bool CanSide::producing(TimePoint now) const {
    return running_ && last_tick_ && now - *last_tick_ < 3 * codec_.period;
}

status::InverterLink CanSide::link_status(TimePoint now) const {
    status::InverterLink link;
    link.link = "can";
    link.protocol = codec_.name;
    link.state = sink_->name() == "dry-run" ? "dry-run" : (silent_ ? "silent" : sink_->state());
    link.frames_sent = sent_;
    link.frames_received = received_;
    link.errors = dropped_;
    if (inverter_heard_) link.since_heard = now - *inverter_heard_;
    link.detail = identification_;
    return link;
}

}  // namespace packbridge::service
