// SPDX-License-Identifier: Apache-2.0
// The seed's DIP table: which protocol each link + DIP value selects, and the names users type.
#include <algorithm>
#include <array>
#include <cctype>
#include <stdexcept>
#include <string>

#include "inverter_codecs.hpp"
#include "packbridge/catalogue.hpp"

namespace packbridge::catalogue {
namespace {

namespace c = codecs;

// Each variant row: its config name and the builder of its output. The first is the default.
constexpr std::array<VariantInfo, 3> kPylonVariants{{
    {"pylon", c::pylon_can, nullptr},
    {"solark", c::pylon_solark, nullptr},
    {"goodwe", c::pylon_goodwe, nullptr},
}};
// DIP 16 alone defaults to "sma": the family is defined by the SMA Sunny Island document
// (inverter-can.md section 4); Victron and Sofar are selected by brand or by name.
constexpr std::array<VariantInfo, 4> kSmaVariants{{
    {"sma", c::sma_can, nullptr},
    {"victron", c::victron_can, nullptr},
    {"sofar", c::sofar_can, nullptr},
    {"goodwe", c::goodwe_sma_can, nullptr},  // the Goodwe/SMA V1.2 sheet (inverter-can.md 4.8)
}};
constexpr std::array<VariantInfo, 1> kGrowattCan{{{"", c::growatt_can, nullptr}}};
constexpr std::array<VariantInfo, 1> kLuxpower{{{"", c::lux_can, nullptr}}};
// inverter-rs485.md 0.1: default Pylon RS485 (inverter battery type PYL), or Voltronic-485 (LIb).
constexpr std::array<VariantInfo, 2> kVoltronicVariants{{
    {"pylon", nullptr, c::pylon_rs485},
    {"voltronic-485", nullptr, c::voltronic_485},
}};
// inverter-rs485.md 0.1/3: SRNE is unconfirmed: Pylon RS485 (H1) or PACE Modbus V1.3 (H2).
constexpr std::array<VariantInfo, 2> kSrneVariants{{
    {"pylon", nullptr, c::pylon_rs485},
    {"pace-modbus", nullptr, c::pace_modbus},
}};
constexpr std::array<VariantInfo, 1> kGrowattRs485{{{"", nullptr, c::growatt_rs485}}};

const std::array<ProtocolInfo, 7> kProtocols{{
    {Protocol::luxpower, Link::can, 0, "luxpower", "Luxpower", kLuxpower,
     "Luxpower V04 (Pylon dialect)"},
    {Protocol::pylon, Link::can, 32, "pylon", "Pylon, Deye", kPylonVariants, "Pylon LV V1.2"},
    {Protocol::sma_victron, Link::can, 16, "sma_victron", "Victron SMA,SOFAR", kSmaVariants,
     "SMA Sunny Island / Victron CAN-bus BMS family"},
    {Protocol::growatt_can, Link::can, 48, "growatt_can", "Growatt", kGrowattCan, "Growatt LV CAN"},
    {Protocol::srne, Link::rs485, 0, "srne", "SRNE", kSrneVariants,
     "unconfirmed: try variant pylon, then pace-modbus"},
    {Protocol::voltronic, Link::rs485, 32, "voltronic", "Voltronic", kVoltronicVariants,
     "Pylon RS485 (inverter type PYL) or Voltronic-485 (LIb)"},
    {Protocol::growatt_rs485, Link::rs485, 48, "growatt_rs485", "Growatt", kGrowattRs485,
     "Growatt BMS RS485 V2.02, Modbus RTU (inverter L01)"},
}};

const std::array<ProtocolName, 14> kNames{{
    {"luxpower", Protocol::luxpower, std::nullopt, ""},
    {"pylon", Protocol::pylon, std::nullopt, ""},
    {"deye", Protocol::pylon, std::nullopt, ""},
    {"victron", Protocol::sma_victron, std::nullopt, "victron"},
    {"sma", Protocol::sma_victron, std::nullopt, "sma"},
    {"sofar", Protocol::sma_victron, std::nullopt, "sofar"},
    {"growatt", Protocol::growatt_can, Protocol::growatt_rs485, ""},
    {"srne", std::nullopt, Protocol::srne, ""},
    {"voltronic", std::nullopt, Protocol::voltronic, ""},
    // The family keys, so a resolved config printed by check-config reads back.
    {"sma_victron", Protocol::sma_victron, std::nullopt, ""},
    {"growatt_can", Protocol::growatt_can, std::nullopt, ""},
    {"growatt_rs485", std::nullopt, Protocol::growatt_rs485, ""},
    {"solark", Protocol::pylon, std::nullopt, "solark"},
    {"goodwe", Protocol::pylon, std::nullopt, "goodwe"},
}};

std::string lower(std::string_view s) {
    std::string out(s);
    for (auto& c : out)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

}  // namespace

std::span<const ProtocolInfo> protocols() {
    return kProtocols;
}

const ProtocolInfo& info(Protocol p) {
    for (const auto& i : kProtocols)
        if (i.protocol == p) return i;
    throw std::logic_error("protocol missing from the catalogue");
}

std::string_view to_string(Link link) {
    return link == Link::can ? "can" : "rs485";
}

std::optional<Link> parse_link(std::string_view text) {
    const auto l = lower(text);
    if (l == "can") return Link::can;
    if (l == "rs485" || l == "485") return Link::rs485;
    return std::nullopt;
}

const ProtocolInfo* find_dip(Link link, unsigned dip) {
    for (const auto& i : kProtocols)
        if (i.link == link && i.dip == dip) return &i;
    return nullptr;
}

std::string dip_switches(unsigned dip) {
    std::string s = (dip & 16U) != 0 ? "ON" : "OFF";
    s += (dip & 32U) != 0 ? " ON" : " OFF";
    return s;
}

std::optional<unsigned> parse_dip_switches(std::string_view text) {
    std::vector<std::string> words;
    std::string cur;
    for (char c : text) {
        if (c == ' ' || c == '/' || c == ',' || c == '\t') {
            if (!cur.empty()) words.push_back(lower(cur));
            cur.clear();
        } else {
            cur += c;
        }
    }
    if (!cur.empty()) words.push_back(lower(cur));
    if (words.size() != 2) return std::nullopt;
    unsigned value = 0;
    for (std::size_t i = 0; i < 2; ++i) {
        if (words[i] == "on")
            value += i == 0 ? 16U : 32U;
        else if (words[i] != "off")
            return std::nullopt;
    }
    return value;
}

const ProtocolName* find_protocol_name(std::string_view text) {
    const auto l = lower(text);
    for (const auto& n : kNames)
        if (n.name == l) return &n;
    return nullptr;
}

std::span<const ProtocolName> protocol_names() {
    return kNames;
}

const VariantInfo* ProtocolInfo::variant(std::string_view name) const {
    if (variants.empty()) return nullptr;
    if (name.empty()) return &variants.front();
    for (const auto& v : variants)
        if (v.name == name) return &v;
    return nullptr;
}

std::string ProtocolInfo::variant_names() const {
    if (!has_variants()) return {};
    std::string out;
    for (const auto& v : variants)
        out += (out.empty() ? "\"" : ", \"") + std::string(v.name) + "\"";
    return out;
}

namespace {

// The table row and variant row for a config, or an error naming the valid choices.
Result<const VariantInfo*> variant_for(const InverterConfig& config) {
    const ProtocolInfo& p = info(config.protocol);
    if (p.link != config.link) {
        return make_error(Errc::invalid, "protocol " + std::string(p.key) + " is not on link " +
                                             std::string(to_string(config.link)));
    }
    const VariantInfo* v = p.variant(config.variant);
    if (v == nullptr) {
        return make_error(
            Errc::unsupported,
            "variant \"" + config.variant + "\" is not a variant of " + std::string(p.key) +
                (p.has_variants() ? " (valid: " + p.variant_names() + ")" : " (it has none)"));
    }
    return v;
}

}  // namespace

Result<protocol::CanCodec> make_can_codec(const InverterConfig& config) {
    auto v = variant_for(config);
    if (!v) return v.error();
    if ((*v)->can == nullptr) return make_error(Errc::invalid, "not a CAN protocol");
    return (*v)->can(config);
}

Result<std::unique_ptr<protocol::Rs485Responder>> make_rs485_responder(
    const InverterConfig& config) {
    auto v = variant_for(config);
    if (!v) return v.error();
    if ((*v)->rs485 == nullptr) {
        return make_error(Errc::invalid, "inverter.protocol is not an RS485 protocol");
    }
    return (*v)->rs485(config);
}

Result<void> inverter_supported(const InverterConfig& config) {
    auto v = variant_for(config);
    if (!v) return v.error();
    return {};
}

std::string choices_on(Link link) {
    std::string out;
    for (unsigned dip : {0U, 16U, 32U, 48U}) {
        const auto* i = find_dip(link, dip);
        if (i == nullptr) continue;
        if (!out.empty()) out += ", ";
        out += std::to_string(dip) + " = \"" + dip_switches(dip) + "\" = " + std::string(i->key);
    }
    return out;
}

}  // namespace packbridge::catalogue
