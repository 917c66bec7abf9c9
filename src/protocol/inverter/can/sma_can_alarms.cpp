// SPDX-License-Identifier: Apache-2.0
// The 0x35A alarm table of the SMA Sunny Island / Victron family (inverter-can.md section 4.3),
// shared by the SMA, Victron, Sofar and Goodwe/SMA profiles and by the Pylon "PYLON V2" (Goodwe)
// variant. One row per item; bit k of a field's word is item k, written on the wire as a pair
// (01 raised, 10 cleared) by put_items().
#include <array>

#include "packbridge/protocol/inverter/can/sma_can.hpp"

namespace packbridge::protocol::sma_can {
namespace {

using namespace alarm_table;

constexpr AlarmSet every_alarm() {
    AlarmSet set;
    for (std::size_t i = 0; i < kAlarmCount; ++i)
        set.set(static_cast<Alarm>(i));
    return set;
}

constexpr Bit kItems[] = {
    // Raised by any alarm at all, so that kinds without an item of their own (low SOC, ...)
    // still show up.
    {0, "general", every_alarm()},
    {1, "high battery voltage", alarms({Alarm::cell_over_voltage, Alarm::pack_over_voltage})},
    {2, "low battery voltage", alarms({Alarm::cell_under_voltage, Alarm::pack_under_voltage})},
    {3, "high temperature",
     alarms({Alarm::discharge_over_temperature, Alarm::mosfet_over_temperature,
             Alarm::ambient_over_temperature})},
    {4, "low temperature",
     alarms({Alarm::discharge_under_temperature, Alarm::ambient_under_temperature})},
    {5, "high temperature while charging", Alarm::charge_over_temperature},
    {6, "low temperature while charging", Alarm::charge_under_temperature},
    {7, "high (discharge) current", Alarm::discharge_over_current},
    {8, "high charge current", Alarm::charge_over_current},
    {9, "contactor", {}, "the gateway switches no contactor; always sent cleared"},
    {10, "short circuit", Alarm::short_circuit},
    // The gateway's own failures (packs lost, no data) are BMS-internal, like Pylon's system
    // error.
    {11, "BMS internal",
     alarms({Alarm::internal_fault, Alarm::quorum_lost, Alarm::bus_lost, Alarm::pack_lost})},
    {12, "cell imbalance", Alarm::cell_imbalance},
    {13, "reserved", {}, "SMA: not for BMS use; sent 00"},
    {14, "reserved", {}, "SMA: not for BMS use; sent 00"},
    {15, "generator", {}, "SMA: not for BMS use; sent 00"},
};

constexpr std::array<Field, 2> kFields{{
    {0, "alarms (0x35A bytes 0-3)", From::protections, kItems},
    {1, "warnings (0x35A bytes 4-7)", From::warnings, kItems},
}};

}  // namespace

std::span<const alarm_table::Field> alarm_fields() {
    return kFields;
}

std::uint16_t raised_items(const Battery& b, bool warnings) {
    return static_cast<std::uint16_t>(
        alarm_table::word(kFields, warnings ? 1 : 0, b.warnings, b.protections));
}

void put_items(std::span<std::uint8_t> block, std::uint16_t raised) {
    for (std::size_t k = 0; k < kDefinedItems; ++k) {
        const auto item = static_cast<Item>(k);
        const std::uint8_t pair = ((raised >> k) & 1U) != 0 ? kPairRaised : kPairCleared;
        block[item_byte(item)] |= static_cast<std::uint8_t>(pair << item_shift(item));
    }
}

}  // namespace packbridge::protocol::sma_can
