// SPDX-License-Identifier: Apache-2.0
// The alarm table of the PACE Modbus V1.3 map (SRNE variant "pace-modbus", inverter-rs485.md
// section 3.1): register 9 warnings, register 10 protections and the fault bits of register 11
// (its b8-b11 are state: charging, discharging and the MOSFETs, set by the encoder; b12 charge
// limiter, b14 charger reversed, b15 heater are not reported to packbridge by any pack). Bits
// the map leaves undefined have no row.
#include <array>

#include "packbridge/protocol/inverter/rs485/srne_rs485.hpp"

namespace packbridge::protocol {
namespace {

using namespace alarm_table;

// The map gives the warning and the protection flags the same bits 0-5 and 8-11.
constexpr Bit kWarningsAndProtections[] = {
    {0, "cell OV", Alarm::cell_over_voltage},
    {1, "cell UV", Alarm::cell_under_voltage},
    {2, "pack OV", Alarm::pack_over_voltage},
    {3, "pack UV", Alarm::pack_under_voltage},
    {4, "charge OC", Alarm::charge_over_current},
    {5, "discharge OC", Alarm::discharge_over_current},
    {8, "charge high T", Alarm::charge_over_temperature},
    {9, "discharge high T", Alarm::discharge_over_temperature},
    {10, "charge low T", Alarm::charge_under_temperature},
    {11, "discharge low T", Alarm::discharge_under_temperature},
};
constexpr Bit kWarnings[] = {
    {12, "env high T", Alarm::ambient_over_temperature},
    {13, "env low T", Alarm::ambient_under_temperature},
    {14, "MOSFET high T", Alarm::mosfet_over_temperature},
    {15, "SOC low", Alarm::low_soc},
};
constexpr Bit kProtections[] = {
    {6, "short circuit", Alarm::short_circuit},
    {7, "charger OV", {}, "the packs report no charger over-voltage to packbridge"},
    {12, "MOSFET OT", Alarm::mosfet_over_temperature},
    {13, "env high T", Alarm::ambient_over_temperature},
    {14, "env low T", Alarm::ambient_under_temperature},
};
constexpr std::string_view kOneFault =
    "packbridge keeps one internal_fault kind for every BMS fault; b4 cell fault carries it";
constexpr Bit kFaults[] = {
    {0, "charge MOSFET fault", {}, kOneFault}, {1, "discharge MOSFET fault", {}, kOneFault},
    {2, "temp sensor fault", {}, kOneFault},   {4, "cell fault", Alarm::internal_fault},
    {5, "AFE comm fault", {}, kOneFault},
};

constexpr std::string_view kWarningField = "warning flags (register 9)";
constexpr std::string_view kProtectionField = "protection flags (register 10)";
constexpr std::array<Field, 5> kFields{{
    {pace_reg::warnings, kWarningField, From::warnings, kWarningsAndProtections},
    {pace_reg::warnings, kWarningField, From::warnings, kWarnings},
    {pace_reg::protections, kProtectionField, From::protections, kWarningsAndProtections},
    {pace_reg::protections, kProtectionField, From::protections, kProtections},
    {pace_reg::status, "status/fault (register 11, b0-b5)", From::protections, kFaults},
}};

}  // namespace

std::span<const alarm_table::Field> pace_modbus_alarm_fields() {
    return kFields;
}

}  // namespace packbridge::protocol
