// SPDX-License-Identifier: Apache-2.0
#pragma once

// The RS485 responders' own settings (inverter.rs485.pylon, inverter.rs485.voltronic): plain data
// the config loader fills and the codecs read, so no codec needs the config layer.

#include <cstdint>
#include <string>

namespace packbridge {

// Pylon RS485 towards Voltronic/MPP ("PYL") and SRNE variant "pylon" (inverter-rs485.md 1).
// Items the spec marks disputed are switches whose defaults are the spec's choices (1.7).
struct PylonRs485Config {
    std::uint8_t group = 0;    // ADR = 0x02 + 0x10 * group (0..7) unless rs485.address is set
    std::uint8_t ver = 0x20;   // VER in replies: 0x20 (genuine captures) or 0x28 (diyBMS, VM III)
    bool answer_adr0 = true;   // also answer requests sent to ADR 0x00 (python-pylontech does)
    bool dcl_negative = true;  // 0x47/0x92 DCL sent negative, as genuine Pylontech packs do
    std::uint32_t current_61_unit_ma = 10;    // 0x61 total current unit: 10 mA (default) or 1 mA
    std::uint32_t current_63_unit_ma = 100;   // 0x63 CCL/DCL unit: 100 mA (0.1 A, default) or 10 mA
    std::string manufacturer = "PYLON";       // 0x51/0x60; the device name is inverter.name
    std::uint16_t software_version = 0x0201;  // 0x51/0x60/0x96: two bytes
    std::uint32_t mainline_version = 0x020100;         // 0x96: three bytes
    std::string serial = "GW-AGG-000000001";           // 0x93: 16 ASCII characters
    std::string module_barcode_prefix = "GW-MODULE-";  // 0x60: prefix + module number, 16 chars
    // 0x47 system parameters that the Battery does not carry (alarm thresholds).
    std::uint16_t cell_high_mv = 3650;
    std::uint16_t cell_low_mv = 3050;
    std::uint16_t cell_under_mv = 2900;
    std::int16_t charge_temp_high_dc = 600;
    std::int16_t charge_temp_low_dc = 0;
    std::int16_t discharge_temp_high_dc = 600;
    std::int16_t discharge_temp_low_dc = -100;

    bool operator==(const PylonRs485Config&) const = default;
};

// Voltronic "Inverter and BMS 485" (LIb) reply length field (inverter-rs485.md 2.4).
enum class VoltronicLength {
    words,     // 2-byte DataLength in registers, as the document says (default)
    bytes,     // 2-byte DataLength in bytes (Seplos firmware)
    standard,  // standard Modbus: 1-byte byte count
};

struct Voltronic485Config {
    VoltronicLength length = VoltronicLength::words;

    bool operator==(const Voltronic485Config&) const = default;
};

}  // namespace packbridge
