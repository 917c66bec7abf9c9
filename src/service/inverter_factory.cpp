#include "packbridge/service/inverter_factory.hpp"

#include <spdlog/spdlog.h>

#include <iostream>

#include "packbridge/io/socketcan_sink.hpp"
#include "packbridge/protocol/pylon_can.hpp"
#include "packbridge/protocol/rs485_responder.hpp"
#include "packbridge/service/can_side.hpp"
#include "packbridge/service/rs485_side.hpp"

namespace packbridge::service {
namespace {

Result<CanCodec> can_codec(const InverterConfig& config) {
    switch (config.protocol) {
        case Protocol::pylon:
            if (!config.variant.empty() && config.variant != "pylon") break;
            {
                protocol::pylon_can::Options options;
                if (!config.name.empty()) options.name = config.name;
                options.exact_dlc = config.can.exact_dlc;
                CanCodec codec;
                codec.name = "pylon";
                codec.period = std::chrono::milliseconds(config.can.period_ms);
                codec.frames = [options](const Battery& b) {
                    return protocol::pylon_can::encode(b, options);
                };
                codec.describe = [](const protocol::CanFrame& f) {
                    return protocol::pylon_can::describe(f);
                };
                return codec;
            }
        default:
            break;
    }
    return make_error(
        Errc::unsupported,
        "this build drives CAN protocol pylon (variant pylon: Deye and other Pylon-CAN inverters) "
        "and the RS485 protocols; the configured CAN protocol/variant is not available yet");
}

}  // namespace

Result<void> inverter_supported(const InverterConfig& config) {
    if (config.link == Link::can) {
        auto codec = can_codec(config);
        if (!codec) return codec.error();
        return {};
    }
    auto responder = protocol::make_rs485_responder(config);
    if (!responder) return responder.error();
    return {};
}

std::unique_ptr<InverterSide> make_inverter_side(boost::asio::io_context& io, const Config& config,
                                                 const DaemonOptions& options,
                                                 BatterySource source) {
    const InverterConfig& inv = config.inverter;
    if (inv.link == Link::can) {
        auto codec = can_codec(inv);
        if (!codec) {
            spdlog::error("inverter: {}", codec.error().detail);
            return nullptr;
        }
        std::unique_ptr<CanSink> sink;
        if (options.dry_run || inv.can.interface == "-") {
            sink = std::make_unique<DryRunSink>(
                std::cout, inv.can.interface == "-" ? "can0" : inv.can.interface);
        } else {
            sink = std::make_unique<io::SocketCanSink>(inv.can.interface);
        }
        return std::make_unique<CanSide>(io, std::move(*codec), std::move(sink), std::move(source));
    }
    auto responder = protocol::make_rs485_responder(inv);
    if (!responder) {
        spdlog::error("inverter: {}", responder.error().detail);
        return nullptr;
    }
    return std::make_unique<Rs485Side>(io, inv, std::move(*responder), std::move(source));
}

}  // namespace packbridge::service
