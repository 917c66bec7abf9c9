// SPDX-License-Identifier: Apache-2.0
// inverter.can.configure needs CAP_NET_ADMIN: the capability check's parsing and the message that
// tells the user which drop-in to install.
#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "packbridge/io/can_link.hpp"

using packbridge::io::can_configure_capability_error;
using packbridge::io::capability_in_status;

TEST_CASE("CAP_NET_ADMIN is read from the CapEff line of /proc/<pid>/status", "[can][capability]") {
    constexpr unsigned kNetAdmin = 12;
    struct Case {
        const char* name;
        std::string status;
        std::optional<bool> expected;
    };
    const std::vector<Case> cases{
        {"root", "Name:\tpackbridge\nCapInh:\t0000000000000000\nCapEff:\t000001ffffffffff\n", true},
        {"service user without the drop-in",
         "CapPrm:\t0000000000000000\nCapEff:\t0000000000000000\n", false},
        {"with the drop-in (CAP_NET_ADMIN only)", "CapEff:\t0000000000001000\n", true},
        {"CAP_NET_RAW (13) only", "CapEff:\t0000000000002000\n", false},
        {"CapPrm has it, CapEff not", "CapPrm:\t0000000000001000\nCapEff:\t0000000000000000\n",
         false},
        {"no CapEff line", "Name:\tx\nCapPrm:\t0000000000001000\n", std::nullopt},
        {"garbage", "CapEff:\tzz\n", std::nullopt},
        {"empty", "", std::nullopt},
    };
    for (const auto& c : cases) {
        INFO(c.name);
        CHECK(capability_in_status(c.status, kNetAdmin) == c.expected);
    }
}

TEST_CASE(
    "the configure-without-capability error names the interface, the drop-in and how to "
    "install it",
    "[can][capability]") {
    const std::string text = can_configure_capability_error("can1");
    CHECK_THAT(text, Catch::Contains("inverter.can.configure is true"));
    CHECK_THAT(text, Catch::Contains("no CAP_NET_ADMIN"));
    CHECK_THAT(text, Catch::Contains("restart-ms of can1"));
    CHECK_THAT(text, Catch::Contains("packbridge-can-configure.conf"));
    CHECK_THAT(text,
               Catch::Contains(
                   "/usr/share/doc/packbridge/examples/systemd/packbridge-can-configure.conf"));
    CHECK_THAT(text, Catch::Contains("/etc/systemd/system/packbridge.service.d/"));
    CHECK_THAT(text, Catch::Contains("systemctl edit packbridge"));
    CHECK_THAT(text, Catch::Contains("inverter.can.configure to false"));
}
