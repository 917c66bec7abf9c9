// SPDX-License-Identifier: Apache-2.0
#pragma once

// 0x351, the limits frame SMA defined and Pylon, Luxpower, Victron and others copied: CVL u16,
// CCL s16, DCL s16, DVL u16, little-endian, 0.1 V and 0.1 A (inverter-can.md sections 0.2, 1.1).
// Pure.

#include <string>

#include "packbridge/battery.hpp"
#include "packbridge/protocol/inverter/can/can_frame.hpp"

namespace packbridge::protocol {

// The frame as Pylon and Luxpower send it: the bank's limits, rounded, clamped only to the
// fields' ranges (SMA's own ranges are sma_can's).
CanFrame limits_frame(const Battery& battery);

// "limits CVL 56.0 V CCL 100.0 A DCL 150.0 A DVL 48.0 V"
std::string describe_limits_frame(const CanFrame& frame);

}  // namespace packbridge::protocol
