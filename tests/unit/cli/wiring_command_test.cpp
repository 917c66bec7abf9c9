// SPDX-License-Identifier: Apache-2.0
// `packbridge wiring`: pin-by-pin cables for the brands that need a custom one.
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>

#include "cli_run.hpp"
#include "packbridge/catalogue.hpp"

using Catch::Contains;
using cli_test::call;

TEST_CASE("wiring Victron gives the custom CAN cable 4 -> 7, 5 -> 8 and DIP 16", "[cli]") {
    const auto r = call({"wiring", "Victron"});
    REQUIRE(r.code == 0);
    CHECK_THAT(r.out, Contains("Inverter port (CAN): pin 7 CANH, pin 8 CANL"));
    CHECK_THAT(r.out, Contains("Cable: custom network cable"));
    CHECK_THAT(
        r.out,
        Contains("  BMS pin 4 (CANH) -> inverter pin 7\n  BMS pin 5 (CANL) -> inverter pin 8\n"));
    CHECK_THAT(r.out, Contains("BMS GND (pins 3/6): the BMS manual names no inverter GND pin"));
    CHECK_THAT(r.out, Contains("Host pack (address 0): #1-#4 OFF OFF OFF OFF, #5 ON, #6 OFF (can "
                               "DIP 16 = sma_victron)"));
    CHECK_THAT(r.out, Contains("  15    ON   ON   ON   ON   slave (Pack15)"));
}

TEST_CASE("wiring Luxpower swaps CANL to pin 3 and warns about the pack's GND on pin 3", "[cli]") {
    const auto r = call({"wiring", "luxpower"});
    REQUIRE(r.code == 0);
    CHECK_THAT(
        r.out,
        Contains("  BMS pin 4 (CANH) -> inverter pin 4\n  BMS pin 5 (CANL) -> inverter pin 3\n"));
    CHECK_THAT(r.out,
               Contains("above all BMS pin 3: it is GND on the pack but a signal on the inverter"));
    CHECK_THAT(r.out, Contains("#5 OFF, #6 OFF (can DIP 0 = luxpower)"));
}

TEST_CASE("wiring Sofar moves CANH/CANL to inverter pins 1 and 2", "[cli]") {
    const auto r = call({"wiring", "SOFAR"});
    REQUIRE(r.code == 0);
    CHECK_THAT(
        r.out,
        Contains("  BMS pin 4 (CANH) -> inverter pin 1\n  BMS pin 5 (CANL) -> inverter pin 2\n"));
    CHECK_THAT(r.out, Contains("(variant sofar)"));
    CHECK_THAT(r.out, Contains("#5 ON, #6 OFF (can DIP 16 = sma_victron)"));
}

TEST_CASE("wiring Voltronic follows the BMS manual's worked example 1B, 2A -> 3B, 5A", "[cli]") {
    const auto r = call({"wiring", "Voltronic"});
    REQUIRE(r.code == 0);
    CHECK_THAT(r.out, Contains("Inverter port (RS485): pin 3 RS485-B, pin 5 RS485-A"));
    CHECK_THAT(
        r.out,
        Contains(
            "  BMS pin 1 (RS485-B) -> inverter pin 3\n  BMS pin 2 (RS485-A) -> inverter pin 5\n"));
    CHECK_THAT(r.out, Contains("#5 OFF, #6 ON (rs485 DIP 32 = voltronic)"));
}

TEST_CASE("wiring SRNE gives 1B -> 8, 2A -> 7 and flags the BMS manual's ambiguity", "[cli]") {
    const auto r = call({"wiring", "srne"});
    REQUIRE(r.code == 0);
    CHECK_THAT(r.out, Contains("Inverter port (RS485): pin 8 RS485-B, pin 7 RS485-A"));
    CHECK_THAT(
        r.out,
        Contains(
            "  BMS pin 1 (RS485-B) -> inverter pin 8\n  BMS pin 2 (RS485-A) -> inverter pin 7\n"));
    CHECK_THAT(
        r.out,
        Contains("ambiguity: by the BMS manual's pinout the pack also carries RS485-B on pin 8"));
    CHECK_THAT(r.out, Contains("protocol unconfirmed: try variant pylon first; if the inverter "
                               "shows no battery data, variant pace-modbus"));
    CHECK_THAT(r.out, Contains("#5 OFF, #6 OFF (rs485 DIP 0 = srne)"));
}

TEST_CASE("wiring for a straight-cable brand says so", "[cli]") {
    const auto r = call({"wiring", "Deye"});
    REQUIRE(r.code == 0);
    CHECK_THAT(r.out,
               Contains("Cable: standard (straight) network cable from the pack's CAN port"));
    CHECK_THAT(r.out, Contains("#5 OFF, #6 ON (can DIP 32 = pylon)"));
}

TEST_CASE("wiring accepts a two-word brand unquoted and Growatt SPF shows both links", "[cli]") {
    CHECK_THAT(call({"wiring", "MPP", "Sola"}).out, Contains("MPP Sola: rs485"));
    const auto spf = call({"wiring", "growatt-spf"});
    CHECK(spf.code == 0);
    CHECK_THAT(spf.out, Contains("Growatt-SPF (CAN): can, protocol DIP 48"));
    CHECK_THAT(spf.out, Contains("Growatt-SPF (485): rs485, protocol DIP 48"));
}

TEST_CASE("wiring without a brand prints pinouts, DIP tables and every brand row", "[cli]") {
    const auto r = call({"wiring"});
    REQUIRE(r.code == 0);
    CHECK_THAT(
        r.out,
        Contains(
            "BMS RS485 port (inverter / host computer)\n    pin 1  RS485-B\n    pin 2  RS485-A\n"));
    CHECK_THAT(r.out, Contains("BMS CAN port (inverter only)\n    pin 1  NC\n    pin 2  NC\n    "
                               "pin 3  GND\n    pin 4  CANH\n"));
    CHECK_THAT(r.out, Contains("  rs485  48   ON   ON   growatt_rs485  Growatt"));
    for (const char* brand :
         {"Growatt-SPF (CAN)", "Growatt-SPF (485)", "Growatt-SPH", "Goodwe", "Solis", "Sofar",
          "SMA", "Victron", "Luxpower", "Deye", "Sorotec", "Megarevo", "Voltronic", "SRNE",
          "senergy", "Sol-Ark", "MPP Sola", "Sacolar", "TRONTE"}) {
        INFO(brand);
        CHECK_THAT(r.out, Contains(std::string("\n  ") + brand + " "));
    }
}

TEST_CASE("an unknown brand is an error that suggests the closest names", "[cli]") {
    const auto r = call({"wiring", "Victorn"});
    CHECK(r.code == 1);
    CHECK(r.out.empty());
    CHECK_THAT(r.err, Contains("unknown brand \"Victorn\"; closest: victron"));
}

TEST_CASE("docs/wiring.md holds the current wiring output for every brand", "[cli]") {
    std::ifstream in(packbridge::testing::source_dir() / "docs" / "wiring.md");
    REQUIRE(in);
    std::stringstream doc;
    doc << in.rdbuf();
    CHECK_THAT(doc.str(), Contains(call({"wiring"}).out));
    for (const auto& b : packbridge::catalogue::brands()) {
        INFO(b.key);
        CHECK_THAT(doc.str(), Contains(call({"wiring", std::string(b.key)}).out));
    }
}

TEST_CASE("wiring BRAND leads with packbridge's own adapters, then the direct cable", "[cli]") {
    const auto can = call({"wiring", "Victron"}).out;
    const auto own = can.find("packbridge's own cabling");
    REQUIRE(own != std::string::npos);
    CHECK(own < can.find("Without packbridge"));
    CHECK(own < can.find("Inverter port (CAN)"));
    CHECK_THAT(can,
               Contains("  1. Pack bus: USB-RS485 adapter (bus.device) -> a free parallel "
                        "port of any pack (RJ45):\n     A -> pin 2, B -> pin 1, GND -> pin 3"));
    CHECK_THAT(can, Contains("  2. Inverter: USB-CAN or CAN HAT (inverter.can.interface) -> "
                             "inverter port: CANH -> pin 7, CANL -> pin 8"));
    const auto rs485 = call({"wiring", "Voltronic"}).out;
    CHECK_THAT(rs485, Contains("  2. Inverter: a second USB-RS485 adapter (inverter.rs485.device) "
                               "-> inverter port: B -> pin 3, A -> pin 5"));
    CHECK(rs485.find("packbridge's own cabling") < rs485.find("Without packbridge"));
}

TEST_CASE("no user-facing text speaks of the seed or of hypotheses", "[cli]") {
    const auto clean = [](const std::string& text) {
        for (const char* word : {"seed", "Seed", "hypothes", "Hypothes", "(H1)", "(H2)", ";\n"}) {
            INFO(word);
            CHECK(text.find(word) == std::string::npos);
        }
    };
    clean(call({"wiring"}).out);
    for (const auto& b : packbridge::catalogue::brands()) {
        INFO(b.key);
        clean(call({"wiring", std::string(b.key)}).out);
    }
    // check-config for every example config (each brand), and the contradiction errors.
    for (const auto& entry : std::filesystem::directory_iterator(packbridge::testing::source_dir() /
                                                                 "config/examples")) {
        INFO(entry.path().string());
        const auto r = call({"check-config", "--config", entry.path().string()});
        CHECK(r.code == 0);
        clean(r.out);
    }
    const auto dir = std::filesystem::temp_directory_path();
    const auto bad = dir / "packbridge-wording-test.json";
    for (const char* inverter :
         {R"({"link": "can", "protocol": 32, "brand": "victron"})",
          R"({"brand": "srne", "variant": "x"})", R"({"brand": "SRNE", "link": "can"})",
          R"({"protocol": "nope"})"}) {
        std::ofstream(bad) << R"({"inverter": )" << inverter << "}";
        const auto r = call({"check-config", "--config", bad.string()});
        CHECK(r.code == 1);
        clean(r.err);
    }
    std::filesystem::remove(bad);
}
