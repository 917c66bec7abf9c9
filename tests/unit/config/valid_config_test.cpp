// SPDX-License-Identifier: Apache-2.0
// Valid configs: defaults, the accepted forms of each field, and the printed form reading back.
#include <catch2/catch.hpp>

#include "packbridge/config/dump.hpp"
#include "packbridge/config/load.hpp"

using namespace packbridge;

TEST_CASE("an empty object gives the defaults of config.hpp", "[config]") {
    const auto c = parse_config("{}", "t");
    Config d;
    d.inverter.variant =
        "pylon";  // "" in config.hpp means "the protocol's default"; the loader names it
    d.mqtt.topic_prefix = c.mqtt.topic_prefix;  // "packbridge/<hostname>", from the loader
    CHECK(config_to_json(c) == config_to_json(d));
    CHECK(c.inverter.link == Link::can);
    CHECK(c.inverter.protocol == Protocol::pylon);
    CHECK(c.inverter.variant == "pylon");
    CHECK(c.bus.auto_addresses);
}

TEST_CASE("addresses accept a list, a range string and auto", "[config]") {
    auto c = parse_config(R"({"bus": {"addresses": [3, 1, 2]}})", "t");
    CHECK_FALSE(c.bus.auto_addresses);
    CHECK(c.bus.addresses == std::vector<std::uint8_t>{1, 2, 3});
    c = parse_config(R"({"bus": {"addresses": "0-3,8"}})", "t");
    CHECK(c.bus.addresses == std::vector<std::uint8_t>{0, 1, 2, 3, 8});
    c = parse_config(R"({"bus": {"addresses": "0-15"}})", "t");
    CHECK(c.bus.addresses.size() == 16);
    CHECK(c.bus.addresses.back() == 15);
    c = parse_config(R"({"bus": {"addresses": " 4 , 6-7 "}})", "t");
    CHECK(c.bus.addresses == std::vector<std::uint8_t>{4, 6, 7});
    c = parse_config(R"({"bus": {"addresses": "auto"}})", "t");
    CHECK(c.bus.auto_addresses);
    CHECK(c.bus.addresses.empty());
}

TEST_CASE("the Seplos dialect selects VER 0x20 unless ver is given", "[config]") {
    CHECK(parse_config(R"({"bus": {"dialect": "seplos"}})", "t").bus.ver == 0x20);
    CHECK(parse_config(R"({"bus": {"dialect": "seplos", "ver": "0x21"}})", "t").bus.ver == 0x21);
    CHECK(parse_config(R"({"bus": {"ver": 37}})", "t").bus.ver == 0x25);
}

TEST_CASE("the adaptive polling settings are read from the bus section", "[config]") {
    const auto c = parse_config(
        R"({"bus": {"near_limit_poll_ms": 0, "near_limit_margin_mv": 80, "near_limit_current_pct": 0}})",
        "t");
    CHECK(c.bus.near_limit_poll_ms == 0);
    CHECK(c.bus.near_limit_margin_mv == 80);
    CHECK(c.bus.near_limit_current_pct == 0);
}

TEST_CASE("every way of writing the protocol gives the same DIP entry", "[config]") {
    for (const char* p :
         {"32", "\"32\"", "\"OFF ON\"", "\"off/on\"", "\"pylon\"", "\"Deye\"", "\"PYLON\""}) {
        INFO(p);
        const auto c = parse_config(
            std::string(R"({"inverter": {"link": "can", "protocol": )") + p + "}}", "t");
        CHECK(c.inverter.link == Link::can);
        CHECK(c.inverter.protocol == Protocol::pylon);
    }
    for (const char* p : {"48", "\"ON ON\"", "\"growatt\"", "\"Growatt\""}) {
        INFO(p);
        const auto c = parse_config(
            std::string(R"({"inverter": {"link": "rs485", "protocol": )") + p + "}}", "t");
        CHECK(c.inverter.protocol == Protocol::growatt_rs485);
    }
}

TEST_CASE("a protocol name that exists on one link only implies that link", "[config]") {
    auto c = parse_config(R"({"inverter": {"protocol": "voltronic"}})", "t");
    CHECK(c.inverter.link == Link::rs485);
    CHECK(c.inverter.protocol == Protocol::voltronic);
    CHECK(c.inverter.variant == "pylon");
    c = parse_config(R"({"inverter": {"protocol": "victron"}})", "t");
    CHECK(c.inverter.link == Link::can);
    CHECK(c.inverter.variant == "victron");
    c = parse_config(R"({"inverter": {"protocol": 16}})", "t");
    CHECK(c.inverter.variant == "sma");  // DIP 16 alone: the SMA base set (documented default)
}

TEST_CASE("variants are accepted where the protocol has them", "[config]") {
    CHECK(
        parse_config(R"({"inverter": {"protocol": "voltronic", "variant": "voltronic-485"}})", "t")
            .inverter.variant == "voltronic-485");
    CHECK(parse_config(R"({"inverter": {"brand": "srne", "variant": "pace-modbus"}})", "t")
              .inverter.variant == "pace-modbus");
    CHECK(parse_config(R"({"inverter": {"protocol": 32, "variant": "solark"}})", "t")
              .inverter.variant == "solark");
    CHECK(parse_config(R"({"inverter": {"protocol": "luxpower"}})", "t").inverter.variant.empty());
}

TEST_CASE("origins tell given, derived and defaulted values apart", "[config]") {
    ConfigOrigins o;
    (void)parse_config(R"({"inverter": {"brand": "Victron"}, "bus": {"baud": 9600}})", "t", &o);
    CHECK(o.given.count("/inverter/brand") == 1);
    CHECK(o.given.count("/bus/baud") == 1);
    CHECK(o.given.count("/bus/device") == 0);
    CHECK(o.derived.at("/inverter/link") == "from /inverter/brand \"victron\"");
    CHECK(o.derived.at("/inverter/protocol") == "from /inverter/brand \"victron\"");
    CHECK(o.derived.at("/inverter/variant") == "from /inverter/brand \"victron\"");
}

TEST_CASE("the printed resolved config loads back to the same config", "[config]") {
    for (
        const char* text :
        {"{}",
         R"({"inverter": {"brand": "sofar"}, "bus": {"addresses": "0-3", "dialect": "seplos"}})",
         R"({"inverter": {"brand": "growatt-spf", "link": "rs485", "rs485": {"address": 1}}})",
         R"({"battery": {"max_charge_current_a": 150, "charge_temperature": [{"temp_c": 2, "factor": 1}]}})",
         R"({"inverter": {"brand": "goodwe", "name": "GoodWe"}, "log": {"level": "debug"}})"}) {
        INFO(text);
        const auto first = parse_config(text, "t");
        const auto printed = config_to_json(first).dump();
        const auto second = parse_config(printed, "printed");
        CHECK(config_to_json(second) == config_to_json(first));
    }
}

TEST_CASE("turnaround_ms is unset by default, takes 0 to 50 ms, and null means the default",
          "[config]") {
    CHECK_FALSE(parse_config("{}", "t").inverter.rs485.turnaround_ms);
    CHECK(parse_config(R"({"inverter": {"rs485": {"turnaround_ms": 12.5}}})", "t")
              .inverter.rs485.turnaround_ms == 12.5);
    CHECK(parse_config(R"({"inverter": {"rs485": {"turnaround_ms": 0}}})", "t")
              .inverter.rs485.turnaround_ms == 0.0);
    CHECK_FALSE(parse_config(R"({"inverter": {"rs485": {"turnaround_ms": null}}})", "t")
                    .inverter.rs485.turnaround_ms);
}
