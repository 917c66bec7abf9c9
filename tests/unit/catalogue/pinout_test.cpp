// SPDX-License-Identifier: Apache-2.0
// The pack's RJ45 pinouts and the cables computed from them.
#include <catch2/catch.hpp>

#include "packbridge/catalogue.hpp"

using namespace packbridge;
namespace cat = packbridge::catalogue;
using S = cat::Signal;

TEST_CASE("the pack's RS485 port maps the seed's pins 9-16 onto 1-8", "[catalogue]") {
    // Seed: 9,16 = B; 10,15 = A; 11,14 = GND; 12,13 = NC. Pin n+8 -> n (and, symmetric, 17-(n+8)).
    const std::array<S, 8> expected{S::rs485_b, S::rs485_a, S::gnd,     S::nc,
                                    S::nc,      S::gnd,     S::rs485_a, S::rs485_b};
    CHECK(cat::bms_rs485_port().pins == expected);
    CHECK(cat::parallel_port_a().pins == expected);
    CHECK(cat::parallel_port_b().pins ==
          expected);  // printed by the seed as 1/8 B, 2/7 A, 3/6 GND, 4/5 NC
}

TEST_CASE("the pack's CAN port is 4 CANH, 5 CANL, 3/6 GND", "[catalogue]") {
    const std::array<S, 8> expected{S::nc, S::nc, S::gnd, S::can_h, S::can_l, S::gnd, S::nc, S::nc};
    CHECK(cat::bms_can_port().pins == expected);
}

TEST_CASE("custom cables connect the pack's signal pins to the inverter's", "[catalogue]") {
    struct Row {
        const char* brand;
        std::vector<std::pair<int, int>> wires;  // BMS pin -> inverter pin
        std::vector<int> cut;
    };
    const Row rows[] = {
        {"victron", {{4, 7}, {5, 8}}, {}},
        {"luxpower", {{4, 4}, {5, 3}}, {3}},  // inverter 3 = CANL, pack 3 = GND
        {"sofar", {{4, 1}, {5, 2}}, {}},
        {"voltronic", {{1, 3}, {2, 5}}, {3}},  // the seed's example: BMS 1B, 2A -> inverter 3B, 5A
        {"srne", {{1, 8}, {2, 7}}, {}},
        {"growatt-spf-485", {{1, 1}, {2, 2}}, {}},
    };
    for (const auto& r : rows) {
        INFO(r.brand);
        const auto cable = cat::cable_for(*cat::find_brand(r.brand));
        REQUIRE(cable.wires.size() == r.wires.size());
        for (std::size_t i = 0; i < r.wires.size(); ++i) {
            CHECK(cable.wires[i].bms_pin == r.wires[i].first);
            CHECK(cable.wires[i].inverter_pin == r.wires[i].second);
        }
        CHECK(std::vector<int>(cable.bms_pins_to_cut.begin(), cable.bms_pins_to_cut.end()) ==
              r.cut);
    }
}
