// SPDX-License-Identifier: Apache-2.0
// The one threshold every protocol's charging/discharging state bits use.
#include <catch2/catch.hpp>

#include "packbridge/battery.hpp"

using namespace packbridge;

TEST_CASE("A current beyond 0.1 A either way is charging or discharging, within it idle",
          "[battery]") {
    CHECK(flow_of(0) == Flow::idle);
    CHECK(flow_of(100) == Flow::idle);
    CHECK(flow_of(-100) == Flow::idle);
    CHECK(flow_of(101) == Flow::charging);
    CHECK(flow_of(-101) == Flow::discharging);
    Battery b;
    b.current_ma = -45'000;
    CHECK(b.flow() == Flow::discharging);
    Module m;
    m.current_ma = 2'000;
    CHECK(m.flow() == Flow::charging);
}
