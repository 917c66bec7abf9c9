// SPDX-License-Identifier: Apache-2.0
// Growatt LV CAN V1.04 against the vectors of inverter-can.md section 5.4, fed from the real
// bank's example state (three 16S pack readings: 48 cells, highest cell global 7, lowest global
// 44, the CAN spec's 0 cycles). The vector's date is 2025-06-15 12:34:56.
#include "packbridge/protocol/inverter/can/growatt_can.hpp"

#include <catch2/catch.hpp>

#include "support/can_frames.hpp"
#include "support/example_state.hpp"

using namespace packbridge;
using namespace packbridge::protocol;
using packbridge::testing::by_id;
using packbridge::testing::Bytes;
using packbridge::testing::bytes_of;

namespace {

growatt_can::Options vector_options() {
    growatt_can::Options o;
    o.time = growatt_can::DateTime{2025, 6, 15, 12, 34, 56};
    return o;
}

CanFrame poll(std::uint32_t id, bool extended, std::uint8_t dlc, Bytes data) {
    CanFrame f;
    f.id = id;
    f.extended = extended;
    f.dlc = dlc;
    std::copy(data.begin(), data.end(), f.data.begin());
    return f;
}

}  // namespace

TEST_CASE("every Growatt frame of the example state matches the spec's big-endian vector",
          "[can][growatt]") {
    const auto frames = growatt_can::encode(testing::example_battery(0), vector_options());
    REQUIRE(frames.size() == 7);
    CHECK(bytes_of(by_id(frames, 0x311)) == Bytes{0x02, 0x30, 0x03, 0xE8, 0x05, 0xDC, 0x0C, 0x63});
    CHECK(bytes_of(by_id(frames, 0x312)) == Bytes{0x00, 0x00, 0x00, 0x00, 0x03, 0x47, 0x57, 0x30});
    CHECK(bytes_of(by_id(frames, 0x313)) == Bytes{0x14, 0x5A, 0xFF, 0x85, 0x01, 0x04, 0x43, 0x62});
    CHECK(bytes_of(by_id(frames, 0x314)) == Bytes{0x4E, 0x84, 0x75, 0x30, 0x00, 0x0B, 0x00, 0x00});
    CHECK(bytes_of(by_id(frames, 0x319)) == Bytes{0xC0, 0x0C, 0xBE, 0x0C, 0xB3, 0x07, 0x2C, 0x00});
    CHECK(bytes_of(by_id(frames, 0x320)) == Bytes{0x47, 0x57, 0x01, 0x01, 0x65, 0x9E, 0xC8, 0xB8});
    CHECK(bytes_of(by_id(frames, 0x321)) == Bytes{0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00});
}

TEST_CASE("the answer goes out on standard ids in the document's order", "[can][growatt]") {
    const auto frames = growatt_can::encode(testing::example_battery(0), {});
    std::vector<std::uint32_t> ids;
    for (const auto& f : frames) {
        ids.push_back(f.id);
        CHECK_FALSE(f.extended);  // ai-republic's extended frames contradict the document
        CHECK(f.dlc == 8);
    }
    CHECK(ids == std::vector<std::uint32_t>{0x311, 0x312, 0x313, 0x314, 0x319, 0x320, 0x321});
}

TEST_CASE("the date word packs the spec's example time to 0x659EC8B8", "[can][growatt]") {
    // 25<<26 + 6<<22 + 15<<17 + 12<<12 + 34<<6 + 56 (spec section 5.4).
    CHECK(growatt_can::pack_time({2025, 6, 15, 12, 34, 56}) == 0x659EC8B8U);
    CHECK(growatt_can::pack_time({2000, 1, 1, 0, 0, 0}) == (1U << 22 | 1U << 17));
    // Out-of-range fields clamp into their bit fields instead of spilling into the next one.
    CHECK(growatt_can::pack_time({2100, 13, 40, 25, 61, 99}) ==
          (63U << 26 | 12U << 22 | 31U << 17 | 23U << 12 | 59U << 6 | 59U));
}

TEST_CASE("without a clock the 0x320 date is zero, as Battery-Emulator sends it",
          "[can][growatt]") {
    const auto frames = growatt_can::encode(testing::example_battery(0), {});
    CHECK(bytes_of(by_id(frames, 0x320)) == Bytes{0x47, 0x57, 0x01, 0x01, 0x00, 0x00, 0x00, 0x00});
}

TEST_CASE(
    "the safe state sends zero current limits, a realistic CV, both enables off and a "
    "system error",
    "[can][growatt]") {
    Battery b = testing::example_battery(0);
    b.safe_state = true;
    b.charge_current.value = 0;
    b.discharge_current.value = 0;
    b.charge_enable = false;
    b.discharge_enable = false;
    b.protections.set(Alarm::quorum_lost);
    const auto frames = growatt_can::encode(b, vector_options());
    // Status: discharging 0x03 + error valid 0x04 (bits 5/6 clear), SP status 11 -> 0x0C07.
    CHECK(bytes_of(by_id(frames, 0x311)) == Bytes{0x02, 0x30, 0x00, 0x00, 0x00, 0x00, 0x0C, 0x07});
    CHECK(by_id(frames, 0x312).data[1] == growatt_can::kG2SystemError);
    CHECK(by_id(frames, 0x319).data[0] == 0x00);
}

TEST_CASE("switching off the uncertain output bits gives Battery-Emulator's status 0C 03",
          "[can][growatt]") {
    growatt_can::Options o = vector_options();
    o.status_output_bits = false;
    const auto& f = by_id(growatt_can::encode(testing::example_battery(0), o), 0x311);
    CHECK(f.data[6] == 0x0C);
    CHECK(f.data[7] == 0x03);
    // The enables still reach the inverter through 0x319.
    CHECK(by_id(growatt_can::encode(testing::example_battery(0), o), 0x319).data[0] == 0xC0);
}

TEST_CASE("the master box mode lands in status bits 8 and 9", "[can][growatt]") {
    growatt_can::Options o = vector_options();
    o.box_mode = growatt_can::BoxMode::parallel;
    CHECK(by_id(growatt_can::encode(testing::example_battery(0), o), 0x311).data[6] == 0x0D);
    o.box_mode = growatt_can::BoxMode::parallel_ready;
    CHECK(by_id(growatt_can::encode(testing::example_battery(0), o), 0x311).data[6] == 0x0E);
}

TEST_CASE("the battery status follows the current with a 0.1 A dead band", "[can][growatt]") {
    Battery b = testing::example_battery(0);
    b.current_ma = 5000;
    CHECK(by_id(growatt_can::encode(b, {}), 0x311).data[7] == 0x62);  // charging 10
    CHECK(by_id(growatt_can::encode(b, {}), 0x311).data[6] == 0x08);
    b.current_ma = -100;
    CHECK(by_id(growatt_can::encode(b, {}), 0x311).data[7] == 0x61);  // standby 01
    CHECK(by_id(growatt_can::encode(b, {}), 0x311).data[6] == 0x04);
}

TEST_CASE("a balancing pack sets status bit 3", "[can][growatt]") {
    Battery b = testing::example_battery(0);
    REQUIRE_FALSE(b.modules.empty());
    b.modules[1].balancing_mask = 1U << 6;
    CHECK(by_id(growatt_can::encode(b, {}), 0x311).data[7] ==
          (0x63 | growatt_can::kStatusBalancing));
}

TEST_CASE("a bank capacity above 655.35 Ah is clamped to the field's maximum by default",
          "[can][growatt]") {
    Battery b = testing::example_battery(0);
    b.remaining_mah = 700000;  // 700 Ah: 70000 in 10 mAh does not fit a U16
    b.full_mah = 900000;
    CHECK(bytes_of(by_id(growatt_can::encode(b, {}), 0x314)) ==
          Bytes{0xFF, 0xFF, 0xFF, 0xFF, 0x00, 0x0B, 0x00, 0x00});
    // Exactly 655.35 Ah still fits: 65535 = FF FF; one 10 mAh step below is FF FE.
    b.remaining_mah = 655340;
    b.full_mah = 655350;
    CHECK(bytes_of(by_id(growatt_can::encode(b, {}), 0x314)) ==
          Bytes{0xFF, 0xFE, 0xFF, 0xFF, 0x00, 0x0B, 0x00, 0x00});
}

TEST_CASE("the module-average capacity mode divides by the counted packs and keeps the ratio",
          "[can][growatt]") {
    growatt_can::Options o;
    o.capacity = growatt_can::CapacityMode::module_average;
    Battery b = testing::example_battery(0);
    // The example: 201 of 300 Ah over 3 packs -> 67 of 100 Ah = 6700 (0x1A2C), 10000 (0x2710).
    CHECK(bytes_of(by_id(growatt_can::encode(b, o), 0x314)) ==
          Bytes{0x1A, 0x2C, 0x27, 0x10, 0x00, 0x0B, 0x00, 0x00});
    // 700 of 900 Ah: 233 333 mAh -> 23333 (0x5B25), 300 000 mAh -> 30000 (0x7530).
    b.remaining_mah = 700000;
    b.full_mah = 900000;
    CHECK(bytes_of(by_id(growatt_can::encode(b, o), 0x314)) ==
          Bytes{0x5B, 0x25, 0x75, 0x30, 0x00, 0x0B, 0x00, 0x00});
    // A single module above the limit still clamps.
    b.packs_counted = 1;
    CHECK(bytes_of(by_id(growatt_can::encode(b, o), 0x314)) ==
          Bytes{0xFF, 0xFF, 0xFF, 0xFF, 0x00, 0x0B, 0x00, 0x00});
}

TEST_CASE("protections and warnings land on the G1 to G4 bit positions", "[can][growatt]") {
    Battery b = testing::example_battery(0);
    b.protections.set(Alarm::cell_over_voltage);
    b.protections.set(Alarm::short_circuit);
    b.protections.set(Alarm::charge_under_temperature);
    b.protections.set(Alarm::cell_imbalance);
    b.warnings.set(Alarm::pack_under_voltage);
    b.warnings.set(Alarm::discharge_over_current);
    b.warnings.set(Alarm::pack_lost);
    b.warnings.set(Alarm::discharge_over_temperature);
    b.modules[2].protections.set(Alarm::cell_over_voltage);
    const auto frames = growatt_can::encode(b, vector_options());
    const auto& f = by_id(frames, 0x312);
    CHECK(f.data[0] == (growatt_can::kG1CellOverVoltage | growatt_can::kG1ShortCircuit));
    CHECK(f.data[1] == (growatt_can::kG2ChargeUnderTemperature | growatt_can::kG2CellImbalance));
    CHECK(f.data[2] == (growatt_can::kG3ModuleUnderVoltage | growatt_can::kG3DischargeOverCurrent));
    CHECK(f.data[3] ==
          (growatt_can::kG4InternalCommsFailure | growatt_can::kG4DischargeOverTemperature));
    // Protection present: the status word says the error bytes are valid.
    CHECK(by_id(frames, 0x311).data[7] == (0x63 | growatt_can::kStatusErrorValid));
    // The pack in fault protection is reported by its address (module 3 = address 3).
    CHECK(by_id(frames, 0x319).data[7] == 3);
}

TEST_CASE("warnings alone do not mark the error bytes valid", "[can][growatt]") {
    Battery b = testing::example_battery(0);
    b.warnings.set(Alarm::cell_over_voltage);
    CHECK(by_id(growatt_can::encode(b, {}), 0x311).data[7] == 0x63);
}

TEST_CASE("force charge uses G5 bit 5 as the document asks, not Pylon's bit 4", "[can][growatt]") {
    Battery b = testing::example_battery(0);
    b.force_charge = true;
    CHECK(by_id(growatt_can::encode(b, {}), 0x319).data[0] ==
          (0xC0 | growatt_can::kG5ForceCharge1));
}

TEST_CASE("SOC and SOH stay single bytes with the SOH flag bit clear", "[can][growatt]") {
    Battery b = testing::example_battery(0);
    b.soc_centi = 10000;
    b.soh_centi = 65535;  // nonsense from upstream must not reach bit 7
    const auto& f = by_id(growatt_can::encode(b, {}), 0x313);
    CHECK(f.data[6] == 100);
    CHECK(f.data[7] == 100);
    CHECK((f.data[7] & growatt_can::kSohFlag) == 0);
}

TEST_CASE("charging current and sub-zero temperatures encode as signed big-endian",
          "[can][growatt]") {
    Battery b = testing::example_battery(0);
    b.temp_max_dc = -55;   // -5.5 degC = 0xFFC9
    b.current_ma = 20050;  // +20.05 A rounds to 20.1 A = 201 = 0x00C9
    const auto& f = by_id(growatt_can::encode(b, {}), 0x313);
    CHECK(bytes_of(f) == Bytes{0x14, 0x5A, 0x00, 0xC9, 0xFF, 0xC9, 0x43, 0x62});
}

TEST_CASE("pack and cell counts above 254 clamp to the document's range", "[can][growatt]") {
    Battery b = testing::example_battery(0);
    b.packs_counted = 255;
    b.cells_total = 16 * 20;
    const auto& f = by_id(growatt_can::encode(b, {}), 0x312);
    CHECK(f.data[4] == 254);
    CHECK(f.data[7] == 254);
}

TEST_CASE("a short or missing manufacturer code is space padded", "[can][growatt]") {
    growatt_can::Options o;
    o.manufacturer_code = "";
    o.abbreviation = "X";
    const auto frames = growatt_can::encode(testing::example_battery(0), o);
    CHECK(by_id(frames, 0x312).data[5] == ' ');
    CHECK(by_id(frames, 0x312).data[6] == ' ');
    CHECK(by_id(frames, 0x320).data[0] == 'X');
    CHECK(by_id(frames, 0x320).data[1] == ' ');
}

TEST_CASE("is_poll recognises the standard 0x301 whatever its payload, and nothing else",
          "[can][growatt]") {
    // The document's example poll data.
    CHECK(growatt_can::is_poll(
        poll(0x301, false, 8, {0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88})));
    CHECK(growatt_can::is_poll(poll(0x301, false, 0, {})));
    CHECK_FALSE(growatt_can::is_poll(poll(0x301, true, 8, {})));  // 29-bit 0x301 is another id
    CHECK_FALSE(growatt_can::is_poll(poll(0x305, false, 8, {})));
    CHECK_FALSE(growatt_can::is_poll(poll(0x311, false, 8, {})));
    CHECK_FALSE(growatt_can::is_poll(poll(0x300, false, 8, {0x01})));
}

TEST_CASE("the dry-run summary decodes each Growatt frame back to its values", "[can][growatt]") {
    const auto frames = growatt_can::encode(testing::example_battery(0), vector_options());
    CHECK(growatt_can::describe(by_id(frames, 0x311)) ==
          "limits CV 56.0 V CCL 100.0 A DCL 150.0 A status 0C63 (discharging, charge on, "
          "discharge on)");
    CHECK(growatt_can::describe(by_id(frames, 0x312)) ==
          "protection 00 00 warning 00 00, 3 packs, code 47 57, 48 cells");
    CHECK(growatt_can::describe(by_id(frames, 0x313)) ==
          "52.10 V -12.3 A max 26.0 degC SOC 67 % SOH 98 %");
    CHECK(growatt_can::describe(by_id(frames, 0x314)) ==
          "remaining 201.00 Ah full 300.00 Ah cell delta 11 mV 0 cycles");
    CHECK(growatt_can::describe(by_id(frames, 0x319)) ==
          "charge on, discharge on, max cell 3262 mV #7 min cell 3251 mV #44, fault pack 0");
    CHECK(growatt_can::describe(by_id(frames, 0x320)) == "\"GW\" HW 1 SW 1 2025-06-15 12:34:56");
    CHECK(growatt_can::describe(by_id(frames, 0x321)) == "update status 00 progress 0");
    CHECK(growatt_can::describe(poll(0x301, false, 8, {})) == "poll");
}
