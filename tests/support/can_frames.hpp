// SPDX-License-Identifier: Apache-2.0
#pragma once

// Helpers the CAN encoder tests share: a frame's payload as bytes, and the frame with an id.

#include <catch2/catch.hpp>
#include <cstdint>
#include <stdexcept>
#include <vector>

#include "packbridge/protocol/inverter/can/can_frame.hpp"

namespace packbridge::testing {

using Bytes = std::vector<std::uint8_t>;

// The DLC bytes of the payload.
inline Bytes bytes_of(const protocol::CanFrame& f) {
    return {f.data.begin(), f.data.begin() + f.dlc};
}

// By value: callers pass the encoder's temporary vector straight in; a reference into it would
// dangle at the end of the statement (valgrind found exactly that once).
inline protocol::CanFrame by_id(const std::vector<protocol::CanFrame>& frames, std::uint32_t id) {
    for (const auto& f : frames) {
        if (f.id == id) return f;
    }
    FAIL("no frame " << std::hex << id);
    throw std::logic_error("unreachable");
}

}  // namespace packbridge::testing
