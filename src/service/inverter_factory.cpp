// SPDX-License-Identifier: Apache-2.0
#include "packbridge/service/inverter_factory.hpp"

#include <spdlog/spdlog.h>

#include <iostream>
#include <memory>

#include "packbridge/catalogue.hpp"
#include "packbridge/io/can_socket.hpp"
#include "packbridge/service/can_side.hpp"
#include "packbridge/service/rs485_side.hpp"

namespace packbridge::service {

std::unique_ptr<InverterSide> make_inverter_side(boost::asio::io_context& io, const Config& config,
                                                 const DaemonOptions& options,
                                                 const Battery& battery) {
    const InverterConfig& inv = config.inverter;
    if (inv.link == Link::can) {
        auto codec = catalogue::make_can_codec(inv);
        if (!codec) {
            spdlog::error("inverter: {}", codec.error().detail);
            return nullptr;
        }
        std::unique_ptr<CanSink> sink;
        if (options.dry_run || inv.can.interface == "-") {
            sink = std::make_unique<DryRunSink>(
                std::cout, inv.can.interface == "-" ? "can0" : inv.can.interface);
        } else {
            io::CanSocketOptions socket_options;
            socket_options.interface = inv.can.interface;
            socket_options.configure = inv.can.configure;
            socket_options.bitrate = inv.can.bitrate;
            socket_options.restart_ms = inv.can.restart_ms;
            sink = std::make_unique<io::CanSocket>(io, std::move(socket_options));
        }
        return std::make_unique<CanSide>(io, std::move(*codec), std::move(sink), battery);
    }
    auto responder = catalogue::make_rs485_responder(inv);
    if (!responder) {
        spdlog::error("inverter: {}", responder.error().detail);
        return nullptr;
    }
    return std::make_unique<Rs485Side>(io, inv, std::move(*responder), battery);
}

}  // namespace packbridge::service
