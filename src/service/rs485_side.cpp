// SPDX-License-Identifier: Apache-2.0
#include "packbridge/service/rs485_side.hpp"

#include <spdlog/spdlog.h>

namespace packbridge::service {

Rs485Side::Rs485Side(boost::asio::io_context& io, const InverterConfig& config,
                     std::unique_ptr<protocol::Rs485Responder> protocol, const Battery& battery)
    : config_(config),
      transport_(io,
                 io::SerialOptions{config.rs485.device, config.rs485.baud, config.rs485.rs485_mode},
                 "inverter"),
      timers_(io),
      responder_(transport_, timers_, std::move(protocol), battery, rs485_server_options(config)) {}

Rs485Side::~Rs485Side() {
    stop();
}

void Rs485Side::start() {
    running_ = true;
    if (auto opened = transport_.open(); !opened) {
        // Not fatal: the transport retries with back-off; the inverter sees no BMS meanwhile.
        spdlog::error("inverter: {} (retrying in the background)", opened.error().detail);
    }
    responder_.start();
    spdlog::info("inverter: {} slave on {} at {} baud", responder_.protocol().name(),
                 config_.rs485.device, config_.rs485.baud);
}

void Rs485Side::stop() {
    if (!running_) return;
    running_ = false;
    responder_.stop();
}

bool Rs485Side::producing(TimePoint) const {
    // The inverter asks and we answer: the side works while its port is open and read.
    return running_ && transport_.is_open();
}

status::InverterLink Rs485Side::link_status(TimePoint now) const {
    const auto& c = responder_.counters();
    status::InverterLink link;
    link.link = "rs485";
    link.protocol = std::string(responder_.protocol().name());
    // "waiting" only for the first alive_timeout after start; then "silent" until it asks,
    // whether it never asked or stopped asking.
    link.state = !transport_.is_open()             ? "down"
                 : responder_.inverter_alive(now)  ? "up"
                 : responder_.inverter_silent(now) ? "silent"
                                                   : "waiting";
    if (const auto last = responder_.last_valid_request()) link.since_heard = now - *last;
    link.frames_sent = c.answers;
    link.frames_received = c.requests;
    link.errors = c.malformed + c.write_errors;
    return link;
}

}  // namespace packbridge::service
