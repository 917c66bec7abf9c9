// SPDX-License-Identifier: Apache-2.0
#pragma once

// Reads registers from an RS485 responder the way an inverter does (an FC03 request with its
// CRC through answer()), for the Modbus-style alarm table tests.

#include <catch2/catch.hpp>
#include <cstdint>
#include <vector>

#include "packbridge/protocol/inverter/rs485/rs485_responder.hpp"
#include "packbridge/protocol/modbus/modbus_rtu.hpp"

namespace packbridge::testing {

// The registers start..start+count-1; `header` is the reply's bytes before the data (3 for
// standard Modbus, 4 for Voltronic-485's two-byte length).
inline std::vector<std::uint16_t> read_registers(protocol::Rs485Responder& r, const Battery& b,
                                                 std::uint16_t start, std::uint16_t count,
                                                 std::size_t header = 3) {
    const auto request = protocol::modbus::read_request(0x01, 0x03, start, count);
    const auto reply = r.answer(request, b, TimePoint{});
    REQUIRE(reply.has_value());
    REQUIRE(reply->size() == header + 2U * count + 2U);
    std::vector<std::uint16_t> out;
    for (std::size_t i = 0; i < count; ++i) {
        out.push_back(static_cast<std::uint16_t>(((*reply)[header + 2 * i] << 8) |
                                                 (*reply)[header + 2 * i + 1]));
    }
    return out;
}

}  // namespace packbridge::testing
