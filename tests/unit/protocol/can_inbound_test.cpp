// SPDX-License-Identifier: Apache-2.0
// Inverter -> battery frames (inverter-can.md sections 1.1, 1.2, 3, 4.1, 5.1): each id decoded
// from the spec's example bytes, then an adversarial table (short DLCs, extended vs standard ids,
// garbage) that must never crash and never read past the DLC.
#include "packbridge/protocol/inverter/can/can_inbound.hpp"

#include <catch2/catch.hpp>
#include <vector>

using namespace packbridge::protocol;
using can_inbound::Kind;

namespace {

CanFrame make(std::uint32_t id, std::vector<std::uint8_t> data, bool extended = false,
              std::optional<std::uint8_t> dlc = std::nullopt) {
    CanFrame f;
    f.id = id;
    f.extended = extended;
    f.dlc = dlc ? *dlc : static_cast<std::uint8_t>(data.size());
    std::copy_n(data.begin(), std::min<std::size_t>(data.size(), 8), f.data.begin());
    return f;
}

}  // namespace

TEST_CASE("a Pylon-style 0x305 of eight zero bytes is a plain keep-alive", "[can][inbound]") {
    const auto in = can_inbound::decode(make(0x305, {0, 0, 0, 0, 0, 0, 0, 0}));
    REQUIRE(in);
    CHECK(in->kind == Kind::keep_alive);
    CHECK_FALSE(in->extended);
    CHECK(in->complete);
    CHECK_FALSE(in->sma);
    CHECK(can_inbound::describe(*in) == "305 keep-alive");
}

TEST_CASE("a 29-bit 0x305 as Schneider sends it is a keep-alive too", "[can][inbound]") {
    const auto in = can_inbound::decode(make(0x305, {0, 0, 0, 0, 0, 0, 0, 0}, true));
    REQUIRE(in);
    CHECK(in->kind == Kind::keep_alive);
    CHECK(in->extended);
    CHECK(can_inbound::describe(*in) == "00000305 keep-alive");
}

TEST_CASE("a Sunny Island 0x305 carries its own voltage, current, temperature and SOC",
          "[can][inbound]") {
    // 52.1 V = 521 = 09 02; +12.3 A with SMA's sign = -123 = 85 FF (the SI charging);
    // 25.3 degC = 253 = FD 00; SOC 67.0 % = 670 = 0x029E = 9E 02. All LE.
    const auto in =
        can_inbound::decode(make(0x305, {0x09, 0x02, 0x85, 0xFF, 0xFD, 0x00, 0x9E, 0x02}));
    REQUIRE(in);
    CHECK(in->kind == Kind::keep_alive);
    REQUIRE(in->sma);
    CHECK(in->sma->voltage_dv == 521);
    CHECK(in->sma->current_da == -123);
    CHECK(in->sma->temperature_dc == 253);
    CHECK(in->sma->soc_permille == 670);
    CHECK(can_inbound::describe(*in) ==
          "305 keep-alive (SMA: 52.1 V -12.3 A 25.3 degC SOC 67.0 %; charging negative)");
}

TEST_CASE("the Victron GX identification 0x307 is recognised by its VIC tag", "[can][inbound]") {
    const auto in =
        can_inbound::decode(make(0x307, {0x12, 0x34, 0x56, 0x78, 0x56, 0x49, 0x43, 0x00}));
    REQUIRE(in);
    CHECK(in->kind == Kind::identification);
    CHECK(in->victron);
    CHECK(can_inbound::describe(*in) == "307 identification: Victron GX");
}

TEST_CASE("a 0x307 without the VIC tag is an identification that is not Victron",
          "[can][inbound]") {
    const auto in = can_inbound::decode(make(0x307, {0x01, 0, 0, 0, 0, 0, 0, 0}));
    REQUIRE(in);
    CHECK(in->kind == Kind::identification);
    CHECK_FALSE(in->victron);
    // The tag cut off by a short DLC does not count, even though the bytes sit in the buffer.
    const auto cut = can_inbound::decode(
        make(0x307, {0x12, 0x34, 0x56, 0x78, 0x56, 0x49, 0x43, 0x00}, false, 6));
    REQUIRE(cut);
    CHECK_FALSE(cut->victron);
    CHECK(can_inbound::describe(*cut) ==
          "307 identification: not Victron (SMA relay state?) [DLC 6]");
}

TEST_CASE("the Growatt poll 0x301 decodes from the document's example data", "[can][inbound]") {
    const auto in =
        can_inbound::decode(make(0x301, {0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88}));
    REQUIRE(in);
    CHECK(in->kind == Kind::growatt_poll);
    CHECK(can_inbound::describe(*in) == "301 growatt poll");
}

TEST_CASE("a Luxpower 0x300 shutdown command is reported and marked as not obeyed",
          "[can][inbound]") {
    const auto in = can_inbound::decode(make(0x300, {0x01, 0, 0, 0, 0, 0, 0, 0}));
    REQUIRE(in);
    CHECK(in->kind == Kind::lux_command);
    CHECK(in->shutdown_requested);
    CHECK(in->command == 0x01);
    CHECK(can_inbound::describe(*in) == "300 lux command: 01, SHUTDOWN requested (not obeyed)");
}

TEST_CASE("a Luxpower 0x300 without bit 0 requests nothing", "[can][inbound]") {
    const auto in = can_inbound::decode(make(0x300, {0x00, 0, 0, 0, 0, 0, 0, 0}));
    REQUIRE(in);
    CHECK_FALSE(in->shutdown_requested);
    CHECK(can_inbound::describe(*in) == "300 lux command: 00");
    const auto other = can_inbound::decode(make(0x300, {0xFE, 0, 0, 0, 0, 0, 0, 0}));
    REQUIRE(other);
    CHECK_FALSE(other->shutdown_requested);
    CHECK(other->command == 0xFE);
}

TEST_CASE("ids the gateway does not listen for decode to nothing", "[can][inbound]") {
    for (std::uint32_t id : {0x000U, 0x00FU, 0x302U, 0x306U, 0x311U, 0x351U, 0x35EU, 0x7FFU}) {
        CAPTURE(id);
        CHECK_FALSE(can_inbound::decode(make(id, {0, 0, 0, 0, 0, 0, 0, 0})));
    }
}

TEST_CASE("extended 0x300, 0x301 and 0x307 are other ids and decode to nothing", "[can][inbound]") {
    for (std::uint32_t id : {0x300U, 0x301U, 0x307U, 0x3010U, 0x1FFFFFFFU}) {
        CAPTURE(id);
        CHECK_FALSE(can_inbound::decode(make(id, {0x01, 0, 0, 0, 0, 0, 0, 0}, true)));
    }
    // Neither is an extended id that merely ends in 305.
    CHECK_FALSE(can_inbound::decode(make(0x1305, {}, true)));
}

TEST_CASE("a short 0x300 never reads the shutdown bit past its DLC", "[can][inbound]") {
    const auto in = can_inbound::decode(make(0x300, {0x01, 0, 0, 0, 0, 0, 0, 0}, false, 0));
    REQUIRE(in);
    CHECK(in->kind == Kind::lux_command);
    CHECK_FALSE(in->shutdown_requested);
    CHECK_FALSE(in->complete);
    CHECK(can_inbound::describe(*in) == "300 lux command: 00 [DLC 0]");
    // One byte is enough to carry the command.
    const auto one = can_inbound::decode(make(0x300, {0x01}, false, 1));
    REQUIRE(one);
    CHECK(one->shutdown_requested);
}

TEST_CASE("a short or garbage 0x305 is still a keep-alive but never SMA data", "[can][inbound]") {
    const auto empty = can_inbound::decode(make(0x305, {}, false, 0));
    REQUIRE(empty);
    CHECK(empty->kind == Kind::keep_alive);
    CHECK_FALSE(empty->sma);
    CHECK(can_inbound::describe(*empty) == "305 keep-alive [DLC 0]");
    const auto seven =
        can_inbound::decode(make(0x305, {0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF}, false, 7));
    REQUIRE(seven);
    CHECK_FALSE(seven->sma);
}

TEST_CASE("any DLC from 0 to 15 and any bytes decode without crashing", "[can][inbound]") {
    const std::vector<std::vector<std::uint8_t>> payloads = {
        {0, 0, 0, 0, 0, 0, 0, 0},
        {0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF},
        {0x80, 0x00, 0x00, 0x80, 0x00, 0x80, 0x00, 0x80},
        {0x56, 0x49, 0x43, 0x56, 0x49, 0x43, 0x56, 0x49},
        {0x01, 0x7F, 0x80, 0xFE, 0x00, 0x41, 0x0A, 0x25},
    };
    for (std::uint32_t id : {0x300U, 0x301U, 0x305U, 0x307U, 0x308U}) {
        for (bool extended : {false, true}) {
            for (int dlc = 0; dlc <= 15; ++dlc) {
                for (const auto& p : payloads) {
                    CAPTURE(id, extended, dlc);
                    const auto in =
                        can_inbound::decode(make(id, p, extended, static_cast<std::uint8_t>(dlc)));
                    if (!in) continue;
                    CHECK(in->dlc == std::min(dlc, 8));
                    CHECK(in->complete == (dlc >= 8));
                    CHECK_FALSE(can_inbound::describe(*in).empty());
                }
            }
        }
    }
    // A DLC field of 255 from a corrupted struct counts as 8.
    const auto wild = can_inbound::decode(make(0x305, {1, 2, 3, 4, 5, 6, 7, 8}, false, 255));
    REQUIRE(wild);
    CHECK(wild->dlc == 8);
    CHECK(wild->sma);
}
