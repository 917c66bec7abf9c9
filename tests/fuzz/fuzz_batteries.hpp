// SPDX-License-Identifier: Apache-2.0
#pragma once

// The batteries the RS485 fuzz targets answer from: the spec's example (inverter-rs485.md 0.3,
// the real bank's output), the same in the safe state, and an empty one (no counted pack, yet
// transmitting) so encoders meet empty module and cell lists. Built once per process.

#include <cstdio>
#include <cstdlib>
#include <memory>
#include <vector>

#include "packbridge/battery.hpp"
#include "packbridge/catalogue.hpp"
#include "packbridge/protocol/inverter/rs485/rs485_responder.hpp"
#include "support/rs485_example.hpp"

namespace packbridge::fuzz {

inline const std::vector<Battery>& batteries() {
    static const std::vector<Battery> all = [] {
        std::vector<Battery> out;
        out.push_back(testing::rs485_example_battery());
        Battery safe = out.front();
        safe.safe_state = true;
        safe.charge_current.value = 0;
        safe.discharge_current.value = 0;
        safe.charge_enable = false;
        safe.discharge_enable = false;
        out.push_back(safe);
        Battery empty;
        empty.transmit = true;
        out.push_back(empty);
        return out;
    }();
    return all;
}

// make_rs485_responder() for a catalogue choice the target relies on; a refusal is a bug.
inline std::unique_ptr<protocol::Rs485Responder> responder(const InverterConfig& config) {
    auto made = catalogue::make_rs485_responder(config);
    if (!made.ok()) {
        std::fprintf(stderr, "make_rs485_responder: %s\n", made.error().describe().c_str());
        std::abort();
    }
    return std::move(made.value());
}

inline InverterConfig rs485_config(Protocol protocol, std::string variant = "") {
    InverterConfig c;
    c.link = Link::rs485;
    c.protocol = protocol;
    c.variant = std::move(variant);
    return c;
}

}  // namespace packbridge::fuzz
