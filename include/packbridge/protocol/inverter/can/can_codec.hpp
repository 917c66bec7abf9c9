// SPDX-License-Identifier: Apache-2.0
#pragma once

// A CAN inverter protocol as the CAN side (service/can_side.hpp) drives it, type-erased so any
// encoder family fits. Built from the protocol table (catalogue/inverter_codecs.cpp); pure data
// and functions of a Battery, no IO.

#include <chrono>
#include <functional>
#include <string>
#include <vector>

#include "packbridge/battery.hpp"
#include "packbridge/clock.hpp"
#include "packbridge/protocol/inverter/can/can_frame.hpp"

namespace packbridge::protocol {

// What the CAN side needs from an inverter protocol (type-erased so any encoder family fits).
struct CanCodec {
    std::string name;  // "pylon", "victron", ...
    Duration period = std::chrono::seconds(1);
    std::function<std::vector<CanFrame>(const Battery&)> frames;
    std::function<std::string(const CanFrame&)> describe;  // one-line summary
    // Values of this battery the protocol cannot carry and sends clamped, one stable sentence
    // each (SMA drops out-of-range values silently): the CAN side logs each change. Optional.
    std::function<std::vector<std::string>(const Battery&)> clamped;
    // Said once when the side starts (a setting the protocol overrides, say).
    std::vector<std::string> notes;
    // Poll-driven protocols (Growatt 0x301): a frame the inverter sends to ask for a frame set
    // now. While polls arrive, the periodic output pauses; after `poll_fallback` of silence it
    // resumes so an inverter that never polls still gets data.
    std::function<bool(const CanFrame&)> is_poll;
    Duration poll_fallback = std::chrono::seconds(5);
    // The inverter is "seen" while it sent anything within this time.
    Duration alive_timeout = std::chrono::seconds(10);
};

}  // namespace packbridge::protocol
