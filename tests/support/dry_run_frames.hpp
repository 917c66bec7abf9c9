// SPDX-License-Identifier: Apache-2.0
#pragma once

// Reading `packbridge run --dry-run` output (candump lines with a wall-clock stamp) back in
// integration tests: when each frame went out and what it carried.

#include <string>
#include <vector>

namespace packbridge::testing {

struct DryRunFrame {
    double at = 0;        // seconds (wall clock, as printed)
    std::string id;       // "351"
    std::string payload;  // hex
};

std::vector<DryRunFrame> parse_dry_run(const std::string& log);
// The frames with one id, in order.
std::vector<DryRunFrame> frames_with_id(const std::vector<DryRunFrame>& all, const std::string& id);
// Little-endian 16-bit value at `byte` of a hex payload.
unsigned le16(const std::string& hex, std::size_t byte);
// The longest time between consecutive frames (seconds); 0 with fewer than two.
double longest_gap(const std::vector<DryRunFrame>& frames);

}  // namespace packbridge::testing
