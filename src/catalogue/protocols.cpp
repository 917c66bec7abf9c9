// SPDX-License-Identifier: Apache-2.0
// The seed's DIP table: which protocol each link + DIP value selects, and the names users type.
#include <algorithm>
#include <array>
#include <cctype>
#include <stdexcept>

#include "packbridge/catalogue.hpp"

namespace packbridge::catalogue {
namespace {

constexpr std::array<std::string_view, 3> kPylonVariants{"pylon", "solark", "goodwe"};
// DIP 16 alone defaults to "sma": the family is defined by the SMA Sunny Island document
// (inverter-can.md section 4); Victron and Sofar are selected by brand or by name.
constexpr std::array<std::string_view, 3> kSmaVariants{"sma", "victron", "sofar"};
// inverter-rs485.md 0.1: default Pylon RS485 (inverter battery type PYL), or Voltronic-485 (LIb).
constexpr std::array<std::string_view, 2> kVoltronicVariants{"pylon", "voltronic-485"};
// inverter-rs485.md 0.1/3: SRNE is unconfirmed: Pylon RS485 (H1) or PACE Modbus V1.3 (H2).
constexpr std::array<std::string_view, 2> kSrneVariants{"pylon", "pace-modbus"};

const std::array<ProtocolInfo, 7> kProtocols{{
    {Protocol::luxpower, Link::can, 0, "luxpower", "Luxpower", {}, "Luxpower V04 (Pylon dialect)"},
    {Protocol::pylon, Link::can, 32, "pylon", "Pylon, Deye", kPylonVariants, "Pylon LV V1.2"},
    {Protocol::sma_victron, Link::can, 16, "sma_victron", "Victron SMA,SOFAR", kSmaVariants,
     "SMA Sunny Island / Victron CAN-bus BMS family"},
    {Protocol::growatt_can, Link::can, 48, "growatt_can", "Growatt", {}, "Growatt LV CAN"},
    {Protocol::srne, Link::rs485, 0, "srne", "SRNE", kSrneVariants,
     "unconfirmed: try variant pylon, then pace-modbus"},
    {Protocol::voltronic, Link::rs485, 32, "voltronic", "Voltronic", kVoltronicVariants,
     "Pylon RS485 (inverter type PYL) or Voltronic-485 (LIb)"},
    {Protocol::growatt_rs485,
     Link::rs485,
     48,
     "growatt_rs485",
     "Growatt",
     {},
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
