// SPDX-License-Identifier: Apache-2.0
#pragma once

// Luxpower "Battery CANBUS Protocol" V04 (DIP 0; Luxpower and EG4 "Lithium 6"), battery ->
// inverter, little-endian, one frame set per second. A Pylon V1.2 dialect whose spare bytes carry
// extras: 0x351 limits + discharge cut-off voltage, 0x355 SOC/SOH + max/min cell voltage, 0x356
// V/A + max/min cell temperature, 0x359 Pylon protection/alarm bits + module count + capacity
// (Ah, uint16 in bytes 5-6 as YamBMS packs it), 0x35C Pylon request flags + cycle count, 0x35E
// brand. Spec: inverter-can.md section 3. Pure.
//
// The bit tables of 0x359 and 0x35C are Pylon's: pylon_can::kP1... / kA1... / kR... apply.

#include <cstdint>
#include <string>
#include <vector>

#include "packbridge/battery.hpp"
#include "packbridge/protocol/inverter/can/can_frame.hpp"
#include "packbridge/protocol/inverter/can/pylon_can.hpp"

namespace packbridge::protocol::lux_can {

// What 0x356 bytes 4-5 (max cell temperature) carry relative to bytes 6-7 (min).
enum class MaxTemperature : std::uint8_t {
    as_measured,  // the bank's maximum, even when it equals the minimum
    // The spec's recommendation: the Luxpower firmware is suspected to dislike max == min (every
    // pack at the same temperature), so when max <= min the max goes out 0.1 degC above min.
    guard_equal,
    plus_tenth,  // YamBMS: always max + 0.1 degC (the spec's "variant" vector)
};

struct Options {
    std::string name = "GATEWAY";  // 0x35E, battery brand, free ASCII, space padded to 8
    MaxTemperature max_temperature = MaxTemperature::guard_equal;
    // 0x359 capacity width (section 8 open question): true = uint16 LE in bytes 5-6 (YamBMS,
    // reported working), false = byte 5 only as the V04 table draws it (clamped to 255 Ah).
    bool capacity_u16 = true;
};

// The whole frame set for one period, in send order (0x351, 0x355, 0x356, 0x359, 0x35C, 0x35E).
std::vector<CanFrame> encode(const Battery& battery, const Options& options);

// "355 SOC 67 % SOH 98 % max cell 3262 mV min cell 3251 mV" for the dry run and trace logs.
std::string describe(const CanFrame& frame);

}  // namespace packbridge::protocol::lux_can
