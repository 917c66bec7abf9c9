// SPDX-License-Identifier: Apache-2.0
#pragma once

// Voltronic "Inverter and BMS 485 communication protocol" (battery type LIb), inverter-rs485.md
// section 2: selectable for DIP 32 with inverter.variant = "voltronic-485". Requests are
// standard Modbus FC03 reads of slave 0x01 (the common ID); the read reply is NOT standard:
// `ID 03 DataLength(2 bytes) data CRC`, DataLength in registers by the document. Because the
// inverter side of this is unknown (section 2.4), the length field is a switch
// (inverter.rs485.voltronic.length: words | bytes | standard).
// Addresses 0x0000-0x0077 read (0x0000 where the document has nothing: "If the parameter
// doesn't exist, return 0x0000"); beyond, and unknown function codes, answer error code 0x02
// ("command type does not exist", the document's code). A bad CRC stays silent: answering
// noise on a shared line is worse than the document's CRC-error reply.

#include <span>

#include "packbridge/protocol/inverter/alarm_table.hpp"
#include "packbridge/protocol/inverter/rs485/modbus_slave.hpp"
#include "packbridge/protocol/inverter/rs485/rs485_settings.hpp"

namespace packbridge::protocol {

namespace voltronic_reg {
inline constexpr std::uint16_t last = 0x0077;
inline constexpr std::uint16_t cell_count = 0x0010;
inline constexpr std::uint16_t cells_first = 0x0011;  // 0x0011-0x0024: 20 cells, mV
inline constexpr std::uint16_t cells_max = 20;
inline constexpr std::uint16_t temp_count = 0x0025;
inline constexpr std::uint16_t temps_first = 0x0026;  // 0x0026-0x002F: 10 sensors, 0.1 K
inline constexpr std::uint16_t charge_current = 0x0030;
inline constexpr std::uint16_t discharge_current = 0x0031;
inline constexpr std::uint16_t voltage = 0x0032;
inline constexpr std::uint16_t soc = 0x0033;
inline constexpr std::uint16_t full_capacity = 0x0034;  // u32, high word first
inline constexpr std::uint16_t packs = 0x0036;
inline constexpr std::uint16_t charge_alarm = 0x0037;
inline constexpr std::uint16_t discharge_alarm = 0x0038;
inline constexpr std::uint16_t charge_protect = 0x0039;
inline constexpr std::uint16_t charge_protect2 = 0x003A;
inline constexpr std::uint16_t discharge_protect = 0x003B;
inline constexpr std::uint16_t discharge_protect2 = 0x003C;
inline constexpr std::uint16_t pack_design_capacity = 0x003E;  // u32
// State pairs: two state bytes per register (00 normal, 01 under, 02 over, F0 other), the
// odd-numbered item in the high byte. 0x0040-0x0049: cells 1-20; 0x0050-0x0054: sensors 1-10.
// 0x004A, 0x0055 and 0x0060-0x0069 ("module/cell voltage, current and temperature states")
// have no layout in the document: they stay 0x0000 ("normal"), the alarm registers carry those.
inline constexpr std::uint16_t cell_states_first = 0x0040;
inline constexpr std::uint16_t temp_states_first = 0x0050;
inline constexpr std::uint16_t charge_voltage_limit = 0x0070;
inline constexpr std::uint16_t discharge_voltage_limit = 0x0071;
inline constexpr std::uint16_t charge_current_limit = 0x0072;
inline constexpr std::uint16_t discharge_current_limit = 0x0073;
inline constexpr std::uint16_t status = 0x0074;
inline constexpr std::uint16_t minutes_to_empty = 0x0075;
inline constexpr std::uint16_t remaining_capacity = 0x0076;  // u32
}  // namespace voltronic_reg

// The alarm table: 0x0037/0x0038 from the warnings, 0x0039-0x003C from the protections, one row
// per bit the document lists (src/protocol/inverter/rs485/voltronic_rs485_alarms.cpp).
std::span<const alarm_table::Field> voltronic_alarm_fields();

class VoltronicRs485Responder final : public modbus::SlaveResponder {
  public:
    explicit VoltronicRs485Responder(std::uint8_t slave = 0x01,
                                     VoltronicLength length = VoltronicLength::words)
        // The deadline is not documented; answer as fast as the Pylon side (~100 ms).
        : SlaveResponder(slave, "voltronic-485", milliseconds(100),
                         modbus::WritableRange{0, voltronic_reg::last}),
          length_(length) {}

  protected:
    modbus::ReadResult read(std::uint8_t function, std::uint16_t start, std::uint16_t count,
                            const Battery& battery) const override;
    std::vector<std::uint8_t> read_reply_frame(
        std::uint8_t function, std::span<const std::uint16_t> registers) const override;
    [[nodiscard]] modbus::Exception unknown_function_code() const override {
        return modbus::Exception::illegal_address;
    }
    [[nodiscard]] bool serves_read(std::uint8_t function) const override {
        return function == modbus::fc::read_holding;
    }

  private:
    VoltronicLength length_;
};

}  // namespace packbridge::protocol
