// SPDX-License-Identifier: Apache-2.0
#include "packbridge/service/inverter_factory.hpp"

#include <spdlog/spdlog.h>

#include <ctime>
#include <iostream>
#include <memory>

#include "packbridge/io/can_socket.hpp"
#include "packbridge/protocol/growatt_can.hpp"
#include "packbridge/protocol/lux_can.hpp"
#include "packbridge/protocol/pylon_can.hpp"
#include "packbridge/protocol/rs485_responder.hpp"
#include "packbridge/protocol/sma_can.hpp"
#include "packbridge/service/can_side.hpp"
#include "packbridge/service/rs485_side.hpp"

namespace packbridge::service {
namespace {

// Wall-clock civil time for Growatt's 0x320 (the inverter shows it as the battery's clock).
protocol::growatt_can::DateTime local_now() {
    const std::time_t t = std::time(nullptr);
    std::tm tm{};
    localtime_r(&t, &tm);
    protocol::growatt_can::DateTime d;
    d.year = static_cast<std::uint16_t>(tm.tm_year + 1900);
    d.month = static_cast<std::uint8_t>(tm.tm_mon + 1);
    d.day = static_cast<std::uint8_t>(tm.tm_mday);
    d.hour = static_cast<std::uint8_t>(tm.tm_hour);
    d.minute = static_cast<std::uint8_t>(tm.tm_min);
    d.second = static_cast<std::uint8_t>(tm.tm_sec);
    return d;
}

}  // namespace

Result<CanCodec> make_can_codec(const InverterConfig& config) {
    CanCodec codec;
    codec.period = std::chrono::milliseconds(config.can.period_ms);
    codec.alive_timeout = std::chrono::seconds(config.alive_timeout_s);
    const std::string variant = config.variant;
    switch (config.protocol) {
        case Protocol::pylon: {
            namespace pc = protocol::pylon_can;
            pc::Options options;
            if (!config.name.empty()) options.name = config.name;
            options.exact_dlc = config.can.exact_dlc;
            if (variant == "solark") {
                options.variant = pc::Variant::sol_ark;
            } else if (variant == "goodwe") {
                options.variant = pc::Variant::goodwe;
            } else if (!variant.empty() && variant != "pylon") {
                break;
            }
            codec.name = variant.empty() ? "pylon" : "pylon/" + variant;
            codec.frames = [options](const Battery& b) { return pc::encode(b, options); };
            codec.describe = [](const protocol::CanFrame& f) { return pc::describe(f); };
            return codec;
        }
        case Protocol::sma_victron: {
            namespace sc = protocol::sma_can;
            sc::Options options;
            if (variant == "sma") {
                options.profile = sc::Profile::sma;
            } else if (variant == "sofar") {
                options.profile = sc::Profile::sofar;
            } else if (variant == "victron" || variant.empty()) {
                options.profile = sc::Profile::victron;
            } else {
                break;
            }
            options.name = config.name;
            codec.name = variant.empty() ? "victron" : variant;
            // SMA may drop values sent faster than every 200 ms per id (inverter-can.md 4.1).
            if (codec.period < sc::kMinSameIdSpacing) {
                spdlog::warn(
                    "inverter: period_ms {} is below SMA's {} ms per frame id; using {} ms",
                    config.can.period_ms, sc::kMinSameIdSpacing.count(),
                    sc::kMinSameIdSpacing.count());
                codec.period = sc::kMinSameIdSpacing;
            }
            // SMA drops out-of-range values silently: clamp and say so, once per change.
            auto last_notes = std::make_shared<std::vector<std::string>>();
            codec.frames = [options, last_notes](const Battery& b) {
                auto encoded = sc::encode(b, options);
                if (encoded.clamped != *last_notes) {
                    for (const auto& note : encoded.clamped)
                        spdlog::warn("inverter: {}", note);
                    *last_notes = encoded.clamped;
                }
                return std::move(encoded.frames);
            };
            codec.describe = [](const protocol::CanFrame& f) { return sc::describe(f); };
            return codec;
        }
        case Protocol::growatt_can: {
            namespace gc = protocol::growatt_can;
            gc::Options options;
            codec.name = "growatt";
            codec.frames = [options](const Battery& b) mutable {
                options.time = local_now();
                return gc::encode(b, options);
            };
            codec.describe = [](const protocol::CanFrame& f) { return gc::describe(f); };
            codec.is_poll = [](const protocol::CanFrame& f) { return gc::is_poll(f); };
            codec.poll_fallback = std::chrono::seconds(config.can.poll_fallback_s);
            return codec;
        }
        case Protocol::luxpower: {
            namespace lc = protocol::lux_can;
            lc::Options options;
            if (!config.name.empty()) options.name = config.name;
            codec.name = "luxpower";
            codec.frames = [options](const Battery& b) { return lc::encode(b, options); };
            codec.describe = [](const protocol::CanFrame& f) { return lc::describe(f); };
            return codec;
        }
        default:
            break;
    }
    return make_error(Errc::unsupported, "CAN protocol variant \"" + variant +
                                             "\" is not available for this protocol");
}

Result<void> inverter_supported(const InverterConfig& config) {
    if (config.link == Link::can) {
        auto codec = make_can_codec(config);
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
        auto codec = make_can_codec(inv);
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
