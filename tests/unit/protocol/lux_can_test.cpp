// SPDX-License-Identifier: Apache-2.0
// Luxpower V04 CAN against the vectors of inverter-can.md section 3, fed from the real bank's
// example state (three 16S packs, 300 Ah full, min cell temperature 24.1, max 26.0 degC, the CAN
// spec's 0 cycles). Brand "GATEWAY " as in the spec's vector.
#include "packbridge/protocol/inverter/can/lux_can.hpp"

#include <catch2/catch.hpp>

#include "support/can_frames.hpp"
#include "support/example_state.hpp"

using namespace packbridge;
using namespace packbridge::protocol;
using packbridge::testing::by_id;
using packbridge::testing::Bytes;
using packbridge::testing::bytes_of;

TEST_CASE("every Luxpower frame of the example state matches the spec's vector", "[can][lux]") {
    const auto frames = lux_can::encode(testing::example_battery(0), {});
    REQUIRE(frames.size() == 6);
    CHECK(bytes_of(by_id(frames, 0x351)) == Bytes{0x30, 0x02, 0xE8, 0x03, 0xDC, 0x05, 0xE0, 0x01});
    CHECK(bytes_of(by_id(frames, 0x355)) == Bytes{0x43, 0x00, 0x62, 0x00, 0xBE, 0x0C, 0xB3, 0x0C});
    CHECK(bytes_of(by_id(frames, 0x356)) == Bytes{0x5A, 0x14, 0x85, 0xFF, 0x04, 0x01, 0xF1, 0x00});
    CHECK(bytes_of(by_id(frames, 0x359)) == Bytes{0x00, 0x00, 0x00, 0x00, 0x03, 0x2C, 0x01, 0x00});
    CHECK(bytes_of(by_id(frames, 0x35C)) == Bytes{0xC0, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00});
    CHECK(bytes_of(by_id(frames, 0x35E)) == Bytes{0x47, 0x41, 0x54, 0x45, 0x57, 0x41, 0x59, 0x20});
}

TEST_CASE("the Luxpower set goes out on standard ids with DLC 8 in Pylon order", "[can][lux]") {
    std::vector<std::uint32_t> ids;
    for (const auto& f : lux_can::encode(testing::example_battery(0), {})) {
        ids.push_back(f.id);
        CHECK_FALSE(f.extended);
        CHECK(f.dlc == 8);
    }
    CHECK(ids == std::vector<std::uint32_t>{0x351, 0x355, 0x356, 0x359, 0x35C, 0x35E});
}

TEST_CASE("equal max and min temperatures go out 0.1 degC apart under the default guard",
          "[can][lux]") {
    Battery b = testing::example_battery(0);
    b.temp_max_dc = 253;  // every sensor at 25.3 degC
    b.temp_min_dc = 253;
    // max 254 = 0x00FE, min 253 = 0x00FD.
    CHECK(bytes_of(by_id(lux_can::encode(b, {}), 0x356)) ==
          Bytes{0x5A, 0x14, 0x85, 0xFF, 0xFE, 0x00, 0xFD, 0x00});
    // Sub-zero: -5.0 and -5.0 -> max -4.9 (0xFFCF), min -5.0 (0xFFCE).
    b.temp_max_dc = -50;
    b.temp_min_dc = -50;
    const auto& f = by_id(lux_can::encode(b, {}), 0x356);
    CHECK(f.data[4] == 0xCF);
    CHECK(f.data[5] == 0xFF);
    CHECK(f.data[6] == 0xCE);
    CHECK(f.data[7] == 0xFF);
}

TEST_CASE("the guard leaves distinct temperatures alone and never sends max below min",
          "[can][lux]") {
    Battery b = testing::example_battery(0);
    // Distinct: the spec's plain vector (260 / 241).
    CHECK(by_id(lux_can::encode(b, {}), 0x356).data[4] == 0x04);
    // Inverted input (max < min) still comes out max = min + 0.1.
    b.temp_max_dc = 200;
    b.temp_min_dc = 210;
    const auto& f = by_id(lux_can::encode(b, {}), 0x356);
    CHECK(f.data[4] == 211);
    CHECK(f.data[6] == 210);
    // At the top of the int16 range there is no room above min: the pair still differs.
    b.temp_max_dc = 32767;
    b.temp_min_dc = 32767;
    const auto& top = by_id(lux_can::encode(b, {}), 0x356);
    CHECK(bytes_of(top) == Bytes{0x5A, 0x14, 0x85, 0xFF, 0xFF, 0x7F, 0xFE, 0x7F});
}

TEST_CASE("the YamBMS variant always adds 0.1 degC and reproduces the spec's 261 vector",
          "[can][lux]") {
    lux_can::Options o;
    o.max_temperature = lux_can::MaxTemperature::plus_tenth;
    CHECK(bytes_of(by_id(lux_can::encode(testing::example_battery(0), o), 0x356)) ==
          Bytes{0x5A, 0x14, 0x85, 0xFF, 0x05, 0x01, 0xF1, 0x00});
}

TEST_CASE("with the guard off equal temperatures go out as measured", "[can][lux]") {
    lux_can::Options o;
    o.max_temperature = lux_can::MaxTemperature::as_measured;
    Battery b = testing::example_battery(0);
    b.temp_max_dc = 253;
    b.temp_min_dc = 253;
    const auto& f = by_id(lux_can::encode(b, o), 0x356);
    CHECK(f.data[4] == 0xFD);
    CHECK(f.data[6] == 0xFD);
}

TEST_CASE("the capacity in 0x359 is the full Ah as uint16 LE, or byte 5 alone when configured",
          "[can][lux]") {
    Battery b = testing::example_battery(0);
    lux_can::Options o;
    o.capacity_u16 = false;
    // 300 Ah does not fit one byte: clamped to 255, byte 6 stays 0.
    CHECK(bytes_of(by_id(lux_can::encode(b, o), 0x359)) ==
          Bytes{0x00, 0x00, 0x00, 0x00, 0x03, 0xFF, 0x00, 0x00});
    // 1 200 Ah bank in 16 bits: 0x04B0.
    b.full_mah = 1200000;
    CHECK(bytes_of(by_id(lux_can::encode(b, {}), 0x359)) ==
          Bytes{0x00, 0x00, 0x00, 0x00, 0x03, 0xB0, 0x04, 0x00});
    // Beyond 65535 Ah the field clamps.
    b.full_mah = 4000000000U;
    CHECK(by_id(lux_can::encode(b, {}), 0x359).data[5] == 0xFF);
    CHECK(by_id(lux_can::encode(b, {}), 0x359).data[6] == 0xFF);
}

TEST_CASE("the cycle count rides in 0x35C bytes 2 and 3", "[can][lux]") {
    // 123 cycles (the RS485 spec's example count) = 0x007B.
    CHECK(bytes_of(by_id(lux_can::encode(testing::example_battery(123), {}), 0x35C)) ==
          Bytes{0xC0, 0x00, 0x7B, 0x00, 0x00, 0x00, 0x00, 0x00});
    Battery b = testing::example_battery(0);
    b.cycles = 70000;  // clamps to 0xFFFF
    CHECK(bytes_of(by_id(lux_can::encode(b, {}), 0x35C)) ==
          Bytes{0xC0, 0x00, 0xFF, 0xFF, 0x00, 0x00, 0x00, 0x00});
}

TEST_CASE(
    "the Luxpower safe state sends zero current limits, realistic voltages and both "
    "enables off",
    "[can][lux]") {
    Battery b = testing::example_battery(0);
    b.safe_state = true;
    b.charge_current.value = 0;
    b.discharge_current.value = 0;
    b.charge_enable = false;
    b.discharge_enable = false;
    b.protections.set(Alarm::quorum_lost);
    const auto frames = lux_can::encode(b, {});
    CHECK(bytes_of(by_id(frames, 0x351)) == Bytes{0x30, 0x02, 0x00, 0x00, 0x00, 0x00, 0xE0, 0x01});
    CHECK(by_id(frames, 0x35C).data[0] == 0x00);
    CHECK(by_id(frames, 0x359).data[1] == pylon_can::kP2SystemError);
}

TEST_CASE("Luxpower protections, warnings and requests use the Pylon bit tables", "[can][lux]") {
    Battery b = testing::example_battery(0);
    b.protections.set(Alarm::pack_under_voltage);
    b.protections.set(Alarm::short_circuit);
    b.protections.set(Alarm::charge_over_current);
    b.warnings.set(Alarm::mosfet_over_temperature);
    b.warnings.set(Alarm::pack_lost);
    b.force_charge = true;
    b.full_charge_request = true;
    const auto frames = lux_can::encode(b, {});
    const auto& f = by_id(frames, 0x359);
    CHECK(f.data[0] == (pylon_can::kP1UnderVoltage | pylon_can::kP1DischargeOverCurrent));
    CHECK(f.data[1] == pylon_can::kP2ChargeOverCurrent);
    CHECK(f.data[2] == pylon_can::kA1HighTemperature);
    CHECK(f.data[3] == pylon_can::kA2InternalCommsFailure);
    CHECK(by_id(frames, 0x35C).data[0] == 0xC0 + 0x10 + 0x08);
}

TEST_CASE("a long Luxpower brand is cut to 8 bytes", "[can][lux]") {
    lux_can::Options o;
    o.name = "PACKBRIDGE";
    CHECK(bytes_of(by_id(lux_can::encode(testing::example_battery(0), o), 0x35E)) ==
          Bytes{'P', 'A', 'C', 'K', 'B', 'R', 'I', 'D'});
}

TEST_CASE("the dry-run summary decodes each Luxpower frame back to its values", "[can][lux]") {
    const auto frames = lux_can::encode(testing::example_battery(0), {});
    CHECK(lux_can::describe(by_id(frames, 0x351)) ==
          "limits CVL 56.0 V CCL 100.0 A DCL 150.0 A DVL 48.0 V");
    CHECK(lux_can::describe(by_id(frames, 0x355)) ==
          "SOC 67 % SOH 98 % max cell 3262 mV min cell 3251 mV");
    CHECK(lux_can::describe(by_id(frames, 0x356)) == "52.10 V -12.3 A max 26.0 degC min 24.1 degC");
    CHECK(lux_can::describe(by_id(frames, 0x359)) ==
          "protection 00 00 alarm 00 00, 3 modules, 300 Ah");
    CHECK(lux_can::describe(by_id(frames, 0x35C)) == "charge on, discharge on, 0 cycles");
    CHECK(lux_can::describe(by_id(frames, 0x35E)) == "name \"GATEWAY \"");
}
