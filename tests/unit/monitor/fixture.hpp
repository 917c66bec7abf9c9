// SPDX-License-Identifier: Apache-2.0
#pragma once

// The status document of the spec's example state (three counted packs at 1..3, a fourth pack
// known but lost), rendered by the real status::to_json: what the renderers get in the daemon.

#include <nlohmann/json.hpp>

#include "packbridge/status/status.hpp"
#include "support/example_state.hpp"

namespace packbridge::testing {

inline nlohmann::json example_status() {
    status::Snapshot s;
    s.now = TimePoint{} + seconds(30);
    s.battery = example_battery(123);
    s.bus_mode = "master";
    s.bus.requests_sent = 400;
    s.version = "test";
    s.inverter = {"can", "pylon", "up", milliseconds(800), 1234, 1200, 2, ""};
    for (std::uint8_t a = 1; a <= 4; ++a) {
        PackHealth h;
        h.online = a != 4;
        h.polls = 100;
        h.replies = a == 4 ? 60 : 100;
        h.timeouts = a == 4 ? 40 : 0;
        h.checksum_errors = a == 2 ? 3 : 0;
        h.last_latency = milliseconds(120);
        h.last_seen = s.now - (a == 4 ? seconds(25) : milliseconds(400));
        s.packs[a] = h;
        s.reading_at[a] = *h.last_seen;
    }
    return status::to_json(s);
}

}  // namespace packbridge::testing
