// SPDX-License-Identifier: Apache-2.0
#include <string>

#include "packbridge/protocol/growatt_rs485.hpp"
#include "packbridge/protocol/pylon_rs485.hpp"
#include "packbridge/protocol/rs485_responder.hpp"
#include "packbridge/protocol/srne_rs485.hpp"
#include "packbridge/protocol/voltronic_rs485.hpp"

namespace packbridge::protocol {
namespace {

constexpr std::uint8_t kModbusDefaultSlave = 0x01;

std::string join(const std::vector<std::string_view>& names) {
    std::string out;
    for (const auto n : names) {
        if (!out.empty()) out += " | ";
        out += n;
    }
    return out;
}

}  // namespace

const char* to_string(Rs485Outcome::Kind kind) {
    switch (kind) {
        case Rs485Outcome::Kind::answered:
            return "answered";
        case Rs485Outcome::Kind::broadcast:
            return "broadcast";
        case Rs485Outcome::Kind::not_for_us:
            return "not_for_us";
        case Rs485Outcome::Kind::malformed:
            return "malformed";
        case Rs485Outcome::Kind::silenced:
            return "silenced";
    }
    return "?";
}

std::vector<std::string_view> rs485_variants(Protocol protocol) {
    switch (protocol) {
        case Protocol::srne:
            return {"pylon", "pace-modbus"};
        case Protocol::voltronic:
            return {"pylon", "voltronic-485"};
        case Protocol::growatt_rs485:
            return {"l01"};
        default:
            return {};
    }
}

Result<std::unique_ptr<Rs485Responder>> make_rs485_responder(const InverterConfig& config) {
    if (config.link != Link::rs485) {
        return make_error(Errc::invalid, "inverter.link is not rs485: no RS485 responder");
    }
    const auto variants = rs485_variants(config.protocol);
    if (variants.empty()) {
        return make_error(
            Errc::invalid,
            "inverter.protocol is not an RS485 protocol (srne, voltronic, growatt_rs485)");
    }
    const std::string_view variant =
        config.variant.empty() ? variants.front() : std::string_view(config.variant);
    const auto slave = config.rs485.address.value_or(kModbusDefaultSlave);
    std::unique_ptr<Rs485Responder> r;
    if (variant == "pylon") {
        r = std::make_unique<PylonRs485Responder>(pylon_rs485_options(config));
    } else if (config.protocol == Protocol::srne && variant == "pace-modbus") {
        r = std::make_unique<PaceModbusResponder>(slave);
    } else if (config.protocol == Protocol::voltronic && variant == "voltronic-485") {
        r = std::make_unique<VoltronicRs485Responder>(slave, config.rs485.voltronic.length);
    } else if (config.protocol == Protocol::growatt_rs485 && variant == "l01") {
        r = std::make_unique<GrowattRs485Responder>(slave);
    } else {
        return make_error(Errc::invalid, "inverter.variant \"" + config.variant +
                                             "\" is not valid here; valid: " + join(variants));
    }
    return r;
}

}  // namespace packbridge::protocol
