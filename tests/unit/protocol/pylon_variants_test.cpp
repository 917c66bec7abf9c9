// SPDX-License-Identifier: Apache-2.0
// The Sol-Ark (inverter-can.md section 2) and Goodwe "PYLON V2" (section 4.8, extras as in the
// section 4.6 Victron column) variants of the Pylon encoder, fed from the real bank's example
// state (section 0.3; 0 cycles). Assumptions of section 0.3 as the example state realises them:
// three 16S packs at addresses 1-3, highest cell module 1 cell 7, lowest cell module 3 cell 12,
// highest temperature module 1 sensor 2 (26.0 degC), lowest module 3 sensor 2 (24.1 degC).
#include <catch2/catch.hpp>

#include "packbridge/protocol/inverter/can/pylon_can.hpp"
#include "support/can_frames.hpp"
#include "support/example_state.hpp"

using namespace packbridge;
using namespace packbridge::protocol;
using packbridge::testing::by_id;
using packbridge::testing::Bytes;
using packbridge::testing::bytes_of;

namespace {

std::vector<std::uint32_t> ids_of(const std::vector<CanFrame>& frames) {
    std::vector<std::uint32_t> ids;
    for (const auto& f : frames)
        ids.push_back(f.id);
    return ids;
}

pylon_can::Options sol_ark() {
    pylon_can::Options options;
    options.variant = pylon_can::Variant::sol_ark;
    options.name = "GATEWAY";
    return options;
}

pylon_can::Options goodwe() {
    pylon_can::Options options;
    options.variant = pylon_can::Variant::goodwe;
    return options;
}

// The bank's safe state as it would output it (quorum lost), derived from the example.
Battery safe_state_battery() {
    Battery b = testing::example_battery(0);
    b.safe_state = true;
    b.charge_current.value = 0;
    b.discharge_current.value = 0;
    b.charge_enable = false;
    b.discharge_enable = false;
    b.protections.set(Alarm::quorum_lost);
    return b;
}

}  // namespace

// --- Sol-Ark -------------------------------------------------------------------------------------

TEST_CASE("every Sol-Ark frame of the example state matches the spec's section 2 vector",
          "[can][pylon][sol-ark]") {
    const auto frames = pylon_can::encode(testing::example_battery(0), sol_ark());
    CHECK(ids_of(frames) ==
          std::vector<std::uint32_t>{0x351, 0x355, 0x356, 0x359, 0x35C, 0x35E, 0x379});
    CHECK(bytes_of(by_id(frames, 0x351)) == Bytes{0x30, 0x02, 0xE8, 0x03, 0xDC, 0x05, 0xE0, 0x01});
    CHECK(bytes_of(by_id(frames, 0x355)) == Bytes{0x43, 0x00, 0x62, 0x00, 0x00, 0x00, 0x00, 0x00});
    CHECK(bytes_of(by_id(frames, 0x356)) == Bytes{0x09, 0x02, 0x85, 0xFF, 0xFD, 0x00, 0x00, 0x00});
    CHECK(bytes_of(by_id(frames, 0x359)) == Bytes{0x00, 0x00, 0x00, 0x00, 0x03, 0x50, 0x4E, 0x00});
    CHECK(bytes_of(by_id(frames, 0x35C)) == Bytes{0xC0, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00});
    CHECK(bytes_of(by_id(frames, 0x35E)) == Bytes{0x47, 0x41, 0x54, 0x45, 0x57, 0x41, 0x59, 0x20});
    CHECK(bytes_of(by_id(frames, 0x379)) == Bytes{0x2C, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00});
    for (const auto& f : frames)
        CHECK_FALSE(f.extended);
}

TEST_CASE("Sol-Ark frames are all DLC 8 even when the exact Pylontech DLCs are asked for",
          "[can][pylon][sol-ark]") {
    pylon_can::Options options = sol_ark();
    options.exact_dlc = true;
    const auto frames = pylon_can::encode(testing::example_battery(0), options);
    REQUIRE(frames.size() == 7);
    for (const auto& f : frames) {
        INFO("id " << std::hex << f.id);
        CHECK(f.dlc == 8);
    }
    CHECK(bytes_of(by_id(frames, 0x355)) == Bytes{0x43, 0x00, 0x62, 0x00, 0x00, 0x00, 0x00, 0x00});
}

TEST_CASE("the Sol-Ark 0x356 voltage defaults to the vendor's 0.1 V and can be sent at 0.01 V",
          "[can][pylon][sol-ark]") {
    pylon_can::Options options = sol_ark();
    CHECK(options.sol_ark_voltage_scale == pylon_can::VoltageScale::decivolt);
    options.sol_ark_voltage_scale = pylon_can::VoltageScale::centivolt;
    const auto frames = pylon_can::encode(testing::example_battery(0), options);
    // ai-republic's and real Pylontech packs' 0.01 V: 5210 = 0x145A.
    CHECK(bytes_of(by_id(frames, 0x356)) == Bytes{0x5A, 0x14, 0x85, 0xFF, 0xFD, 0x00, 0x00, 0x00});
    CHECK(pylon_can::describe(by_id(frames, 0x356), options) == "52.10 V -12.3 A 25.3 degC");
}

TEST_CASE("the voltage scale option leaves Pylon and Goodwe at 0.01 V", "[can][pylon][sol-ark]") {
    for (auto variant : {pylon_can::Variant::pylon, pylon_can::Variant::goodwe}) {
        pylon_can::Options options;
        options.variant = variant;
        options.sol_ark_voltage_scale = pylon_can::VoltageScale::decivolt;
        const auto f = by_id(pylon_can::encode(testing::example_battery(0), options), 0x356);
        CHECK(f.data[0] == 0x5A);
        CHECK(f.data[1] == 0x14);
    }
}

TEST_CASE(
    "the Sol-Ark safe state sends zero current limits, both enables off and a critical "
    "system error",
    "[can][pylon][sol-ark]") {
    const auto frames = pylon_can::encode(safe_state_battery(), sol_ark());
    CHECK(bytes_of(by_id(frames, 0x351)) == Bytes{0x30, 0x02, 0x00, 0x00, 0x00, 0x00, 0xE0, 0x01});
    CHECK(by_id(frames, 0x35C).data[0] == 0x00);
    CHECK(bytes_of(by_id(frames, 0x359)) == Bytes{0x00, pylon_can::kP2SystemError, 0x00,
                                                  pylon_can::kA2CriticalSystemError, 0x03, 0x50,
                                                  0x4E, 0x00});
}

TEST_CASE("a lost pack is not a Sol-Ark critical system error but stays Pylon's comms failure",
          "[can][pylon][sol-ark]") {
    Battery b = testing::example_battery(0);
    b.warnings.set(Alarm::pack_lost);
    CHECK(by_id(pylon_can::encode(b, sol_ark()), 0x359).data[3] == 0x00);
    CHECK(by_id(pylon_can::encode(b, {}), 0x359).data[3] == pylon_can::kA2InternalCommsFailure);
}

// --- Goodwe "PYLON V2" ---------------------------------------------------------------------------

TEST_CASE("every Goodwe PYLON V2 frame of the example state matches the spec's vectors",
          "[can][pylon][goodwe]") {
    const auto frames = pylon_can::encode(testing::example_battery(0), goodwe());
    CHECK(ids_of(frames) == std::vector<std::uint32_t>{0x351, 0x355, 0x356, 0x359, 0x35C, 0x35E,
                                                       0x35A, 0x372, 0x373, 0x374, 0x375, 0x376,
                                                       0x377, 0x379});
    // The Pylon 1.2 part, section 1.3, with the automatic name "PYLON".
    CHECK(bytes_of(by_id(frames, 0x351)) == Bytes{0x30, 0x02, 0xE8, 0x03, 0xDC, 0x05, 0xE0, 0x01});
    CHECK(bytes_of(by_id(frames, 0x355)) == Bytes{0x43, 0x00, 0x62, 0x00, 0x00, 0x00, 0x00, 0x00});
    CHECK(bytes_of(by_id(frames, 0x356)) == Bytes{0x5A, 0x14, 0x85, 0xFF, 0xFD, 0x00, 0x00, 0x00});
    CHECK(bytes_of(by_id(frames, 0x359)) == Bytes{0x00, 0x00, 0x00, 0x00, 0x03, 0x50, 0x4E, 0x00});
    CHECK(bytes_of(by_id(frames, 0x35C)) == Bytes{0xC0, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00});
    CHECK(bytes_of(by_id(frames, 0x35E)) == Bytes{0x50, 0x59, 0x4C, 0x4F, 0x4E, 0x20, 0x20, 0x20});
    // The extras, section 4.6: 0x35A SMA-faithful "every defined item cleared".
    CHECK(bytes_of(by_id(frames, 0x35A)) == Bytes{0xAA, 0xAA, 0xAA, 0x02, 0xAA, 0xAA, 0xAA, 0x02});
    CHECK(bytes_of(by_id(frames, 0x372)) == Bytes{0x03, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00});
    CHECK(bytes_of(by_id(frames, 0x373)) == Bytes{0xB3, 0x0C, 0xBE, 0x0C, 0x29, 0x01, 0x2B, 0x01});
    CHECK(bytes_of(by_id(frames, 0x374)) == Bytes{0x33, 0x2D, 0x31, 0x32, 0x00, 0x00, 0x00, 0x00});
    CHECK(bytes_of(by_id(frames, 0x375)) == Bytes{0x31, 0x2D, 0x37, 0x00, 0x00, 0x00, 0x00, 0x00});
    // The spec's 0x376/0x377 ("1-T2"/"2-T4") are only examples of the format; the example state
    // has its lowest sensor at module 3 sensor 2 and its highest at module 1 sensor 2.
    CHECK(bytes_of(by_id(frames, 0x376)) == Bytes{0x33, 0x2D, 0x54, 0x32, 0x00, 0x00, 0x00, 0x00});
    CHECK(bytes_of(by_id(frames, 0x377)) == Bytes{0x31, 0x2D, 0x54, 0x32, 0x00, 0x00, 0x00, 0x00});
    CHECK(bytes_of(by_id(frames, 0x379)) == Bytes{0x2C, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00});
    for (const auto& f : frames)
        CHECK_FALSE(f.extended);
}

TEST_CASE("the Goodwe name options are the spec's GOODWE and GoodWe strings",
          "[can][pylon][goodwe]") {
    pylon_can::Options options = goodwe();
    CHECK(options.name == "PYLON");
    options.name = pylon_can::kGoodweName;
    CHECK(bytes_of(by_id(pylon_can::encode(testing::example_battery(0), options), 0x35E)) ==
          Bytes{0x47, 0x4F, 0x4F, 0x44, 0x57, 0x45, 0x20, 0x20});
    options.name = pylon_can::kGoodweSmaName;
    CHECK(bytes_of(by_id(pylon_can::encode(testing::example_battery(0), options), 0x35E)) ==
          Bytes{0x47, 0x6F, 0x6F, 0x64, 0x57, 0x65, 0x20, 0x20});
}

TEST_CASE("Goodwe keeps the exact Pylontech DLCs on request and sends its extras with DLC 8",
          "[can][pylon][goodwe]") {
    pylon_can::Options options = goodwe();
    options.exact_dlc = true;
    const auto frames = pylon_can::encode(testing::example_battery(0), options);
    CHECK(by_id(frames, 0x355).dlc == 4);
    CHECK(by_id(frames, 0x356).dlc == 6);
    CHECK(by_id(frames, 0x359).dlc == 7);
    CHECK(by_id(frames, 0x35C).dlc == 2);
    for (std::uint32_t id : {0x35AU, 0x372U, 0x373U, 0x374U, 0x375U, 0x376U, 0x377U, 0x379U})
        CHECK(by_id(frames, id).dlc == 8);
}

TEST_CASE("the Goodwe safe state sends zero current limits, enables off and a BMS internal alarm",
          "[can][pylon][goodwe]") {
    Battery b = safe_state_battery();
    for (auto& m : b.modules) {
        m.charge_mosfet_on = false;
        m.discharge_mosfet_on = false;
        // The bank's verdict for MOSFETs off: 0x372 counts it, it does not re-derive it.
        m.blocks_charge = true;
        m.blocks_discharge = true;
    }
    const auto frames = pylon_can::encode(b, goodwe());
    CHECK(bytes_of(by_id(frames, 0x351)) == Bytes{0x30, 0x02, 0x00, 0x00, 0x00, 0x00, 0xE0, 0x01});
    CHECK(by_id(frames, 0x35C).data[0] == 0x00);
    CHECK(by_id(frames, 0x359).data[1] == pylon_can::kP2SystemError);
    // Alarm item 0 "general" (byte 0 bits 0-1) and item 11 "BMS internal" (byte 2 bits 6-7)
    // raised (01); the rest cleared (10); warnings all cleared.
    CHECK(bytes_of(by_id(frames, 0x35A)) == Bytes{0xA9, 0xAA, 0x6A, 0x02, 0xAA, 0xAA, 0xAA, 0x02});
    // 3 online, 3 blocking charge, 3 blocking discharge, 0 offline.
    CHECK(bytes_of(by_id(frames, 0x372)) == Bytes{0x03, 0x00, 0x03, 0x00, 0x03, 0x00, 0x00, 0x00});
}

TEST_CASE("Goodwe warnings land in 0x35A bytes 4-7 at the alarms' positions",
          "[can][pylon][goodwe]") {
    Battery b = testing::example_battery(0);
    b.warnings.set(Alarm::cell_over_voltage);            // item 1 high voltage
    b.warnings.set(Alarm::charge_over_current);          // item 8 high charge current
    b.warnings.set(Alarm::cell_imbalance);               // item 12 cell imbalance
    b.protections.set(Alarm::charge_under_temperature);  // item 6 low temperature charging
    const auto f = by_id(pylon_can::encode(b, goodwe()), 0x35A);
    CHECK(bytes_of(f) == Bytes{0xA9, 0x9A, 0xAA, 0x02, 0xA5, 0xAA, 0xA9, 0x01});
}

TEST_CASE("a pack that stopped answering counts as offline in 0x372", "[can][pylon][goodwe]") {
    Battery b = testing::example_battery(0);
    b.packs_known = 4;
    CHECK(bytes_of(by_id(pylon_can::encode(b, goodwe()), 0x372)) ==
          Bytes{0x03, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00});
}

TEST_CASE("sub-zero temperatures become whole kelvin truncated in 0x373", "[can][pylon][goodwe]") {
    Battery b = testing::example_battery(0);
    b.temp_min_dc = -55;  // -5.5 degC = 267.65 K -> 267 = 0x010B
    const auto f = by_id(pylon_can::encode(b, goodwe()), 0x373);
    CHECK(f.data[4] == 0x0B);
    CHECK(f.data[5] == 0x01);
}

// --- describe() ----------------------------------------------------------------------------------

TEST_CASE("the dry-run summary decodes the variant frames back to their values",
          "[can][pylon][goodwe][sol-ark]") {
    const auto frames = pylon_can::encode(testing::example_battery(0), goodwe());
    CHECK(pylon_can::describe(by_id(frames, 0x35A)) ==
          "alarms raised: none, warnings raised: none");
    CHECK(pylon_can::describe(by_id(frames, 0x372)) ==
          "modules 3 online, 0 blocking charge, 0 blocking discharge, 0 offline");
    CHECK(pylon_can::describe(by_id(frames, 0x373)) ==
          "cells 3251..3262 mV, temperatures 297..299 K");
    CHECK(pylon_can::describe(by_id(frames, 0x374)) == "lowest cell \"3-12\"");
    CHECK(pylon_can::describe(by_id(frames, 0x375)) == "highest cell \"1-7\"");
    CHECK(pylon_can::describe(by_id(frames, 0x376)) == "lowest temperature \"3-T2\"");
    CHECK(pylon_can::describe(by_id(frames, 0x377)) == "highest temperature \"1-T2\"");
    CHECK(pylon_can::describe(by_id(frames, 0x379)) == "capacity 300 Ah");

    const auto safe = pylon_can::encode(safe_state_battery(), goodwe());
    CHECK(pylon_can::describe(by_id(safe, 0x35A)) == "alarms raised: 0 11, warnings raised: none");

    const auto sol = pylon_can::encode(testing::example_battery(0), sol_ark());
    CHECK(pylon_can::describe(by_id(sol, 0x356), sol_ark()) == "52.10 V -12.3 A 25.3 degC");
    CHECK(pylon_can::describe(by_id(sol, 0x379), sol_ark()) == "capacity 300 Ah");
}
