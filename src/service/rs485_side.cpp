#include "packbridge/service/rs485_side.hpp"

#include <spdlog/spdlog.h>

#include "packbridge/protocol/ascii_assembler.hpp"
#include "packbridge/protocol/ascii_frame.hpp"

namespace packbridge::service {

Rs485Side::Rs485Side(boost::asio::io_context& io, const InverterConfig& config,
                     std::unique_ptr<protocol::Rs485Responder> responder, BatterySource source)
    : io_(io),
      config_(config),
      responder_(std::move(responder)),
      source_(std::move(source)),
      transport_(
          io, io::SerialOptions{config.rs485.device, config.rs485.baud, config.rs485.rs485_mode}),
      silence_timer_(io) {
    if (responder_->framing() == protocol::Rs485Framing::modbus_rtu) {
        rtu_.emplace(config.rs485.baud);
    } else {
        ascii_ = std::make_unique<protocol::ascii::Assembler>();
    }
}

Rs485Side::~Rs485Side() {
    stop();
}

void Rs485Side::start() {
    running_ = true;
    if (auto opened = transport_.open(); !opened) {
        spdlog::error("inverter: cannot open {}: {} (retrying in the background)",
                      config_.rs485.device, opened.error().detail);
    }
    transport_.start([this](std::span<const std::uint8_t> bytes) { on_bytes(bytes); });
    spdlog::info("inverter: {} slave on {} at {} baud", responder_->name(), config_.rs485.device,
                 config_.rs485.baud);
}

void Rs485Side::stop() {
    if (!running_) return;
    running_ = false;
    silence_timer_.cancel();
    transport_.stop();
}

void Rs485Side::on_bytes(std::span<const std::uint8_t> bytes) {
    const auto now = Clock::now();
    if (rtu_) {
        rtu_->feed(bytes, now);
        drain_modbus(now);
        return;
    }
    ascii_->feed(bytes, [this](const protocol::ascii::AssembledFrame& assembled) {
        const auto* data = reinterpret_cast<const std::uint8_t*>(assembled.raw.data());
        handle_request({data, assembled.raw.size()});
    });
}

void Rs485Side::drain_modbus(TimePoint now) {
    for (auto& event : rtu_->poll(now)) {
        if (event.kind == protocol::modbus::FramerEvent::Kind::frame) {
            handle_request(event.bytes);
        } else {
            ++malformed_;
            spdlog::debug("inverter: dropped {} bytes: {}", event.bytes.size(), event.reason);
        }
    }
    // A partial frame closes after 3.5 characters of silence: come back then.
    if (const auto deadline = rtu_->deadline()) {
        silence_timer_.expires_at(*deadline);
        silence_timer_.async_wait([this](const boost::system::error_code& ec) {
            if (!ec && running_) drain_modbus(Clock::now());
        });
    }
}

void Rs485Side::handle_request(std::span<const std::uint8_t> request) {
    const auto now = Clock::now();
    ++requests_;
    const Battery battery = source_();
    auto outcome = responder_->handle(request, battery, now);
    if (outcome.inverter_alive()) note_alive(now);
    if (outcome.kind == protocol::Rs485Outcome::Kind::malformed) {
        ++malformed_;
        spdlog::debug("inverter: malformed request: {}", outcome.detail);
    }
    if (outcome.reply) {
        ++answers_;
        spdlog::trace("inverter: {} -> {} bytes", outcome.detail, outcome.reply->size());
        transport_.write(*outcome.reply, [](Result<void> written) {
            if (!written) spdlog::debug("inverter: reply not sent: {}", written.error().detail);
        });
    }
}

void Rs485Side::note_alive(TimePoint now) {
    last_valid_ = now;
    if (!alive_) spdlog::info("inverter: polling started ({})", responder_->name());
    alive_ = true;
}

bool Rs485Side::producing(TimePoint now) const {
    // The inverter asks; we answer. "Producing" = the port is open and being read.
    (void)now;
    return running_ && transport_.is_open();
}

status::InverterLink Rs485Side::link_status(TimePoint now) const {
    status::InverterLink link;
    link.link = "rs485";
    link.protocol = std::string(responder_->name());
    const bool heard =
        last_valid_ && now - *last_valid_ < std::chrono::seconds(config_.alive_timeout_s);
    link.state = !transport_.is_open() ? "down" : (heard ? "up" : "waiting");
    if (last_valid_) link.since_heard = now - *last_valid_;
    link.frames_sent = answers_;
    link.frames_received = requests_;
    link.errors = malformed_;
    return link;
}

}  // namespace packbridge::service
