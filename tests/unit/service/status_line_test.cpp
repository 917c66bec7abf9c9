// SPDX-License-Identifier: Apache-2.0
#include "packbridge/service/status_line.hpp"

#include <catch2/catch.hpp>

using namespace packbridge;
using packbridge::service::BusLinkState;
using packbridge::service::status_line;
using packbridge::service::StatusLineGate;

namespace {

Battery running_battery() {
    Battery b;
    b.packs_counted = 2;
    b.packs_known = 2;
    b.soc_centi = 5432;
    b.charge_current.value = 100000;
    b.discharge_current.value = 200000;
    b.transmit = true;
    b.safe_state = false;
    return b;
}

const BusLinkState kOpen{"/dev/ttyUSB0", true, ""};

}  // namespace

TEST_CASE("the status line gives packs counted, SOC and CCL/DCL while running", "[status_line]") {
    CHECK(status_line(running_battery(), kOpen) ==
          "packs 2/2, SOC 54.3 %, CCL 100.0 A, DCL 200.0 A");
}

TEST_CASE("the status line leads with the safe state and leaves out a SOC no pack gave",
          "[status_line]") {
    Battery b;
    b.safe_state = true;
    b.transmit = true;
    CHECK(status_line(b, kOpen) == "SAFE STATE (zeros), packs 0/0, CCL 0.0 A, DCL 0.0 A");
    b.transmit = false;
    CHECK(status_line(b, kOpen) == "SAFE STATE (silent), packs 0/0, CCL 0.0 A, DCL 0.0 A");
}

TEST_CASE("the status line names a missing pack-bus adapter, the OS's reason and the retrying",
          "[status_line]") {
    Battery b;
    b.safe_state = true;
    b.transmit = true;
    const BusLinkState absent{"/dev/ttyUSB0", false,
                              "cannot open /dev/ttyUSB0: No such file or directory"};
    CHECK(status_line(b, absent) ==
          "SAFE STATE (zeros), packs 0/0, CCL 0.0 A, DCL 0.0 A; waiting for the pack-bus adapter "
          "(cannot open /dev/ttyUSB0: No such file or directory), retrying");
    const BusLinkState unknown{"/dev/ttyUSB0", false, ""};
    CHECK(status_line(b, unknown) ==
          "SAFE STATE (zeros), packs 0/0, CCL 0.0 A, DCL 0.0 A; waiting for the pack-bus adapter "
          "/dev/ttyUSB0, retrying");
}

TEST_CASE("SOC in the status line rounds to 0.1 %", "[status_line]") {
    Battery b = running_battery();
    for (const auto& [centi, text] : std::vector<std::pair<std::uint16_t, std::string>>{
             {0, "0.0 %"}, {4, "0.0 %"}, {5, "0.1 %"}, {9995, "100.0 %"}, {10000, "100.0 %"}}) {
        b.soc_centi = centi;
        CHECK_THAT(status_line(b, kOpen), Catch::Contains("SOC " + text + ","));
    }
}

TEST_CASE("the status gate passes a line once and again only after it changed", "[status_line]") {
    StatusLineGate gate;
    CHECK(gate.next("a") == std::optional<std::string>("a"));
    CHECK_FALSE(gate.next("a").has_value());
    CHECK_FALSE(gate.next("a").has_value());
    CHECK(gate.next("b") == std::optional<std::string>("b"));
    CHECK(gate.next("a") == std::optional<std::string>("a"));
}
