// SPDX-License-Identifier: Apache-2.0
#pragma once

// A classic CAN 2.0 frame as the pure encoders produce and the inbound handlers consume.
// Independent of SocketCAN's struct can_frame so the codecs build and test without <linux/can.h>.

#include <array>
#include <cstdint>
#include <string>

namespace packbridge::protocol {

struct CanFrame {
    std::uint32_t id = 0;  // 11-bit standard id, or 29-bit when extended
    bool extended = false;
    std::uint8_t dlc = 8;
    std::array<std::uint8_t, 8> data{};

    friend bool operator==(const CanFrame&, const CanFrame&) = default;
};

// candump log style payload: "351#3002E803DC05E001" (standard) / "00000305#..." (extended).
std::string to_candump(const CanFrame& frame);

}  // namespace packbridge::protocol
