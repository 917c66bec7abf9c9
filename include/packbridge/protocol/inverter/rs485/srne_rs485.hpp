// SPDX-License-Identifier: Apache-2.0
#pragma once

// SRNE (DIP 0, pins 7A/8B). UNCONFIRMED PROTOCOL (inverter-rs485.md section 3): no SRNE
// document or capture of the battery link was found. Two hypotheses ship, chosen with
// `inverter.variant`:
//   * "pylon" (H1, default): Pylontech RS485 exactly as for Voltronic (PylonRs485Responder), for
//     SRNE inverters set to battery protocol PYL.
//   * "pace-modbus" (H2): the PACE BMS Modbus V1.3 register map ("WOW RS485 Modbus V1.3"), as
//     a Modbus RTU slave (0x01 unless rs485.address). This map has no CVL/CCL/DCL registers,
//     so with H2 the inverter uses its own charge settings.
// Capture a real SRNE before relying on either (docs/inverters-rs485.md).

#include <span>

#include "packbridge/protocol/inverter/alarm_table.hpp"
#include "packbridge/protocol/inverter/rs485/modbus_slave.hpp"

namespace packbridge::protocol {

// PACE Modbus V1.3 registers (decimal, as the document writes them).
namespace pace_reg {
inline constexpr std::uint16_t current = 0;
inline constexpr std::uint16_t voltage = 1;
inline constexpr std::uint16_t soc = 2;
inline constexpr std::uint16_t soh = 3;
inline constexpr std::uint16_t remaining = 4;
inline constexpr std::uint16_t full = 5;
inline constexpr std::uint16_t design = 6;
inline constexpr std::uint16_t cycles = 7;
inline constexpr std::uint16_t warnings = 9;
inline constexpr std::uint16_t protections = 10;
inline constexpr std::uint16_t status = 11;
inline constexpr std::uint16_t balance = 12;
inline constexpr std::uint16_t cells_first = 15;  // 15-30: cell 1..16, mV
inline constexpr std::uint16_t cells_count = 16;
inline constexpr std::uint16_t temps_first = 31;  // 31-34: cell temperatures, 0.1 degC
inline constexpr std::uint16_t temps_count = 4;
inline constexpr std::uint16_t mosfet_temp = 35;
inline constexpr std::uint16_t ambient_temp = 36;
inline constexpr std::uint16_t live_last = 36;
inline constexpr std::uint16_t text_first =
    150;  // 150-159 version, 160-169 model SN, 170-179 pack SN
inline constexpr std::uint16_t text_last = 179;
}  // namespace pace_reg

// The alarm table: registers 9 (warnings), 10 (protections) and the fault bits of 11, one row
// per bit the map lists (src/protocol/inverter/rs485/srne_rs485_alarms.cpp).
std::span<const alarm_table::Field> pace_modbus_alarm_fields();

class PaceModbusResponder final : public modbus::SlaveResponder {
  public:
    // PACE Modbus V1.3: timeout 200 ms.
    explicit PaceModbusResponder(std::uint8_t slave = 0x01)
        // The protection settings (60-114) are not served: packbridge's limits come from its
        // config, and an inverter must not rewrite them. Every write is exception 02.
        : SlaveResponder(slave, "srne-pace-modbus", milliseconds(200), std::nullopt) {}

  protected:
    modbus::ReadResult read(std::uint8_t function, std::uint16_t start, std::uint16_t count,
                            const Battery& battery) const override;
};

}  // namespace packbridge::protocol
