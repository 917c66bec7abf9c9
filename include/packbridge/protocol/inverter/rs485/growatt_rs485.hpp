// SPDX-License-Identifier: Apache-2.0
#pragma once

// Growatt BMS RS485 protocol "1xSxxP ESS" V2.02 (DIP 48, SPF setting L01), inverter-rs485.md 4.
// Modbus RTU slave 0x01 at 9600 8N1. FC03 and FC04 read the same map (FC04 is not in the
// document; bridges answer it and it does no harm). Every address in 0x0000-0x0161 reads (zero
// where packbridge has nothing to say, as the "GT" variant does), beyond that is exception 02.
// FC06/FC10 writes inside the map (the 0x0013 handshake, 0x010C control) are acknowledged and
// ignored.

#include <array>
#include <cstdint>
#include <span>

#include "packbridge/protocol/inverter/alarm_table.hpp"
#include "packbridge/protocol/inverter/rs485/modbus_slave.hpp"

namespace packbridge::protocol {

namespace growatt_reg {
inline constexpr std::uint16_t first = 0x0000;
inline constexpr std::uint16_t last = 0x0161;
inline constexpr std::uint16_t current = 0x0010;
inline constexpr std::uint16_t status = 0x0013;
inline constexpr std::uint16_t error = 0x0014;
inline constexpr std::uint16_t soc = 0x0015;
inline constexpr std::uint16_t voltage = 0x0016;
inline constexpr std::uint16_t current2 = 0x0017;
inline constexpr std::uint16_t temperature = 0x0018;
inline constexpr std::uint16_t charge_limit = 0x0019;
inline constexpr std::uint16_t remaining = 0x001A;
inline constexpr std::uint16_t full = 0x001B;
inline constexpr std::uint16_t versions = 0x001C;
inline constexpr std::uint16_t cell_delta = 0x001D;
inline constexpr std::uint16_t cycles = 0x001E;
inline constexpr std::uint16_t box_info = 0x001F;
inline constexpr std::uint16_t soh = 0x0020;
inline constexpr std::uint16_t charge_voltage = 0x0021;
inline constexpr std::uint16_t warning = 0x0022;
inline constexpr std::uint16_t discharge_limit = 0x0023;
inline constexpr std::uint16_t extended_error = 0x0024;
inline constexpr std::uint16_t cell_max = 0x0025;
inline constexpr std::uint16_t cell_min = 0x0026;
inline constexpr std::uint16_t cell_max_number = 0x0027;
inline constexpr std::uint16_t cell_min_number = 0x0028;
inline constexpr std::uint16_t cells_in_series = 0x0029;
inline constexpr std::uint16_t cells_first = 0x0071;  // 0x0071-0x0080: cell 1..16, mV
inline constexpr std::uint16_t cells_count = 16;
}  // namespace growatt_reg

// Status register 0x0013 bits.
namespace growatt_status {
inline constexpr std::uint16_t state_standby = 0x0001;
inline constexpr std::uint16_t state_charging = 0x0002;
inline constexpr std::uint16_t state_discharging = 0x0003;
inline constexpr std::uint16_t error_valid = 1U << 2;
inline constexpr std::uint16_t balancing = 1U << 3;
inline constexpr std::uint16_t discharge_enabled = 1U << 5;
inline constexpr std::uint16_t charge_enabled = 1U << 6;
inline constexpr unsigned sp_status_shift = 10;  // b10-11: same coding as b0-1
inline constexpr std::uint16_t force_charge = 1U << 12;
}  // namespace growatt_status

// The alarm table: 0x0014 (protections), 0x0022 (warnings), 0x0024, one row per bit the
// document lists (src/protocol/inverter/rs485/growatt_rs485_alarms.cpp).
std::span<const alarm_table::Field> growatt_rs485_alarm_fields();

class GrowattRs485Responder final : public modbus::SlaveResponder {
  public:
    // Document: timeout 200 ms.
    explicit GrowattRs485Responder(std::uint8_t slave = 0x01)
        : SlaveResponder(slave, "growatt-rs485", milliseconds(200),
                         modbus::WritableRange{growatt_reg::first, growatt_reg::last}) {}

    [[nodiscard]] std::vector<std::string> clamped_registers(const Battery& battery) const override;

    // The register at `address` for this battery (0 for addresses packbridge leaves empty).
    static std::uint16_t register_value(std::uint16_t address, const Battery& battery);

  protected:
    modbus::ReadResult read(std::uint8_t function, std::uint16_t start, std::uint16_t count,
                            const Battery& battery) const override;
};

}  // namespace packbridge::protocol
