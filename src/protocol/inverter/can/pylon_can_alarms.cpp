// SPDX-License-Identifier: Apache-2.0
// The 0x359 alarm table of Pylon LV V1.2 (inverter-can.md section 1.2, tables P1, P2, A1, A2),
// with Sol-Ark's reading of A2 bit 3 (section 2). Luxpower V04 uses the same table (section 3).
// Bits the spec leaves unused (P1 b0, b5, b6; P2 b1, b2, b4-b7; A1 b0, b5, b6; A2 b1, b2,
// b4-b7) have no row and are never set.
#include <array>

#include "packbridge/protocol/inverter/can/pylon_can.hpp"

namespace packbridge::protocol::pylon_can {
namespace {

using namespace alarm_table;

constexpr AlarmSet kOverVoltage = alarms({Alarm::cell_over_voltage, Alarm::pack_over_voltage});
constexpr AlarmSet kUnderVoltage = alarms({Alarm::cell_under_voltage, Alarm::pack_under_voltage});
// "Cell over-temperature": the cells on either side, and a hot MOSFET, which stops the pack the
// same way. Ambient temperatures are not the cells': the spec has no bit for them.
constexpr AlarmSet kOverTemperature =
    alarms({Alarm::charge_over_temperature, Alarm::discharge_over_temperature,
            Alarm::mosfet_over_temperature});
constexpr AlarmSet kUnderTemperature =
    alarms({Alarm::charge_under_temperature, Alarm::discharge_under_temperature});

constexpr Bit kP1[] = {
    {1, "cell/module over-voltage", kOverVoltage},
    {2, "cell/module under-voltage", kUnderVoltage},
    {3, "cell over-temperature", kOverTemperature},
    {4, "cell under-temperature", kUnderTemperature},
    // A short circuit is the extreme discharge over-current: the BMS opened the discharge path.
    {7, "discharge over-current", alarms({Alarm::discharge_over_current, Alarm::short_circuit})},
};
constexpr Bit kP2[] = {
    {0, "charge over-current", Alarm::charge_over_current},
    // The gateway's own safe-state alarms surface as a system error so the inverter shows why.
    {3, "system error", kSystemError},
};
constexpr Bit kA1[] = {
    {1, "cell/module high voltage", kOverVoltage},
    {2, "low voltage", kUnderVoltage},
    {3, "high temperature", kOverTemperature},
    {4, "low temperature", kUnderTemperature},
    {7, "discharge high current", Alarm::discharge_over_current},
};
constexpr Bit kA2[] = {
    {0, "charge high current", Alarm::charge_over_current},
    // A pack that stopped answering is the gateway's internal link to that module failing.
    {3, "internal communication failure", Alarm::pack_lost},
};
constexpr Bit kA2SolArkWarnings[] = {
    {0, "charge high current", Alarm::charge_over_current},
};
// Sol-Ark calls A2 bit 3 "critical system error": the gateway's system error, not the loss of
// one pack (which the module count in byte 4 already shows).
constexpr Bit kA2SolArkProtections[] = {
    {3, "critical system error", kSystemError},
};

constexpr std::array<Field, 4> kFields{{
    {0, "P1 (0x359 byte 0)", From::protections, kP1},
    {1, "P2 (0x359 byte 1)", From::protections, kP2},
    {2, "A1 (0x359 byte 2)", From::warnings, kA1},
    {3, "A2 (0x359 byte 3)", From::warnings, kA2},
}};
constexpr std::array<Field, 5> kSolArkFields{{
    {0, "P1 (0x359 byte 0)", From::protections, kP1},
    {1, "P2 (0x359 byte 1)", From::protections, kP2},
    {2, "A1 (0x359 byte 2)", From::warnings, kA1},
    {3, "A2 (0x359 byte 3)", From::warnings, kA2SolArkWarnings},
    {3, "A2 (0x359 byte 3)", From::protections, kA2SolArkProtections},
}};

}  // namespace

std::span<const alarm_table::Field> alarm_fields(Variant variant) {
    if (variant == Variant::sol_ark) return kSolArkFields;
    return kFields;
}

std::array<std::uint8_t, 4> alarm_bytes(const Battery& b, Variant variant) {
    std::array<std::uint8_t, 4> out{};
    for (std::uint16_t i = 0; i < out.size(); ++i) {
        out[i] = static_cast<std::uint8_t>(
            alarm_table::word(alarm_fields(variant), i, b.warnings, b.protections));
    }
    return out;
}

}  // namespace packbridge::protocol::pylon_can
