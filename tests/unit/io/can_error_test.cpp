// SPDX-License-Identifier: Apache-2.0
// SocketCAN error frames (linux/can/error.h layout) decoded into the states the daemon reports.
#include "packbridge/io/can_error.hpp"

#include <catch2/catch.hpp>

using packbridge::io::decode_error_frame;
using Data = std::array<std::uint8_t, 8>;

namespace {
constexpr std::uint32_t kErrFlag = 0x20000000U;  // CAN_ERR_FLAG
}

TEST_CASE("a bus-off error frame is bus-off and nothing else", "[can-error]") {
    const auto e = decode_error_frame(kErrFlag | 0x040U, Data{});
    CHECK(e.bus_off);
    CHECK_FALSE(e.error_passive);
    CHECK_FALSE(e.no_ack);
    CHECK(e.to_string() == "bus-off");
}

TEST_CASE("a controller frame with TX passive and the counters reports error-passive",
          "[can-error]") {
    // CAN_ERR_CRTL | CAN_ERR_CNT, data[1] = CAN_ERR_CRTL_TX_PASSIVE, data[6..7] = TX/RX counters.
    const auto e =
        decode_error_frame(kErrFlag | 0x004U | 0x200U, Data{0, 0x20, 0, 0, 0, 0, 136, 0});
    CHECK(e.error_passive);
    CHECK(e.has_counters);
    CHECK(e.tx_errors == 136);
    CHECK(e.to_string() == "error-passive");
}

TEST_CASE("no ACK names the usual causes", "[can-error]") {
    const auto e = decode_error_frame(kErrFlag | 0x020U, Data{});
    CHECK(e.no_ack);
    CHECK_THAT(e.to_string(), Catch::Contains("nobody listening"));
}

TEST_CASE("a restart after bus-off and a return to error-active are recoveries", "[can-error]") {
    CHECK(decode_error_frame(kErrFlag | 0x100U, Data{}).restarted);
    const auto active = decode_error_frame(kErrFlag | 0x004U, Data{0, 0x40, 0, 0, 0, 0, 0, 0});
    CHECK(active.back_to_active);
    CHECK_FALSE(active.error_passive);
}

TEST_CASE("a warning without passive says error-warning; protocol errors point at the wiring",
          "[can-error]") {
    const auto warn = decode_error_frame(kErrFlag | 0x004U, Data{0, 0x08, 0, 0, 0, 0, 0, 0});
    CHECK(warn.to_string() == "error-warning");
    const auto prot = decode_error_frame(kErrFlag | 0x008U, Data{});
    CHECK(prot.bus_error);
    CHECK_THAT(prot.to_string(), Catch::Contains("termination"));
}
