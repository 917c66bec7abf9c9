// SPDX-License-Identifier: Apache-2.0
#pragma once

// Pylon LV CAN V1.2 (DIP 32: Pylon, Deye and the many inverters that speak it), battery ->
// inverter, little-endian, one frame set per second: 0x351 limits (+ DVL in bytes 6-7 as real
// packs send), 0x355 SOC/SOH, 0x356 V/A/T, 0x359 protection/alarm bits + module count + "PN",
// 0x35C request flags, 0x35E manufacturer name. Spec: inverter-can.md section 1. Pure.
//
// Two dialects share the encoder (Options::variant):
// * Sol-Ark LV V1.3 (section 2): every frame DLC 8, 0x356 voltage at 0.1 V by default
//   (configurable), 0x359 A2 bit 3 is "critical system error", plus 0x379 bank capacity.
// * Goodwe LV via YamBMS "PYLON V2" (section 4.8): Pylon plus the SMA/Victron extras 0x35A
//   (alarms/warnings, 2 bits each), 0x372 module counts, 0x373 cell/temperature extremes,
//   0x374-0x377 where they are, 0x379 capacity. Name default stays "PYLON" (kGoodweName optional).

#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "packbridge/battery.hpp"
#include "packbridge/protocol/inverter/alarm_table.hpp"
#include "packbridge/protocol/inverter/can/can_frame.hpp"

namespace packbridge::protocol::pylon_can {

// 0x359 byte 0 (P1), byte 1 (P2), byte 2 (A1), byte 3 (A2); 0x35C byte 0 (R). Bit 0 = LSB.
inline constexpr std::uint8_t kP1OverVoltage = 1U << 1;
inline constexpr std::uint8_t kP1UnderVoltage = 1U << 2;
inline constexpr std::uint8_t kP1OverTemperature = 1U << 3;
inline constexpr std::uint8_t kP1UnderTemperature = 1U << 4;
inline constexpr std::uint8_t kP1DischargeOverCurrent = 1U << 7;
inline constexpr std::uint8_t kP2ChargeOverCurrent = 1U << 0;
inline constexpr std::uint8_t kP2SystemError = 1U << 3;
inline constexpr std::uint8_t kA1HighVoltage = 1U << 1;
inline constexpr std::uint8_t kA1LowVoltage = 1U << 2;
inline constexpr std::uint8_t kA1HighTemperature = 1U << 3;
inline constexpr std::uint8_t kA1LowTemperature = 1U << 4;
inline constexpr std::uint8_t kA1DischargeHighCurrent = 1U << 7;
inline constexpr std::uint8_t kA2ChargeHighCurrent = 1U << 0;
inline constexpr std::uint8_t kA2InternalCommsFailure = 1U << 3;
inline constexpr std::uint8_t kA2CriticalSystemError = 1U << 3;  // Sol-Ark's name for the bit
inline constexpr std::uint8_t kRChargeEnable = 1U << 7;
inline constexpr std::uint8_t kRDischargeEnable = 1U << 6;
inline constexpr std::uint8_t kRForceCharge1 = 1U << 5;
inline constexpr std::uint8_t kRForceCharge2 = 1U << 4;
inline constexpr std::uint8_t kRFullChargeRequest = 1U << 3;

// 0x35E names the Goodwe side is known to use (section 4.8: neither is proven to be required).
inline constexpr const char* kGoodweName = "GOODWE";     // YamBMS "PYLON V2" name option
inline constexpr const char* kGoodweSmaName = "GoodWe";  // Goodwe/SMA V1.2 mapping sheet

enum class Variant : std::uint8_t {
    pylon,    // Pylon LV V1.2 / Deye (section 1)
    sol_ark,  // Sol-Ark LV V1.3 (section 2)
    goodwe,   // YamBMS "PYLON V2" for Goodwe ES/EM/BP (section 4.8)
};

// The 0x356 bytes 0-1 voltage unit. Pylon: 0.01 V. Sol-Ark's document: 0.1 V, while Pylontech
// packs on Sol-Ark send 0.01 V; which one the inverter parses is unproven (field-test it).
enum class VoltageScale : std::uint8_t { centivolt, decivolt };

struct Options {
    std::string name = "PYLON";  // 0x35E, ASCII, space padded to 8
    bool exact_dlc = false;      // real Pylontech DLCs (4/6/7/2) instead of 8 zero-padded;
                                 // ignored for Sol-Ark, which accepts 8-byte frames only
    Variant variant = Variant::pylon;
    VoltageScale sol_ark_voltage_scale = VoltageScale::decivolt;  // Sol-Ark only (vendor doc)
};

// The 0x359 alarm table (bytes 0-3: P1, P2 from the protections, A1, A2 from the warnings),
// one row per bit of the spec's lists (src/protocol/inverter/can/pylon_can_alarms.cpp).
std::span<const alarm_table::Field> alarm_fields(Variant variant = Variant::pylon);

// 0x359 bytes 0-3 (P1, P2, A1, A2) from the battery's protections and warnings through
// alarm_fields(). Luxpower uses the same bit table.
std::array<std::uint8_t, 4> alarm_bytes(const Battery& battery, Variant variant = Variant::pylon);

// 0x35C byte 0 from the bank's enables and requests. Luxpower sends the same byte.
std::uint8_t request_flags(const Battery& battery);

// The whole frame set for one period, in send order: the Pylon frames, then the variant's extras
// (Sol-Ark: 0x379; Goodwe: 0x35A, 0x372-0x377, 0x379).
std::vector<CanFrame> encode(const Battery& battery, const Options& options);

// "351 CVL 56.0 V CCL 100.0 A DCL 150.0 A DVL 48.0 V" for the dry run and trace logs. The options
// give the 0x356 voltage scale of the variant that produced the frame.
std::string describe(const CanFrame& frame, const Options& options = {});

}  // namespace packbridge::protocol::pylon_can
