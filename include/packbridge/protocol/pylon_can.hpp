#pragma once

// Pylon LV CAN V1.2 (DIP 32: Pylon, Deye and the many inverters that speak it), battery ->
// inverter, little-endian, one frame set per second: 0x351 limits (+ DVL in bytes 6-7 as real
// packs send), 0x355 SOC/SOH, 0x356 V/A/T, 0x359 protection/alarm bits + module count + "PN",
// 0x35C request flags, 0x35E manufacturer name. Spec: inverter-can.md section 1. Pure.

#include <string>
#include <vector>

#include "packbridge/battery.hpp"
#include "packbridge/protocol/can_frame.hpp"

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
inline constexpr std::uint8_t kRChargeEnable = 1U << 7;
inline constexpr std::uint8_t kRDischargeEnable = 1U << 6;
inline constexpr std::uint8_t kRForceCharge1 = 1U << 5;
inline constexpr std::uint8_t kRForceCharge2 = 1U << 4;
inline constexpr std::uint8_t kRFullChargeRequest = 1U << 3;

struct Options {
    std::string name = "PYLON";  // 0x35E, ASCII, space padded to 8
    bool exact_dlc = false;      // real Pylontech DLCs (4/6/7/2) instead of 8 zero-padded
};

// The whole frame set for one period, in send order.
std::vector<CanFrame> encode(const Battery& battery, const Options& options);

// "351 CVL 56.0 V CCL 100.0 A DCL 150.0 A DVL 48.0 V" for the dry run and trace logs.
std::string describe(const CanFrame& frame);

}  // namespace packbridge::protocol::pylon_can
