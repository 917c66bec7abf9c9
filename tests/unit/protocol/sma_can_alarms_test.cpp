// SPDX-License-Identifier: Apache-2.0
// 0x35A of the SMA Sunny Island / Victron family (inverter-can.md section 4.3), row by row, for
// every profile of the family and for the Pylon "PYLON V2" (Goodwe) variant that sends it too.
#include <catch2/catch.hpp>

#include "alarm_spec_rows.hpp"
#include "packbridge/protocol/inverter/can/pylon_can.hpp"
#include "packbridge/protocol/inverter/can/sma_can.hpp"
#include "support/example_state.hpp"

using namespace packbridge;
using namespace packbridge::protocol;
using namespace packbridge::testing;

namespace {

// The 16 items of section 4.3's layout, for one block (alarms or warnings).
void add_items(std::vector<SpecBit>& rows, std::uint16_t index, From from) {
    using A = Alarm;
    std::vector<Alarm> every;
    for (std::size_t i = 0; i < kAlarmCount; ++i)
        every.push_back(static_cast<Alarm>(i));
    const std::vector<SpecBit> items = {
        {index, 0, from, "general", every},
        {index, 1, from, "high battery voltage", {A::cell_over_voltage, A::pack_over_voltage}},
        {index, 2, from, "low battery voltage", {A::cell_under_voltage, A::pack_under_voltage}},
        {index,
         3,
         from,
         "high temperature",
         {A::discharge_over_temperature, A::mosfet_over_temperature, A::ambient_over_temperature}},
        {index,
         4,
         from,
         "low temperature",
         {A::discharge_under_temperature, A::ambient_under_temperature}},
        {index, 5, from, "high temperature while charging", {A::charge_over_temperature}},
        {index, 6, from, "low temperature while charging", {A::charge_under_temperature}},
        {index, 7, from, "high (discharge) current", {A::discharge_over_current}},
        {index, 8, from, "high charge current", {A::charge_over_current}},
        {index, 9, from, "contactor", {}},
        {index, 10, from, "short circuit", {A::short_circuit}},
        {index,
         11,
         from,
         "BMS internal",
         {A::internal_fault, A::quorum_lost, A::bus_lost, A::pack_lost}},
        {index, 12, from, "cell imbalance", {A::cell_imbalance}},
        {index, 13, from, "reserved", {}},
        {index, 14, from, "reserved", {}},
        {index, 15, from, "generator", {}},
    };
    rows.insert(rows.end(), items.begin(), items.end());
}

std::vector<SpecBit> spec() {
    std::vector<SpecBit> rows;
    add_items(rows, 0, From::protections);
    add_items(rows, 1, From::warnings);
    return rows;
}

// The raised items of each block of the 0x35A sent, after checking every pair: items 0-12
// raised (01) or cleared (10), reserved items 13-15 00.
Words items(const std::vector<CanFrame>& frames) {
    Words w;
    for (const auto& f : frames) {
        if (f.id != 0x35A) continue;
        for (std::uint16_t block = 0; block < 2; ++block) {
            std::uint32_t raised = 0;
            for (unsigned k = 0; k < 16; ++k) {
                const unsigned pair = (f.data[4U * block + k / 4] >> (2 * (k % 4))) & 0b11U;
                INFO("block " << block << " item " << k);
                if (k >= sma_can::kDefinedItems) {
                    CHECK(pair == 0b00);
                } else {
                    CHECK((pair == sma_can::kPairRaised || pair == sma_can::kPairCleared));
                }
                if (pair == sma_can::kPairRaised) raised |= 1U << k;
            }
            w[block] = raised;
        }
    }
    REQUIRE(w.size() == 2);
    return w;
}

}  // namespace

TEST_CASE("every 0x35A item of the spec's layout is a row of the SMA-family table",
          "[alarms][sma]") {
    check_table_matches_spec(sma_can::alarm_fields(), spec());
}

TEST_CASE("each packbridge alarm alone raises exactly its 0x35A items, in every SMA-family profile",
          "[alarms][sma]") {
    for (auto profile : {sma_can::Profile::sma, sma_can::Profile::victron, sma_can::Profile::sofar,
                         sma_can::Profile::goodwe}) {
        INFO("profile " << static_cast<int>(profile));
        sma_can::Options o;
        o.profile = profile;
        check_each_alarm_alone(spec(), example_battery(0), [&](const Battery& b) {
            return items(sma_can::encode(b, o).frames);
        });
    }
}

TEST_CASE("each packbridge alarm alone raises exactly its 0x35A items in the Pylon Goodwe variant",
          "[alarms][pylon][goodwe]") {
    pylon_can::Options o;
    o.variant = pylon_can::Variant::goodwe;
    check_each_alarm_alone(spec(), example_battery(0),
                           [&](const Battery& b) { return items(pylon_can::encode(b, o)); });
}
