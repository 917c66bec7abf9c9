// SPDX-License-Identifier: Apache-2.0
// The seed's DIP table, row by row: addresses #1-#4 and protocol selection #5/#6 per link.
#include <catch2/catch.hpp>

#include "packbridge/catalogue.hpp"
#include "packbridge/config/load.hpp"

using namespace packbridge;
namespace cat = packbridge::catalogue;

TEST_CASE("address switches #1-#4 match every row of the seed's address table", "[catalogue]") {
    // Copied from the seed (address, #1 #2 #3 #4).
    const char* seed[16] = {"OFF OFF OFF OFF", "ON OFF OFF OFF", "OFF ON OFF OFF", "ON ON OFF OFF",
                            "OFF OFF ON OFF",  "ON OFF ON OFF",  "OFF ON ON OFF",  "ON ON ON OFF",
                            "OFF OFF OFF ON",  "ON OFF OFF ON",  "OFF ON OFF ON",  "ON ON OFF ON",
                            "OFF OFF ON ON",   "ON OFF ON ON",   "OFF ON ON ON",   "ON ON ON ON"};
    for (unsigned a = 0; a < 16; ++a) {
        INFO("address " << a);
        CHECK(cat::address_switches(a) == seed[a]);
    }
}

TEST_CASE("each DIP row of the seed resolves from its value and its #5/#6 switches",
          "[catalogue]") {
    struct Row {
        const char* link;
        int dip;
        const char* switches;  // #5 #6 as the seed prints them
        Protocol protocol;
    };
    const Row rows[] = {
        {"can", 0, "OFF OFF", Protocol::luxpower},
        {"can", 32, "OFF ON", Protocol::pylon},
        {"can", 16, "ON OFF", Protocol::sma_victron},
        {"can", 48, "ON ON", Protocol::growatt_can},
        {"rs485", 0, "OFF OFF", Protocol::srne},
        {"rs485", 32, "OFF ON", Protocol::voltronic},
        {"rs485", 48, "ON ON", Protocol::growatt_rs485},
    };
    for (const auto& r : rows) {
        INFO(r.link << " " << r.dip);
        const auto by_value = parse_config(std::string(R"({"inverter": {"link": ")") + r.link +
                                               R"(", "protocol": )" + std::to_string(r.dip) + "}}",
                                           "t");
        CHECK(by_value.inverter.protocol == r.protocol);
        const auto by_switches = parse_config(std::string(R"({"inverter": {"link": ")") + r.link +
                                                  R"(", "protocol": ")" + r.switches + "\"}}",
                                              "t");
        CHECK(by_switches.inverter.protocol == r.protocol);
        CHECK(cat::dip_switches(static_cast<unsigned>(r.dip)) == r.switches);
        CHECK(cat::info(r.protocol).dip == r.dip);
    }
    CHECK(cat::find_dip(Link::rs485, 16) == nullptr);  // the seed has no RS485 16
}

TEST_CASE("protocol names of the seed's DIP labels map to their rows", "[catalogue]") {
    struct Row {
        const char* name;
        const char* link;
        Protocol protocol;
    };
    const Row rows[] = {{"Luxpower", "can", Protocol::luxpower},
                        {"Pylon", "can", Protocol::pylon},
                        {"Deye", "can", Protocol::pylon},
                        {"Victron", "can", Protocol::sma_victron},
                        {"SMA", "can", Protocol::sma_victron},
                        {"SOFAR", "can", Protocol::sma_victron},
                        {"Growatt", "can", Protocol::growatt_can},
                        {"SRNE", "rs485", Protocol::srne},
                        {"Voltronic", "rs485", Protocol::voltronic},
                        {"Growatt", "rs485", Protocol::growatt_rs485}};
    for (const auto& r : rows) {
        INFO(r.name << " on " << r.link);
        const auto c = parse_config(std::string(R"({"inverter": {"link": ")") + r.link +
                                        R"(", "protocol": ")" + r.name + "\"}}",
                                    "t");
        CHECK(c.inverter.protocol == r.protocol);
    }
}

TEST_CASE("switch pairs parse in the common spellings and reject anything else", "[catalogue]") {
    CHECK(cat::parse_dip_switches("OFF ON") == 32U);
    CHECK(cat::parse_dip_switches("on/off") == 16U);
    CHECK(cat::parse_dip_switches("ON,ON") == 48U);
    CHECK(cat::parse_dip_switches("  off   off ") == 0U);
    CHECK_FALSE(cat::parse_dip_switches("ON").has_value());
    CHECK_FALSE(cat::parse_dip_switches("ON OFF ON").has_value());
    CHECK_FALSE(cat::parse_dip_switches("UP DOWN").has_value());
}
