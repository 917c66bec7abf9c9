// SPDX-License-Identifier: Apache-2.0
#include "packbridge/protocol/inverter/can/can_frame.hpp"

#include <cstdio>

namespace packbridge::protocol {

std::string to_candump(const CanFrame& frame) {
    char buf[64];
    int n = frame.extended ? std::snprintf(buf, sizeof buf, "%08X#", frame.id)
                           : std::snprintf(buf, sizeof buf, "%03X#", frame.id);
    std::string out(buf, static_cast<std::size_t>(n));
    for (std::uint8_t i = 0; i < frame.dlc && i < 8; ++i) {
        std::snprintf(buf, sizeof buf, "%02X", frame.data[i]);
        out += buf;
    }
    return out;
}

}  // namespace packbridge::protocol
