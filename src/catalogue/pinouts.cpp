// SPDX-License-Identifier: Apache-2.0
// The pack's RJ45 pinouts from the seed, and the cable from the host pack to an inverter.
//
// The seed numbers the pack's RS485 port (and parallel port A) 9..16: the two RJ45s of a
// stacked double jack flattened into one table. Its pairs are symmetric (9/16 = B, 10/15 = A,
// 11/14 = GND, 12/13 = NC), so whether 9 is pin 1 or pin 8 of the jack, the 8-pin port is
// 1/8 = B, 2/7 = A, 3/6 = GND, 4/5 = NC. That is exactly parallel port B as the seed prints it,
// and it agrees with the seed's worked example ("BMS followed by 1B, 2A").
#include <algorithm>
#include <array>

#include "packbridge/catalogue.hpp"

namespace packbridge::catalogue {
namespace {

using S = Signal;

const Jack kRs485{
    "BMS RS485 port (inverter / host computer)",
    {S::rs485_b, S::rs485_a, S::gnd, S::nc, S::nc, S::gnd, S::rs485_a, S::rs485_b},
    "the BMS manual numbers this jack 9-16 (9/16 = B, 10/15 = A, 11/14 = GND, 12/13 = NC)"};
const Jack kCan{"BMS CAN port (inverter only)",
                {S::nc, S::nc, S::gnd, S::can_h, S::can_l, S::gnd, S::nc, S::nc},
                ""};
const Jack kParallelA{
    "Parallel port RS485-A",
    {S::rs485_b, S::rs485_a, S::gnd, S::nc, S::nc, S::gnd, S::rs485_a, S::rs485_b},
    "the BMS manual numbers this jack 9-16 (9/16 = B, 10/15 = A, 11/14 = GND, 12/13 = NC)"};
const Jack kParallelB{
    "Parallel port RS485-B",
    {S::rs485_b, S::rs485_a, S::gnd, S::nc, S::nc, S::gnd, S::rs485_a, S::rs485_b},
    ""};

std::uint8_t first_pin(const Jack& jack, Signal s) {
    for (std::size_t i = 0; i < jack.pins.size(); ++i)
        if (jack.pins[i] == s) return static_cast<std::uint8_t>(i + 1);
    return 0;
}

}  // namespace

std::string_view to_string(Signal s) {
    switch (s) {
        case Signal::nc:
            return "NC";
        case Signal::can_h:
            return "CANH";
        case Signal::can_l:
            return "CANL";
        case Signal::rs485_a:
            return "RS485-A";
        case Signal::rs485_b:
            return "RS485-B";
        case Signal::gnd:
            return "GND";
    }
    return "?";
}

const Jack& bms_rs485_port() {
    return kRs485;
}
const Jack& bms_can_port() {
    return kCan;
}
const Jack& parallel_port_a() {
    return kParallelA;
}
const Jack& parallel_port_b() {
    return kParallelB;
}

Cable cable_for(const BrandInfo& brand) {
    const bool can = brand.link == Link::can;
    const Jack& jack = can ? kCan : kRs485;
    const Signal high = can ? Signal::can_h : Signal::rs485_b;
    const Signal low = can ? Signal::can_l : Signal::rs485_a;
    Cable cable;
    cable.wires.push_back({first_pin(jack, high), brand.pin_high, high});
    cable.wires.push_back({first_pin(jack, low), brand.pin_low, low});
    // RS485 lists B first (the seed writes "1B, 2A"); keep the wires in BMS pin order.
    std::sort(cable.wires.begin(), cable.wires.end(),
              [](const Wire& a, const Wire& b) { return a.bms_pin < b.bms_pin; });
    cable.straight_works = std::all_of(cable.wires.begin(), cable.wires.end(),
                                       [](const Wire& w) { return w.bms_pin == w.inverter_pin; });
    // A straight cable would join the pack's GND to an inverter signal pin of the same number.
    for (std::size_t i = 0; i < jack.pins.size(); ++i) {
        const auto pin = static_cast<std::uint8_t>(i + 1);
        if (jack.pins[i] == Signal::gnd && (pin == brand.pin_high || pin == brand.pin_low))
            cable.bms_pins_to_cut.push_back(pin);
    }
    return cable;
}

std::string address_switches(unsigned address) {
    std::string out;
    for (unsigned bit = 0; bit < 4; ++bit) {
        if (bit != 0) out += ' ';
        out += ((address >> bit) & 1U) != 0 ? "ON" : "OFF";
    }
    return out;
}

}  // namespace packbridge::catalogue
