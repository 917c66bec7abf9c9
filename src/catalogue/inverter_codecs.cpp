// SPDX-License-Identifier: Apache-2.0
// The variant rows' builders: how each inverter protocol variant turns the inverter config
// into a CAN codec or an RS485 responder. The table (protocols.cpp) points at these; nothing
// else chooses an encoder.
#include "inverter_codecs.hpp"

#include <ctime>
#include <memory>
#include <string>

#include "packbridge/protocol/inverter/can/growatt_can.hpp"
#include "packbridge/protocol/inverter/can/lux_can.hpp"
#include "packbridge/protocol/inverter/can/pylon_can.hpp"
#include "packbridge/protocol/inverter/can/sma_can.hpp"
#include "packbridge/protocol/inverter/rs485/growatt_rs485.hpp"
#include "packbridge/protocol/inverter/rs485/pylon_rs485.hpp"
#include "packbridge/protocol/inverter/rs485/srne_rs485.hpp"
#include "packbridge/protocol/inverter/rs485/voltronic_rs485.hpp"

namespace packbridge::catalogue::codecs {
namespace {

constexpr std::uint8_t kModbusDefaultSlave = 0x01;

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

// What every CAN codec takes from the config: the period and the inverter's silence limit.
protocol::CanCodec base(const InverterConfig& config, std::string name) {
    protocol::CanCodec codec;
    codec.name = std::move(name);
    codec.period = std::chrono::milliseconds(config.can.period_ms);
    codec.alive_timeout = std::chrono::seconds(config.alive_timeout_s);
    return codec;
}

protocol::CanCodec pylon(const InverterConfig& config, protocol::pylon_can::Variant variant,
                         std::string name) {
    namespace pc = protocol::pylon_can;
    pc::Options options;
    if (!config.name.empty()) options.name = config.name;
    options.exact_dlc = config.can.exact_dlc;
    options.variant = variant;
    protocol::CanCodec codec = base(config, std::move(name));
    codec.frames = [options](const Battery& b) { return pc::encode(b, options); };
    codec.describe = [](const protocol::CanFrame& f) { return pc::describe(f); };
    return codec;
}

protocol::CanCodec sma(const InverterConfig& config, protocol::sma_can::Profile profile,
                       std::string name) {
    namespace sc = protocol::sma_can;
    sc::Options options;
    options.profile = profile;
    options.name = config.name;
    protocol::CanCodec codec = base(config, std::move(name));
    // SMA may drop values sent faster than every 200 ms per id (inverter-can.md 4.1).
    const auto spacing = sc::min_same_id_spacing(profile);
    if (codec.period < spacing) {
        codec.notes.push_back("period_ms " + std::to_string(config.can.period_ms) + " is below " +
                              codec.name + "'s " + std::to_string(spacing.count()) +
                              " ms per frame id; using " + std::to_string(spacing.count()) + " ms");
        codec.period = spacing;
    }
    codec.frames = [options](const Battery& b) { return sc::encode(b, options).frames; };
    codec.clamped = [options](const Battery& b) { return sc::encode(b, options).clamped; };
    codec.describe = [](const protocol::CanFrame& f) { return sc::describe(f); };
    return codec;
}

}  // namespace

protocol::CanCodec pylon_can(const InverterConfig& c) {
    return pylon(c, protocol::pylon_can::Variant::pylon, "pylon");
}
protocol::CanCodec pylon_solark(const InverterConfig& c) {
    return pylon(c, protocol::pylon_can::Variant::sol_ark, "pylon/solark");
}
protocol::CanCodec pylon_goodwe(const InverterConfig& c) {
    return pylon(c, protocol::pylon_can::Variant::goodwe, "pylon/goodwe");
}

protocol::CanCodec sma_can(const InverterConfig& c) {
    return sma(c, protocol::sma_can::Profile::sma, "sma");
}
protocol::CanCodec victron_can(const InverterConfig& c) {
    return sma(c, protocol::sma_can::Profile::victron, "victron");
}
protocol::CanCodec sofar_can(const InverterConfig& c) {
    return sma(c, protocol::sma_can::Profile::sofar, "sofar");
}

protocol::CanCodec goodwe_sma_can(const InverterConfig& c) {
    return sma(c, protocol::sma_can::Profile::goodwe, "goodwe");
}

protocol::CanCodec growatt_can(const InverterConfig& config) {
    namespace gc = protocol::growatt_can;
    protocol::CanCodec codec = base(config, "growatt");
    codec.frames = [options = gc::Options{}](const Battery& b) mutable {
        options.time = local_now();
        return gc::encode(b, options);
    };
    codec.describe = [](const protocol::CanFrame& f) { return gc::describe(f); };
    codec.is_poll = [](const protocol::CanFrame& f) { return gc::is_poll(f); };
    codec.poll_fallback = std::chrono::seconds(config.can.poll_fallback_s);
    return codec;
}

protocol::CanCodec lux_can(const InverterConfig& config) {
    namespace lc = protocol::lux_can;
    lc::Options options;
    if (!config.name.empty()) options.name = config.name;
    protocol::CanCodec codec = base(config, "luxpower");
    codec.frames = [options](const Battery& b) { return lc::encode(b, options); };
    codec.describe = [](const protocol::CanFrame& f) { return lc::describe(f); };
    return codec;
}

std::unique_ptr<protocol::Rs485Responder> pylon_rs485(const InverterConfig& c) {
    return std::make_unique<protocol::PylonRs485Responder>(
        protocol::pylon_rs485_options(c.rs485.pylon, c.rs485.address, c.name));
}

std::unique_ptr<protocol::Rs485Responder> pace_modbus(const InverterConfig& c) {
    return std::make_unique<protocol::PaceModbusResponder>(
        c.rs485.address.value_or(kModbusDefaultSlave));
}

std::unique_ptr<protocol::Rs485Responder> voltronic_485(const InverterConfig& c) {
    return std::make_unique<protocol::VoltronicRs485Responder>(
        c.rs485.address.value_or(kModbusDefaultSlave), c.rs485.voltronic.length);
}

std::unique_ptr<protocol::Rs485Responder> growatt_rs485(const InverterConfig& c) {
    return std::make_unique<protocol::GrowattRs485Responder>(
        c.rs485.address.value_or(kModbusDefaultSlave));
}

}  // namespace packbridge::catalogue::codecs
