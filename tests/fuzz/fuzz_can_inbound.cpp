// SPDX-License-Identifier: Apache-2.0
// Inverter -> battery CAN frames (inverter-can.md 1.1, 1.2, 3, 4.1, 5.1): any id, flag, DLC and
// payload through can_inbound::decode + describe, growatt_can::is_poll/describe and
// to_candump. Input (8..16 bytes used, shorter inputs padded with zeros):
//   bytes 0-3  id, little-endian (masked to 29 bits when extended, 11 bits otherwise)
//   byte 4     bit 0 = extended
//   byte 5     DLC, low nibble (0..15 as the wire's DLC field can say; above 8 counts as 8)
//   bytes 6-13 data
#include <array>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>

#include "packbridge/protocol/inverter/can/can_frame.hpp"
#include "packbridge/protocol/inverter/can/can_inbound.hpp"
#include "packbridge/protocol/inverter/can/growatt_can.hpp"

using namespace packbridge::protocol;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size < 8 || size > 16) return 0;
    std::array<std::uint8_t, 16> in{};
    for (std::size_t i = 0; i < size; ++i)
        in[i] = data[i];

    CanFrame frame;
    frame.id = static_cast<std::uint32_t>(in[0]) | static_cast<std::uint32_t>(in[1]) << 8 |
               static_cast<std::uint32_t>(in[2]) << 16 | static_cast<std::uint32_t>(in[3]) << 24;
    frame.extended = (in[4] & 0x01U) != 0;
    frame.id &= frame.extended ? 0x1FFFFFFFU : 0x7FFU;
    frame.dlc = static_cast<std::uint8_t>(in[5] & 0x0FU);
    for (std::size_t i = 0; i < frame.data.size(); ++i)
        frame.data[i] = in[6 + i];

    const auto inbound = can_inbound::decode(frame);
    if (inbound) {
        const std::string line = can_inbound::describe(*inbound);
        (void)can_inbound::to_string(inbound->kind);
        if (inbound->dlc > 8 || line.empty()) {
            std::fprintf(stderr, "can_inbound: DLC %u, describe \"%s\"\n", inbound->dlc,
                         line.c_str());
            std::abort();
        }
    }
    const bool poll = growatt_can::is_poll(frame);
    if (poll && (frame.extended || frame.id != growatt_can::kPollId)) std::abort();
    (void)growatt_can::describe(frame);
    (void)to_candump(frame);
    return 0;
}
