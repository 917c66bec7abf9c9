// SPDX-License-Identifier: Apache-2.0
#include "cli/wiring_text.hpp"

#include <iomanip>
#include <string>

namespace packbridge::cli {
namespace {

namespace cat = packbridge::catalogue;

std::string pad(std::string_view s, std::size_t width) {
    std::string out(s);
    if (out.size() < width) out.append(width - out.size(), ' ');
    return out;
}

void print_jack(std::ostream& out, const cat::Jack& jack) {
    out << "  " << jack.name << "\n";
    for (std::size_t i = 0; i < jack.pins.size(); ++i)
        out << "    pin " << (i + 1) << "  " << cat::to_string(jack.pins[i]) << "\n";
    if (!jack.seed_numbering.empty()) out << "    (" << jack.seed_numbering << ")\n";
}

std::string_view confidence(cat::Confidence c) {
    switch (c) {
        case cat::Confidence::high:
            return "high";
        case cat::Confidence::medium:
            return "medium";
        case cat::Confidence::low:
            return "low";
    }
    return "?";
}

std::string protocol_text(Protocol p) {
    const auto& i = cat::info(p);
    return std::string(cat::to_string(i.link)) + " DIP " + std::to_string(i.dip) + " (" +
           std::string(i.key) + ")";
}

std::string pins_text(const cat::BrandInfo& b) {
    if (b.link == Link::can)
        return std::to_string(b.pin_high) + "H, " + std::to_string(b.pin_low) + "L";
    return std::to_string(b.pin_high) + "B, " + std::to_string(b.pin_low) + "A";
}

}  // namespace

void print_pinouts(std::ostream& out) {
    out << "BMS ports (8P8C RJ45, pin 1 = leftmost with the clip down)\n";
    print_jack(out, cat::bms_rs485_port());
    print_jack(out, cat::bms_can_port());
    out << "Parallel ports (pack to pack only)\n";
    print_jack(out, cat::parallel_port_a());
    print_jack(out, cat::parallel_port_b());
    out << "  packbridge's pack-bus adapter goes on a free parallel port: A -> pin 2, B -> pin 1,\n"
           "  GND -> pin 3 (swap A/B if no pack answers: adapters disagree on the labels).\n";
}

void print_protocol_table(std::ostream& out) {
    out << "Protocol selection on the host pack (address 0): switches #5 (value 16) and #6 (value "
           "32)\n";
    out << "  link   DIP  #5   #6   protocol       BMS manual label\n";
    for (const auto& p : cat::protocols()) {
        const auto sw = cat::dip_switches(p.dip);
        const auto space = sw.find(' ');
        out << "  " << pad(cat::to_string(p.link), 7) << pad(std::to_string(p.dip), 5)
            << pad(sw.substr(0, space), 5) << pad(sw.substr(space + 1), 5) << pad(p.key, 15)
            << p.seed_label << "\n";
    }
}

void print_address_table(std::ostream& out) {
    out << "Pack addresses: switches #1-#4 (binary, #1 = 1); #5/#6 OFF on every slave\n";
    out << "  addr  #1   #2   #3   #4   role\n";
    for (unsigned a = 0; a < 16; ++a) {
        const auto sw = cat::address_switches(a);
        out << "  " << pad(std::to_string(a), 6);
        std::size_t start = 0;
        for (int i = 0; i < 4; ++i) {
            const auto end = sw.find(' ', start);
            out << pad(sw.substr(start, end - start), 5);
            start = end == std::string::npos ? sw.size() : end + 1;
        }
        out << (a == 0 ? "host (Pack0)" : "slave (Pack" + std::to_string(a) + ")") << "\n";
    }
}

void print_brand_table(std::ostream& out) {
    out << "Inverter brands (the brand list; protocol per brand from the protocol specs, with "
           "confidence)\n";
    out << "  " << pad("brand", 19) << pad("config name", 16) << pad("link", 6)
        << pad("inverter pins", 14) << pad("cable", 10) << pad("protocol", 30) << "confidence\n";
    for (const auto& b : cat::brands()) {
        out << "  " << pad(b.display, 19) << pad(b.key, 16) << pad(cat::to_string(b.link), 6)
            << pad(pins_text(b), 14) << pad(b.standard_cable ? "straight" : "custom", 10)
            << pad(protocol_text(b.allowed.front().protocol), 30) << confidence(b.confidence)
            << "\n";
    }
}

void print_manual_notes(std::ostream& out) {
    out << "Notes on the BMS manual\n"
           "  * The BMS manual numbers the pack's RS485 port 9-16 (a stacked double jack flattened "
           "into "
           "one table).\n"
           "    Its pairs are symmetric, so either way round the 8-pin jack is 1/8 = B, 2/7 = A, "
           "3/6 = GND,\n"
           "    4/5 = NC, the same as parallel port RS485-B and the worked example \"BMS followed "
           "by 1B, 2A\".\n"
           "  * The brand table's pins are the inverter's (column \"Inverter interface "
           "definition\"; worked\n"
           "    example \"Inverter to 3B, 5A\" for Voltronic).\n"
           "  * The brand list's DIP column is empty in the BMS manual; the protocol per brand "
           "comes from the protocol specs.\n";
}

void print_cable(std::ostream& out, const cat::BrandInfo& b) {
    const auto cable = cat::cable_for(b);
    const bool can = b.link == Link::can;
    const auto& jack = can ? cat::bms_can_port() : cat::bms_rs485_port();
    out << "Inverter port (" << (can ? "CAN" : "RS485") << "): pin " << +b.pin_high << " "
        << (can ? "CANH" : "RS485-B") << ", pin " << +b.pin_low << " " << (can ? "CANL" : "RS485-A")
        << "\n";
    if (cable.straight_works) {
        out << "Cable: standard (straight) network cable from the pack's "
            << (can ? "CAN" : "RS485") << " port\n";
    } else {
        out << "Cable: custom network cable, pack " << (can ? "CAN" : "RS485")
            << " port to inverter:\n";
    }
    for (const auto& w : cable.wires)
        out << "  BMS pin " << +w.bms_pin << " (" << cat::to_string(w.signal)
            << ") -> inverter pin " << +w.inverter_pin << "\n";
    if (!cable.straight_works) {
        out << "  every other pin: leave unconnected";
        if (!cable.bms_pins_to_cut.empty()) {
            out << " (above all BMS pin";
            for (auto p : cable.bms_pins_to_cut)
                out << " " << +p;
            out << ": it is GND on the pack but a signal on the inverter)";
        }
        out << "\n";
        out << "  BMS GND (pins 3/6): the BMS manual names no inverter GND pin; connect it only "
               "where "
               "the inverter's\n"
               "  manual gives one\n";
        const auto high = can ? cat::Signal::can_h : cat::Signal::rs485_b;
        const auto low = can ? cat::Signal::can_l : cat::Signal::rs485_a;
        if (jack.pins[b.pin_high - 1U] == high && jack.pins[b.pin_low - 1U] == low) {
            out << "  ambiguity: by the BMS manual's pinout the pack also carries "
                << cat::to_string(high) << " on pin " << +b.pin_high << " and "
                << cat::to_string(low) << " on pin " << +b.pin_low
                << ",\n  so a straight cable might work too; the manual still says custom, and the "
                   "custom cable above"
                   " is the safe choice.\n";
        }
    }
}

void print_packbridge_cabling(std::ostream& out, const cat::BrandInfo& b) {
    const bool can = b.link == Link::can;
    out << "packbridge's own cabling (the Pi sits between the packs and the inverter):\n"
           "  1. Pack bus: USB-RS485 adapter (bus.device) -> a free parallel port of any pack "
           "(RJ45):\n"
           "     A -> pin 2, B -> pin 1, GND -> pin 3 (swap A/B if no pack answers: adapters "
           "disagree\n"
           "     on the labels)\n";
    if (can) {
        out << "  2. Inverter: USB-CAN or CAN HAT (inverter.can.interface) -> inverter port: "
               "CANH -> pin "
            << +b.pin_high << ", CANL -> pin " << +b.pin_low
            << ",\n     120 ohm termination at both ends of the CAN cable\n";
    } else {
        out << "  2. Inverter: a second USB-RS485 adapter (inverter.rs485.device) -> inverter "
               "port: B -> pin "
            << +b.pin_high << ", A -> pin " << +b.pin_low
            << "\n     (swap A/B if nothing answers)\n";
    }
    out << "  The pack's own " << (can ? "CAN" : "RS485")
        << " port then stays unconnected: packbridge takes its place.\n";
}

void print_host_dip(std::ostream& out, Protocol protocol) {
    const auto& p = cat::info(protocol);
    const auto sw = cat::dip_switches(p.dip);
    const auto space = sw.find(' ');
    out << "Host pack (address 0): #1-#4 " << cat::address_switches(0) << ", #5 "
        << sw.substr(0, space) << ", #6 " << sw.substr(space + 1) << " (" << cat::to_string(p.link)
        << " DIP " << +p.dip << " = " << p.key << ")\n";
}

void print_brand(std::ostream& out, const cat::BrandInfo& b) {
    const auto& first = b.allowed.front();
    const auto& p = cat::info(first.protocol);
    out << b.display << ": " << cat::to_string(b.link) << ", protocol DIP " << +p.dip << " = \""
        << cat::dip_switches(p.dip) << "\" = " << p.key;
    if (!first.variant.empty()) out << " (variant " << first.variant << ")";
    out << ", confidence " << confidence(b.confidence) << "\n";
    out << "Config: \"inverter\": {\"brand\": \"" << b.key << "\"}\n";
    out << "Inverter setting: " << first.inverter_setting << "\n";
    for (std::size_t i = 1; i < b.allowed.size(); ++i) {
        const auto& alt = cat::info(b.allowed[i].protocol);
        out << "Also accepted: DIP " << +alt.dip << " = " << alt.key
            << " (inverter: " << b.allowed[i].inverter_setting << ")\n";
    }
    if (!b.note.empty()) out << "Note: " << b.note << "\n";
    out << "\n";
    print_packbridge_cabling(out, b);
    out << "\nWithout packbridge (the host pack straight to the inverter), for reference:\n";
    print_cable(out, b);
    out << "\n";
    print_host_dip(out, first.protocol);
    out << "Slave packs 1-15: #1-#4 from the address table below, #5 OFF, #6 OFF\n\n";
    print_address_table(out);
}

}  // namespace packbridge::cli
