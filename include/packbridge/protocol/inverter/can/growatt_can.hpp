// SPDX-License-Identifier: Apache-2.0
#pragma once

// Growatt LV CAN ("Growatt BMS CAN-Bus-protocol-low-voltage Rev_04", V1.04; DIP 48, SPF "L51",
// SPH setup 01), battery -> inverter, BIG-endian, standard ids. The inverter polls with 0x301
// about once per second and the battery answers each poll with the whole set: 0x311 limits +
// status word, 0x312 protection/warning bits + pack and cell counts, 0x313 V/A/max T/SOC/SOH,
// 0x314 capacities (10 mAh) + cell delta + cycles, 0x319 request flags + max/min cell, 0x320
// manufacturer/versions/date, 0x321 update status. 0x315-0x318 (per-cell voltages) are optional
// and not sent for a parallel aggregate. Spec: inverter-can.md section 5. Pure.

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "packbridge/battery.hpp"
#include "packbridge/protocol/inverter/alarm_table.hpp"
#include "packbridge/protocol/inverter/can/can_frame.hpp"

namespace packbridge::protocol::growatt_can {

inline constexpr std::uint32_t kPollId = 0x301;

// 0x311 bytes 6-7: the status word (table S). Bit 0 is the LSB of the big-endian word (byte 7).
inline constexpr std::uint16_t kStatusStateMask = 0x0003;  // b0-1 battery status
inline constexpr std::uint16_t kStateSoftStart = 0x0000;
inline constexpr std::uint16_t kStateStandby = 0x0001;
inline constexpr std::uint16_t kStateCharging = 0x0002;
inline constexpr std::uint16_t kStateDischarging = 0x0003;
inline constexpr std::uint16_t kStatusErrorValid = 1U << 2;  // the protection bytes are valid
inline constexpr std::uint16_t kStatusBalancing = 1U << 3;
inline constexpr std::uint16_t kStatusSleep = 1U << 4;
inline constexpr std::uint16_t kStatusDischargeEnabled = 1U << 5;  // uncertain (section 5.4)
inline constexpr std::uint16_t kStatusChargeEnabled = 1U << 6;     // uncertain (section 5.4)
inline constexpr std::uint16_t kStatusTerminalOpen = 1U << 7;      // 0 = connected
inline constexpr unsigned kStatusBoxModeShift = 8;                 // b8-9 master box mode
inline constexpr unsigned kStatusSpStateShift = 10;                // b10-11, coded as b0-1

// 0x312 byte 0 (G1, protection), byte 1 (G2, protection), byte 2 (G3, warning), byte 3 (G4,
// warning). Bit 0 = LSB.
inline constexpr std::uint8_t kG1SoftStartFail = 1U << 0;
inline constexpr std::uint8_t kG1ModuleUnderVoltage = 1U << 1;
inline constexpr std::uint8_t kG1ModuleOverVoltage = 1U << 2;
inline constexpr std::uint8_t kG1CellUnderVoltage = 1U << 3;
inline constexpr std::uint8_t kG1CellOverVoltage = 1U << 4;
inline constexpr std::uint8_t kG1ShortCircuit = 1U << 5;
inline constexpr std::uint8_t kG1ChargeOverCurrent = 1U << 6;
inline constexpr std::uint8_t kG1DischargeOverCurrent = 1U << 7;
inline constexpr std::uint8_t kG2CellImbalance = 1U << 2;
inline constexpr std::uint8_t kG2SystemError = 1U << 3;
inline constexpr std::uint8_t kG2ChargeUnderTemperature = 1U << 4;
inline constexpr std::uint8_t kG2DischargeUnderTemperature = 1U << 5;
inline constexpr std::uint8_t kG2ChargeOverTemperature = 1U << 6;
inline constexpr std::uint8_t kG2DischargeOverTemperature = 1U << 7;
inline constexpr std::uint8_t kG3ModuleUnderVoltage = 1U << 1;
inline constexpr std::uint8_t kG3ModuleOverVoltage = 1U << 2;
inline constexpr std::uint8_t kG3CellUnderVoltage = 1U << 3;
inline constexpr std::uint8_t kG3CellOverVoltage = 1U << 4;
inline constexpr std::uint8_t kG3ChargeOverCurrent = 1U << 6;
inline constexpr std::uint8_t kG3DischargeOverCurrent = 1U << 7;
inline constexpr std::uint8_t kG4InternalCommsFailure = 1U << 0;
inline constexpr std::uint8_t kG4PackTurningOff = 1U << 1;  // translation garbled; never set
inline constexpr std::uint8_t kG4CellImbalance = 1U << 2;
inline constexpr std::uint8_t kG4ChargeUnderTemperature = 1U << 4;
inline constexpr std::uint8_t kG4DischargeUnderTemperature = 1U << 5;
inline constexpr std::uint8_t kG4ChargeOverTemperature = 1U << 6;
inline constexpr std::uint8_t kG4DischargeOverTemperature = 1U << 7;
// The 0x312 table: bytes 0-1 (G1, G2) from the protections, 2-3 (G3, G4) from the warnings,
// one row per bit of the spec's lists (src/protocol/inverter/can/growatt_can_alarms.cpp).
std::span<const alarm_table::Field> alarm_fields();

// 0x313 byte 7: b0-6 SOH %, b7 the "SOH flag" (unsafe use; packbridge never sets it).
inline constexpr std::uint8_t kSohValueMask = 0x7F;
inline constexpr std::uint8_t kSohFlag = 1U << 7;

// 0x319 byte 0 (G5).
inline constexpr std::uint8_t kG5ChargeEnable = 1U << 7;
inline constexpr std::uint8_t kG5DischargeEnable = 1U << 6;
inline constexpr std::uint8_t kG5ForceCharge1 = 1U << 5;  // the document: use this one
inline constexpr std::uint8_t kG5ForceCharge2 = 1U << 4;  // the document: "NULL"
inline constexpr std::uint8_t kG5TypeMask = 0x03;         // 00 LFP, 01 ternary, 10 LTO
inline constexpr std::uint8_t kG5TypeLfp = 0x00;

// 0x314 capacities are U16 in 10 mAh: 655.35 Ah is the most the field can say.
inline constexpr std::uint32_t kMaxCapacityMah = 655350;

// Master box operation mode, status word b8-9 (the inverter only displays it).
enum class BoxMode : std::uint8_t { standalone = 0, parallel = 1, parallel_ready = 2 };

// How 0x314 reports a bank above 655.35 Ah (section 5.5 leaves the choice to the project).
enum class CapacityMode : std::uint8_t {
    // Bank totals, each clamped to 655.35 Ah. Exact up to that size; above it remaining and full
    // both stick at 655.35 Ah (the inverter takes SOC from 0x313, 0x314 is displayed).
    clamp,
    // Totals divided by the counted packs ("module average", like 0x313's voltage), still clamped
    // for a single module above 655.35 Ah. Keeps remaining/full in proportion at any bank size.
    module_average,
};

// 0x320 bytes 4-7 date and time (civil, as the lead's clock gives it).
struct DateTime {
    std::uint16_t year = 2000;  // 2000-2063 (6 bits of year - 2000)
    std::uint8_t month = 1;     // 1-12
    std::uint8_t day = 1;       // 1-31
    std::uint8_t hour = 0;
    std::uint8_t minute = 0;
    std::uint8_t second = 0;
};

struct Options {
    std::string manufacturer_code = "GW";  // 0x312 bytes 5-6 (document example 0xAA 0xBB)
    std::string abbreviation = "GW";       // 0x320 bytes 0-1, two ASCII capitals
    std::uint8_t hardware_version = 1;     // 0x320 byte 2, 1-9
    std::uint8_t software_version = 1;     // 0x320 byte 3, 1-9
    std::optional<DateTime> time;          // 0x320 bytes 4-7; none = 0 (as Battery-Emulator)
    // Section 5.4: nobody knows whether real Growatt packs set status bits 5/6 ("output
    // discharge/charge status"); the spec's vector sets them from the enables, Battery-Emulator
    // never does. false = leave both clear.
    bool status_output_bits = true;
    BoxMode box_mode = BoxMode::standalone;  // section 8: unknown for an aggregate; vector 00
    CapacityMode capacity = CapacityMode::clamp;
};

// The 0x320 date word: b0-5 second, b6-11 minute, b12-16 hour, b17-21 day, b22-25 month,
// b26-31 year - 2000. Fields out of range are clamped into it.
std::uint32_t pack_time(const DateTime& time);

// The whole answer to one 0x301 poll, in send order (0x311-0x314, 0x319, 0x320, 0x321).
std::vector<CanFrame> encode(const Battery& battery, const Options& options);

// True for the inverter's poll: standard id 0x301, any DLC and payload (the document's example
// data 11 22 33 44 55 66 77 88 carries nothing). An extended 0x301 is a different id.
bool is_poll(const CanFrame& frame);

// "311 CV 56.0 V CCL 100.0 A DCL 150.0 A status 0C63" for the dry run and trace logs.
std::string describe(const CanFrame& frame);

}  // namespace packbridge::protocol::growatt_can
