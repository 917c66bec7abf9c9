// SPDX-License-Identifier: Apache-2.0
// Pylon LV CAN V1.2 against the vectors of inverter-can.md section 1.3, fed from the real bank's
// example state (three pack readings; the CAN spec's state has 0 cycles).
#include "packbridge/protocol/inverter/can/pylon_can.hpp"

#include <catch2/catch.hpp>

#include "support/can_frames.hpp"
#include "support/example_state.hpp"

using namespace packbridge;
using namespace packbridge::protocol;
using packbridge::testing::by_id;
using packbridge::testing::Bytes;
using packbridge::testing::bytes_of;

TEST_CASE("every Pylon frame of the example state matches the spec's DLC 8 vector",
          "[can][pylon]") {
    const auto frames = pylon_can::encode(testing::example_battery(0), {});
    REQUIRE(frames.size() == 6);
    CHECK(bytes_of(by_id(frames, 0x351)) == Bytes{0x30, 0x02, 0xE8, 0x03, 0xDC, 0x05, 0xE0, 0x01});
    CHECK(bytes_of(by_id(frames, 0x355)) == Bytes{0x43, 0x00, 0x62, 0x00, 0x00, 0x00, 0x00, 0x00});
    CHECK(bytes_of(by_id(frames, 0x356)) == Bytes{0x5A, 0x14, 0x85, 0xFF, 0xFD, 0x00, 0x00, 0x00});
    CHECK(bytes_of(by_id(frames, 0x359)) == Bytes{0x00, 0x00, 0x00, 0x00, 0x03, 0x50, 0x4E, 0x00});
    CHECK(bytes_of(by_id(frames, 0x35C)) == Bytes{0xC0, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00});
    CHECK(bytes_of(by_id(frames, 0x35E)) == Bytes{0x50, 0x59, 0x4C, 0x4F, 0x4E, 0x20, 0x20, 0x20});
    for (const auto& f : frames)
        CHECK_FALSE(f.extended);
}

TEST_CASE("the exact Pylontech DLCs are the spec's short frames", "[can][pylon]") {
    pylon_can::Options options;
    options.exact_dlc = true;
    const auto frames = pylon_can::encode(testing::example_battery(0), options);
    CHECK(bytes_of(by_id(frames, 0x351)) == Bytes{0x30, 0x02, 0xE8, 0x03, 0xDC, 0x05, 0xE0, 0x01});
    CHECK(bytes_of(by_id(frames, 0x355)) == Bytes{0x43, 0x00, 0x62, 0x00});
    CHECK(bytes_of(by_id(frames, 0x356)) == Bytes{0x5A, 0x14, 0x85, 0xFF, 0xFD, 0x00});
    CHECK(bytes_of(by_id(frames, 0x359)) == Bytes{0x00, 0x00, 0x00, 0x00, 0x03, 0x50, 0x4E});
    CHECK(bytes_of(by_id(frames, 0x35C)) == Bytes{0xC0, 0x00});
    CHECK(bytes_of(by_id(frames, 0x35E)).size() == 8);
}

TEST_CASE("a Deye name goes into 0x35E space padded", "[can][pylon]") {
    pylon_can::Options options;
    options.name = "DEYE";
    const auto frames = pylon_can::encode(testing::example_battery(0), options);
    CHECK(bytes_of(by_id(frames, 0x35E)) == Bytes{0x44, 0x45, 0x59, 0x45, 0x20, 0x20, 0x20, 0x20});
}

TEST_CASE("the safe state sends zero current limits, realistic voltages and both enables off",
          "[can][pylon]") {
    // Derived from the example: the bank's safe state as it would output it (quorum lost).
    Battery b = testing::example_battery(0);
    b.safe_state = true;
    b.charge_current.value = 0;
    b.discharge_current.value = 0;
    b.charge_enable = false;
    b.discharge_enable = false;
    b.protections.set(Alarm::quorum_lost);
    const auto frames = pylon_can::encode(b, {});
    // CVL stays 56.0 V: diyBMS #216 shows Deye misbehaves when charging is stopped with CVL ~ 0.
    CHECK(bytes_of(by_id(frames, 0x351)) == Bytes{0x30, 0x02, 0x00, 0x00, 0x00, 0x00, 0xE0, 0x01});
    CHECK(by_id(frames, 0x35C).data[0] == 0x00);
    CHECK(by_id(frames, 0x359).data[1] == pylon_can::kP2SystemError);
}

TEST_CASE("protections and warnings land on the spec's bit positions", "[can][pylon]") {
    Battery b = testing::example_battery(0);
    b.protections.set(Alarm::cell_over_voltage);
    b.protections.set(Alarm::charge_under_temperature);
    b.protections.set(Alarm::charge_over_current);
    b.warnings.set(Alarm::discharge_over_current);
    b.warnings.set(Alarm::pack_lost);
    const auto f = by_id(pylon_can::encode(b, {}), 0x359);
    CHECK(f.data[0] == (pylon_can::kP1OverVoltage | pylon_can::kP1UnderTemperature));
    CHECK(f.data[1] == pylon_can::kP2ChargeOverCurrent);
    CHECK(f.data[2] == pylon_can::kA1DischargeHighCurrent);
    CHECK(f.data[3] == pylon_can::kA2InternalCommsFailure);
}

TEST_CASE("force charge uses request bit 4 and the full-charge request bit 3", "[can][pylon]") {
    Battery b = testing::example_battery(0);
    b.force_charge = true;
    b.full_charge_request = true;
    CHECK(by_id(pylon_can::encode(b, {}), 0x35C).data[0] == 0xC0 + 0x10 + 0x08);
}

TEST_CASE("negative temperatures and charging current encode as signed little-endian",
          "[can][pylon]") {
    Battery b = testing::example_battery(0);
    b.temp_mean_dc = -55;  // -5.5 degC
    b.current_ma = 20050;  // +20.05 A rounds to 20.1 A
    const auto f = by_id(pylon_can::encode(b, {}), 0x356);
    CHECK(f.data[2] == 0xC9);  // 201
    CHECK(f.data[3] == 0x00);
    CHECK(f.data[4] == 0xC9);  // -55 = 0xFFC9
    CHECK(f.data[5] == 0xFF);
}

TEST_CASE("the Pylon dry-run summary decodes each frame back to its values", "[can][pylon]") {
    const auto frames = pylon_can::encode(testing::example_battery(0), {});
    CHECK(pylon_can::describe(by_id(frames, 0x351)) ==
          "limits CVL 56.0 V CCL 100.0 A DCL 150.0 A DVL 48.0 V");
    CHECK(pylon_can::describe(by_id(frames, 0x355)) == "SOC 67 % SOH 98 %");
    CHECK(pylon_can::describe(by_id(frames, 0x356)) == "52.10 V -12.3 A 25.3 degC");
    CHECK(pylon_can::describe(by_id(frames, 0x35C)) == "charge on, discharge on");
    CHECK(pylon_can::describe(by_id(frames, 0x35E)) == "name \"PYLON   \"");
}
