// SPDX-License-Identifier: Apache-2.0
// The 0x312 alarm table of Growatt LV V1.04 (inverter-can.md section 5.3: G1, G2 protections in
// bytes 0-1, G3, G4 warnings in bytes 2-3). Bits the spec leaves undefined (G2 b0-b1, G3 b0,
// b5, G4 b3) have no row and are never set.
#include <array>

#include "packbridge/protocol/inverter/can/growatt_can.hpp"

namespace packbridge::protocol::growatt_can {
namespace {

using namespace alarm_table;

// A hot MOSFET stops both directions.
constexpr AlarmSet kChargeHot =
    alarms({Alarm::charge_over_temperature, Alarm::mosfet_over_temperature});
constexpr AlarmSet kDischargeHot =
    alarms({Alarm::discharge_over_temperature, Alarm::mosfet_over_temperature});

constexpr Bit kG1[] = {
    {0, "soft-start fail", {}, "packbridge switches nothing and has no pre-charge to fail"},
    {1, "module under-voltage", Alarm::pack_under_voltage},
    {2, "module over-voltage", Alarm::pack_over_voltage},
    {3, "cell under-voltage", Alarm::cell_under_voltage},
    {4, "cell over-voltage", Alarm::cell_over_voltage},
    {5, "short-circuit on discharge", Alarm::short_circuit},
    {6, "charge over-current", Alarm::charge_over_current},
    {7, "discharge over-current", Alarm::discharge_over_current},
};
constexpr Bit kG2[] = {
    {2, "delta-V fail", Alarm::cell_imbalance},
    // The gateway's own safe-state alarms surface as a system error so the inverter shows why.
    {3, "system error", kSystemError},
    {4, "under-temperature while charging", Alarm::charge_under_temperature},
    {5, "under-temperature while discharging", Alarm::discharge_under_temperature},
    {6, "over-temperature while charging", kChargeHot},
    {7, "over-temperature while discharging", kDischargeHot},
};
constexpr Bit kG3[] = {
    {1, "module under-voltage", Alarm::pack_under_voltage},
    {2, "module over-voltage", Alarm::pack_over_voltage},
    {3, "cell under-voltage", Alarm::cell_under_voltage},
    {4, "cell over-voltage", Alarm::cell_over_voltage},
    {6, "charge over-current", Alarm::charge_over_current},
    {7, "discharge over-current", Alarm::discharge_over_current},
};
constexpr Bit kG4[] = {
    // A pack that stopped answering is the gateway's internal link to that module failing.
    {0, "internal communication fail", Alarm::pack_lost},
    {1,
     "pack about to turn off",
     {},
     "the translation is garbled and no pack reports an imminent power-off to packbridge"},
    {2, "delta-V fail", Alarm::cell_imbalance},
    {4, "under-temperature while charging", Alarm::charge_under_temperature},
    {5, "under-temperature while discharging", Alarm::discharge_under_temperature},
    {6, "over-temperature while charging", kChargeHot},
    {7, "over-temperature while discharging", kDischargeHot},
};

constexpr std::array<Field, 4> kFields{{
    {0, "G1 (0x312 byte 0)", From::protections, kG1},
    {1, "G2 (0x312 byte 1)", From::protections, kG2},
    {2, "G3 (0x312 byte 2)", From::warnings, kG3},
    {3, "G4 (0x312 byte 3)", From::warnings, kG4},
}};

}  // namespace

std::span<const alarm_table::Field> alarm_fields() {
    return kFields;
}

}  // namespace packbridge::protocol::growatt_can
