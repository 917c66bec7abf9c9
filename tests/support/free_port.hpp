// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>

namespace packbridge::testing {

// A TCP port on 127.0.0.1 that was free a moment ago (bound to port 0, read back, closed): for
// the real services a test starts itself (mosquitto, the daemon's HTTP server).
std::uint16_t free_port();

}  // namespace packbridge::testing
