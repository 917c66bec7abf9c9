// SPDX-License-Identifier: Apache-2.0
// The alarm table of Growatt BMS RS485 V2.02 (inverter-rs485.md section 4.2): register 0x0014
// error (protections), 0x0022 warning (warnings; its b14-b15 are the chemistry, 00 = LFP, not
// alarms) and 0x0024 extended error. Bits the document leaves undefined have no row.
#include <array>

#include "packbridge/protocol/inverter/rs485/growatt_rs485.hpp"

namespace packbridge::protocol {
namespace {

using namespace alarm_table;

constexpr Bit kError[] = {
    {0, "over-current discharge", Alarm::discharge_over_current},
    {1, "short circuit", Alarm::short_circuit},
    {2, "over-voltage", alarms({Alarm::cell_over_voltage, Alarm::pack_over_voltage})},
    {3, "under-voltage", alarms({Alarm::cell_under_voltage, Alarm::pack_under_voltage})},
    {4, "over-temp discharge", Alarm::discharge_over_temperature},
    {5, "over-temp charge", Alarm::charge_over_temperature},
    {6, "under-temp discharge", Alarm::discharge_under_temperature},
    {7, "under-temp charge", Alarm::charge_under_temperature},
    {8, "soft-start fail", {}, "packbridge switches nothing and has no pre-charge to fail"},
    {9, "permanent fault", Alarm::internal_fault},
    {10, "delta-V fail", Alarm::cell_imbalance},
    {11, "over-current charge", Alarm::charge_over_current},
    {12, "MOSFET over-temp", Alarm::mosfet_over_temperature},
    {13, "env over-temp", Alarm::ambient_over_temperature},
    {14, "env under-temp", Alarm::ambient_under_temperature},
};
constexpr Bit kWarning[] = {
    {0, "cell OV", Alarm::cell_over_voltage},
    {1, "cell UV", Alarm::cell_under_voltage},
    {2, "pack OV", Alarm::pack_over_voltage},
    {3, "pack UV", Alarm::pack_under_voltage},
    {4, "discharge OC", Alarm::discharge_over_current},
    {5, "charge OC", Alarm::charge_over_current},
    {6, "discharge high T", Alarm::discharge_over_temperature},
    {7, "discharge low T", Alarm::discharge_under_temperature},
    {8, "charge high T", Alarm::charge_over_temperature},
    {9, "charge low T", Alarm::charge_under_temperature},
    {10, "MOSFET high T", Alarm::mosfet_over_temperature},
    {11, "env high T", Alarm::ambient_over_temperature},
    {12, "env low T", Alarm::ambient_under_temperature},
    {13,
     "pre-shutdown low voltage",
     {},
     "no pack announces a low-voltage shutdown to packbridge; b3 pack UV carries the warning"},
};
constexpr std::string_view kOneBox =
    "describes one Growatt box's own modules; packbridge presents one battery";
constexpr Bit kExtendedError[] = {
    {0, "DIP mismatch between modules", {}, kOneBox},
    {1, "firmware mismatch", {}, kOneBox},
    {2, "no SN", {}, kOneBox},
    // A lost pack is dropped by the bank and the others carry on: an error here could stop an
    // SPF that still has a working battery.
    {3, "LMU comm lost (master)", {}, "the bank drops a lost pack and the rest carry on"},
    {4, "LMU comm lost (slave)", {}, "the bank drops a lost pack and the rest carry on"},
};

using namespace growatt_reg;
constexpr std::array<Field, 3> kFields{{
    {error, "error (0x0014)", From::protections, kError},
    {warning, "warning (0x0022)", From::warnings, kWarning},
    {extended_error, "extended error (0x0024)", From::protections, kExtendedError},
}};

}  // namespace

std::span<const alarm_table::Field> growatt_rs485_alarm_fields() {
    return kFields;
}

}  // namespace packbridge::protocol
