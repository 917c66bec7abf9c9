// SPDX-License-Identifier: Apache-2.0
// The alarm table of Voltronic-485 (inverter-rs485.md section 2.2, registers 0x0037-0x003C).
// The document lists hardware-level bits (AFE, driver, CAN-ID, second-level protections,
// shutdown by command) that describe one BMS's own electronics: packbridge aggregates packs
// through their reported kinds only, so those rows say why they are never set. Bits the document
// leaves undefined have no row.
#include <array>

#include "packbridge/protocol/inverter/rs485/voltronic_rs485.hpp"

namespace packbridge::protocol {
namespace {

using namespace alarm_table;

constexpr std::string_view kHardware =
    "a BMS hardware detail; the packs report kinds, not their electronics";
constexpr std::string_view kSecondLevel =
    "packbridge has one protection per kind; the first-level bit carries it";
constexpr std::string_view kCommand = "packbridge never shuts a pack down";
constexpr std::string_view kCanId = "the packs are on RS485 polled by address, there is no CAN id";

constexpr Bit kChargeAlarm[] = {
    {0, "charge over-temperature", Alarm::charge_over_temperature},
    {1, "cell over-voltage", Alarm::cell_over_voltage},
    {2, "charge low temperature", Alarm::charge_under_temperature},
    {3, "charge over-current", Alarm::charge_over_current},
};
constexpr Bit kDischargeAlarm[] = {
    {0, "discharge over-temperature", Alarm::discharge_over_temperature},
    {1, "discharge low temperature", Alarm::discharge_under_temperature},
    {2, "MOSFET over-temperature", Alarm::mosfet_over_temperature},
    {3, "cell low voltage", Alarm::cell_under_voltage},
};
constexpr Bit kChargeProtect[] = {
    {0, "in system", {}, "a BMS-internal state flag without a packbridge meaning"},
    {1, "driver not ready", {}, kHardware},
    {2, "AFE comm", {}, kHardware},
    {3, "AFE OCC", {}, kHardware},
    {4, "AFE OCD", {}, kHardware},
    {5, "AFE short", {}, "a short circuit is reported in discharge protect 2 b1"},
    {6, "MOSFET OT", Alarm::mosfet_over_temperature},
    {7, "safety UV", {}, "under-voltage stops discharging; discharge protect b11/b15 carry it"},
    {8, "charge high temp", Alarm::charge_over_temperature},
    {9, "charge low temp", Alarm::charge_under_temperature},
    {10, "cell OV", Alarm::cell_over_voltage},
    {11, "OCC", Alarm::charge_over_current},
    // The module's own over-voltage protection sits above the cells' (the second level).
    {12, "2nd-level OVP", Alarm::pack_over_voltage},
    {13, "CAN-ID incomplete", {}, kCanId},
    {15, "OCC2", {}, kSecondLevel},
};
constexpr Bit kChargeProtect2[] = {
    {0, "shutdown by command", {}, kCommand},
    {1,
     "low-V shutdown",
     {},
     "a low-voltage shutdown is a discharge-side event (discharge protect b15)"},
    {2, "charge short", {}, "a short circuit is reported in discharge protect 2 b1"},
    {3, "CAN-ID error", {}, kCanId},
};
constexpr Bit kDischargeProtect[] = {
    {0, "in system", {}, "a BMS-internal state flag without a packbridge meaning"},
    {1, "driver", {}, kHardware},
    {2, "AFE OCC", {}, kHardware},
    {3, "AFE OCD", {}, kHardware},
    {4, "AFE short", {}, "a short circuit is reported in discharge protect 2 b1"},
    {6, "ID error", {}, kCanId},
    {10, "MOSFET OT", Alarm::mosfet_over_temperature},
    {11, "cell UV", Alarm::cell_under_voltage},
    {12, "OCD", Alarm::discharge_over_current},
    {13, "low temp", Alarm::discharge_under_temperature},
    {14, "over-temp", Alarm::discharge_over_temperature},
    // The module's under-voltage protection is the pack shutting down for low voltage.
    {15, "low-V shutdown", Alarm::pack_under_voltage},
};
constexpr Bit kDischargeProtect2[] = {
    {0, "AFE comm", {}, kHardware},
    {1, "short", Alarm::short_circuit},
    {2, "OCD2", {}, kSecondLevel},
    {4, "2nd-level OVP", {}, kSecondLevel},
    {5, "2nd-level DHT", {}, kSecondLevel},
    {6, "shutdown by command", {}, kCommand},
    {13, "CAN-ID", {}, kCanId},
};

using namespace voltronic_reg;
constexpr std::array<Field, 6> kFields{{
    {charge_alarm, "charge alarm (0x0037)", From::warnings, kChargeAlarm},
    {discharge_alarm, "discharge alarm (0x0038)", From::warnings, kDischargeAlarm},
    {charge_protect, "charge protect (0x0039)", From::protections, kChargeProtect},
    {charge_protect2, "charge protect 2 (0x003A)", From::protections, kChargeProtect2},
    {discharge_protect, "discharge protect (0x003B)", From::protections, kDischargeProtect},
    {discharge_protect2, "discharge protect 2 (0x003C)", From::protections, kDischargeProtect2},
}};

}  // namespace

std::span<const alarm_table::Field> voltronic_alarm_fields() {
    return kFields;
}

}  // namespace packbridge::protocol
