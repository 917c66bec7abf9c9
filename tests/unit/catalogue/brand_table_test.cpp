// SPDX-License-Identifier: Apache-2.0
// Every brand row of the seed resolves to a link, protocol, variant, inverter pins and cable.
#include <catch2/catch.hpp>

#include "packbridge/catalogue.hpp"
#include "packbridge/config/load.hpp"

using namespace packbridge;
namespace cat = packbridge::catalogue;

namespace {

struct Row {
    const char* seed_name;  // as the seed writes it (plus the link for Growatt-SPF)
    Link link;
    Protocol protocol;
    const char* variant;
    int pin_high;  // CANH or B
    int pin_low;   // CANL or A
    bool standard_cable;
};

// The seed's table; protocols from DESIGN.md section 4.
const Row kRows[] = {
    {"Growatt-SPF CAN", Link::can, Protocol::growatt_can, "", 4, 5, true},
    {"Growatt-SPF 485", Link::rs485, Protocol::growatt_rs485, "", 1, 2, true},
    {"Growatt-SPH", Link::can, Protocol::growatt_can, "", 4, 5, true},
    {"Goodwe", Link::can, Protocol::pylon, "goodwe", 4, 5, true},
    {"Solis", Link::can, Protocol::pylon, "pylon", 4, 5, true},
    {"Sofar", Link::can, Protocol::sma_victron, "sofar", 1, 2, false},
    {"SMA", Link::can, Protocol::sma_victron, "sma", 4, 5, true},
    {"Victron", Link::can, Protocol::sma_victron, "victron", 7, 8, false},
    {"Luxpower", Link::can, Protocol::luxpower, "", 4, 3, false},
    {"Deye", Link::can, Protocol::pylon, "pylon", 4, 5, true},
    {"Sorotec", Link::can, Protocol::pylon, "pylon", 4, 5, true},
    {"Megarevo", Link::can, Protocol::pylon, "pylon", 4, 5, true},
    {"Voltronic", Link::rs485, Protocol::voltronic, "pylon", 3, 5, false},
    {"SRNE", Link::rs485, Protocol::srne, "pylon", 8, 7, false},
    {"senergy", Link::can, Protocol::pylon, "pylon", 4, 5, true},
    {"Sol-Ark", Link::can, Protocol::pylon, "solark", 4, 5, true},
    {"MPP Sola", Link::rs485, Protocol::voltronic, "pylon", 3, 5, false},
    {"Sacolar", Link::can, Protocol::pylon, "pylon", 4, 5, true},
    {"TRONTE", Link::rs485, Protocol::voltronic, "pylon", 3, 5, false},
};

}  // namespace

TEST_CASE("every brand row of the seed resolves link, protocol and variant from the brand alone",
          "[catalogue]") {
    CHECK(cat::brands().size() == std::size(kRows));
    for (const auto& r : kRows) {
        INFO(r.seed_name);
        const auto c =
            parse_config(std::string(R"({"inverter": {"brand": ")") + r.seed_name + "\"}}", "t");
        CHECK(c.inverter.link == r.link);
        CHECK(c.inverter.protocol == r.protocol);
        CHECK(c.inverter.variant == r.variant);
        REQUIRE(c.inverter.brand.has_value());
        const auto* b = cat::find_brand(*c.inverter.brand);
        REQUIRE(b != nullptr);
        CHECK(b->pin_high == r.pin_high);
        CHECK(b->pin_low == r.pin_low);
        CHECK(b->standard_cable == r.standard_cable);
        // The seed's "standard cable OK" column agrees with the pinout arithmetic.
        CHECK(cat::cable_for(*b).straight_works == r.standard_cable);
    }
}

TEST_CASE("brand names match case-insensitively and through aliases", "[catalogue]") {
    CHECK(cat::find_brand("MPP Solar")->key == "mpp-sola");
    CHECK(cat::find_brand("mpp sola")->key == "mpp-sola");
    CHECK(cat::find_brand("Senergy")->key == "senergy");
    CHECK(cat::find_brand("SOLARK")->key == "sol-ark");
    CHECK(cat::find_brand("sol ark")->key == "sol-ark");
    CHECK(cat::find_brand("Growatt SPF 485")->key == "growatt-spf-485");
    CHECK(cat::find_brand("growatt-spf-can")->key == "growatt-spf-can");
    CHECK(cat::find_brand("tronte")->key == "tronte");
    CHECK(cat::find_brand("nope") == nullptr);
    CHECK(cat::find_brand("") == nullptr);
}

TEST_CASE("Growatt SPF needs the link to choose between its CAN and RS485 rows", "[catalogue]") {
    auto c = parse_config(R"({"inverter": {"brand": "Growatt SPF", "link": "rs485"}})", "t");
    CHECK(c.inverter.protocol == Protocol::growatt_rs485);
    CHECK(*c.inverter.brand == "growatt-spf-485");
    c = parse_config(R"({"inverter": {"brand": "growatt-spf", "link": "can"}})", "t");
    CHECK(c.inverter.protocol == Protocol::growatt_can);
    // L52 on the SPF = Pylon: the brand allows it explicitly.
    c = parse_config(R"({"inverter": {"brand": "growatt-spf-can", "protocol": 32}})", "t");
    CHECK(c.inverter.protocol == Protocol::pylon);
}

TEST_CASE("brands with a second documented protocol accept it and nothing else", "[catalogue]") {
    CHECK(parse_config(R"({"inverter": {"brand": "sofar", "protocol": "pylon"}})", "t")
              .inverter.variant == "pylon");
    CHECK(parse_config(R"({"inverter": {"brand": "luxpower", "protocol": 32}})", "t")
              .inverter.protocol == Protocol::pylon);
    CHECK(
        parse_config(R"({"inverter": {"brand": "solis", "protocol": 16}})", "t").inverter.variant ==
        "sma");
    CHECK_THROWS_AS(parse_config(R"({"inverter": {"brand": "deye", "protocol": 16}})", "t"),
                    ConfigError);
}

TEST_CASE("the closest brand names are suggested for a typo", "[catalogue]") {
    CHECK(cat::closest_brands("Victorn").front() == "victron");
    CHECK(cat::closest_brands("luxpowr").front() == "luxpower");
    CHECK(cat::closest_brands("tronti").front() == "tronte");
    CHECK(cat::closest_brands("Soalrk").front() == "sol-ark");
    CHECK(cat::edit_distance("kitten", "sitting") == 3);
    CHECK(cat::edit_distance("", "abc") == 3);
}

TEST_CASE("brands_for lists the brands a protocol covers", "[catalogue]") {
    std::vector<std::string_view> keys;
    for (const auto* b : cat::brands_for(Protocol::sma_victron))
        keys.push_back(b->key);
    CHECK(keys == std::vector<std::string_view>{"sofar", "sma", "victron"});
    keys.clear();
    for (const auto* b : cat::brands_for(Protocol::voltronic))
        keys.push_back(b->key);
    CHECK(keys == std::vector<std::string_view>{"voltronic", "mpp-sola", "tronte"});
}
