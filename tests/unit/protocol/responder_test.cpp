// SPDX-License-Identifier: Apache-2.0
// The common responder contract: catalogue choices, address filtering, broadcast, safe state and
// on_comms_loss=silence, and the framer feeding the responder over a byte stream.
#include <catch2/catch.hpp>

#include "packbridge/catalogue.hpp"
#include "packbridge/protocol/inverter/rs485/rs485_responder.hpp"
#include "packbridge/protocol/modbus/modbus_rtu.hpp"
#include "packbridge/protocol/modbus/modbus_rtu_framer.hpp"
#include "support/rs485_example.hpp"

using namespace packbridge;
using namespace packbridge::protocol;
using packbridge::catalogue::make_rs485_responder;
using packbridge::testing::ascii_bytes;
using packbridge::testing::hex_bytes;
using packbridge::testing::hex_string;
using packbridge::testing::rs485_example_battery;

namespace {

InverterConfig rs485_config(Protocol p, std::string variant = "") {
    InverterConfig c;
    c.link = Link::rs485;
    c.protocol = p;
    c.variant = std::move(variant);
    return c;
}

std::unique_ptr<Rs485Responder> make(Protocol p, std::string variant = "") {
    auto r = make_rs485_responder(rs485_config(p, std::move(variant)));
    REQUIRE(r.ok());
    return std::move(*r);
}

// The spec's safe state, derived from the example: what the bank emits when it enters it.
Battery safe_state_battery() {
    auto b = rs485_example_battery();
    b.safe_state = true;
    b.charge_current.value = 0;
    b.discharge_current.value = 0;
    b.charge_enable = false;
    b.discharge_enable = false;
    return b;
}

}  // namespace

TEST_CASE("the catalogue picks the responder from protocol and variant", "[catalogue]") {
    CHECK(make(Protocol::voltronic)->name() == "pylon-rs485");
    CHECK(make(Protocol::voltronic, "voltronic-485")->name() == "voltronic-485");
    CHECK(make(Protocol::srne)->name() == "pylon-rs485");
    CHECK(make(Protocol::srne, "pace-modbus")->name() == "srne-pace-modbus");
    CHECK(make(Protocol::growatt_rs485)->name() == "growatt-rs485");
    CHECK(make(Protocol::growatt_rs485)->framing() == Rs485Framing::modbus_rtu);
    CHECK(make(Protocol::voltronic)->framing() == Rs485Framing::ascii);
}

TEST_CASE(
    "the catalogue rejects a wrong variant, a CAN protocol and a CAN link, naming the choices",
    "[catalogue]") {
    auto bad = make_rs485_responder(rs485_config(Protocol::srne, "wow"));
    REQUIRE_FALSE(bad.ok());
    CHECK(bad.error().detail.find(R"("pylon", "pace-modbus")") != std::string::npos);
    CHECK_FALSE(make_rs485_responder(rs485_config(Protocol::pylon)).ok());
    auto can = rs485_config(Protocol::growatt_rs485);
    can.link = Link::can;
    CHECK_FALSE(make_rs485_responder(can).ok());
}

TEST_CASE("rs485.address moves the Modbus slave and the Pylon ADR", "[catalogue]") {
    auto cfg = rs485_config(Protocol::growatt_rs485);
    cfg.rs485.address = 0x05;
    auto made = make_rs485_responder(cfg);
    REQUIRE(made.ok());
    auto& growatt = made.value();
    const auto b = rs485_example_battery();
    CHECK_FALSE(growatt->answer(modbus::read_request(1, 3, 0x15, 1), b, TimePoint{}));
    CHECK(hex_string(*growatt->answer(modbus::read_request(5, 3, 0x15, 1), b, TimePoint{}))
              .substr(0, 8) == "05 03 02");
}

TEST_CASE("Modbus responders stay silent for another slave, broadcast and bad frames",
          "[responder]") {
    const auto b = rs485_example_battery();
    for (const auto& [p, v] :
         {std::pair{Protocol::growatt_rs485, ""}, std::pair{Protocol::srne, "pace-modbus"},
          std::pair{Protocol::voltronic, "voltronic-485"}}) {
        auto r = make(p, v);
        INFO(r->name());
        struct Row {
            const char* what;
            std::vector<std::uint8_t> frame;
            Rs485Outcome::Kind kind;
        };
        const Row rows[] = {
            {"other slave", modbus::read_request(2, 3, 0x10, 1), Rs485Outcome::Kind::not_for_us},
            {"broadcast write",
             modbus::write_multiple_request(0, 0x13, std::vector<std::uint16_t>{0}),
             Rs485Outcome::Kind::broadcast},
            {"broadcast read", modbus::read_request(0, 3, 0x10, 1), Rs485Outcome::Kind::broadcast},
            {"bad CRC", hex_bytes("01 03 00 10 00 13 05 C3"), Rs485Outcome::Kind::malformed},
            {"truncated", hex_bytes("01 03 00 10 00 13 05"), Rs485Outcome::Kind::malformed},
            {"noise", hex_bytes("FF"), Rs485Outcome::Kind::malformed},
        };
        for (const auto& row : rows) {
            INFO(row.what);
            const auto o = r->handle(row.frame, b, TimePoint{});
            CHECK(o.kind == row.kind);
            CHECK_FALSE(o.reply);
        }
    }
}

TEST_CASE("in the safe state every protocol answers zero limits and cleared enables",
          "[responder]") {
    const auto b = safe_state_battery();
    // Growatt: CCL 0x0019, CVL 0x0021, DCL 0x0023, status 0x0013 without b5/b6.
    auto growatt = make(Protocol::growatt_rs485);
    CHECK(hex_string(*growatt->answer(modbus::read_request(1, 3, 0x0019, 1), b, TimePoint{}))
              .substr(0, 14) == "01 03 02 00 00");
    CHECK(hex_string(*growatt->answer(modbus::read_request(1, 3, 0x0023, 1), b, TimePoint{}))
              .substr(0, 14) == "01 03 02 00 00");
    CHECK(hex_string(*growatt->answer(modbus::read_request(1, 3, 0x0013, 1), b, TimePoint{}))
              .substr(0, 14) == "01 03 02 0C 03");
    // Pylon 0x92 and 0x63: CCL = DCL = 0, status 0x00.
    auto pylon = make(Protocol::voltronic);
    auto r92 = pylon->answer(ascii_bytes("~20024692E00202FD2E\r"), b, TimePoint{});
    REQUIRE(r92);
    CHECK(std::string(r92->begin(), r92->end()).substr(13, 20) == "02DAC0BB800000000000");
    auto r63 = pylon->answer(ascii_bytes("~200246630000FDA9\r"), b, TimePoint{});
    REQUIRE(r63);
    CHECK(std::string(r63->begin(), r63->end()).substr(13, 18) == "DAC0BB800000000000");
    // Voltronic-485 limits block: CCL, DCL 0; status 0.
    auto lib = make(Protocol::voltronic, "voltronic-485");
    CHECK(hex_string(*lib->answer(modbus::read_request(1, 3, 0x0072, 3), b, TimePoint{}))
              .substr(0, 29) == "01 03 00 03 00 00 00 00 00 00");
}

TEST_CASE(
    "with transmit off (on_comms_loss=silence) no protocol answers, but the request counts as "
    "valid",
    "[responder]") {
    auto b = safe_state_battery();
    b.transmit = false;
    struct Row {
        Protocol p;
        const char* variant;
        std::vector<std::uint8_t> request;
    };
    const Row rows[] = {
        {Protocol::growatt_rs485, "", hex_bytes("01 03 00 10 00 13 05 C2")},
        {Protocol::growatt_rs485, "", hex_bytes("01 10 00 13 00 01 02 00 00 A4 F3")},
        {Protocol::srne, "pace-modbus", hex_bytes("01 03 00 00 00 25 84 11")},
        {Protocol::voltronic, "voltronic-485", hex_bytes("01 03 00 70 00 08 45 D7")},
        {Protocol::voltronic, "", ascii_bytes("~20024692E00202FD2E\r")},
        {Protocol::srne, "", ascii_bytes("~200246610000FDAB\r")},
    };
    for (const auto& row : rows) {
        auto r = make(row.p, row.variant);
        INFO(r->name());
        const auto o = r->handle(row.request, b, TimePoint{});
        CHECK(o.kind == Rs485Outcome::Kind::silenced);
        CHECK_FALSE(o.reply);
        CHECK(o.inverter_alive());
    }
}

TEST_CASE("a byte stream with noise and back-to-back requests gets every reply, in order",
          "[responder]") {
    auto growatt = make(Protocol::growatt_rs485);
    const auto b = rs485_example_battery();
    const auto soc = hex_bytes("01 03 00 15 00 01 95 CE");
    const auto handshake = hex_bytes("01 10 00 13 00 01 02 00 00 A4 F3");
    std::vector<std::uint8_t> stream{0xFF, 0x00};
    stream.insert(stream.end(), soc.begin(), soc.end());
    stream.insert(stream.end(), handshake.begin(), handshake.end());  // no gap at all
    stream.push_back(0x7E);
    stream.insert(stream.end(), soc.begin(), soc.end());
    for (std::size_t cut = 1; cut < stream.size(); ++cut) {
        INFO("split at " << cut);
        modbus::RtuFramer framer(9600);
        const TimePoint t0{};
        const std::span<const std::uint8_t> all(stream);
        std::vector<std::string> replies;
        std::size_t malformed = 0;
        auto drain = [&](TimePoint now) {
            for (const auto& ev : framer.poll(now)) {
                if (ev.kind != modbus::FramerEvent::Kind::frame) {
                    ++malformed;
                    continue;
                }
                if (auto reply = growatt->answer(ev.bytes, b, now))
                    replies.push_back(hex_string(*reply));
            }
        };
        framer.feed(all.first(cut), t0);
        drain(t0);
        framer.feed(all.subspan(cut), t0 + std::chrono::microseconds(800));  // < t3.5
        drain(t0 + std::chrono::microseconds(800));
        drain(t0 + milliseconds(10));
        CHECK(replies == std::vector<std::string>{"01 03 02 00 43 F9 B5", "01 10 00 13 00 01 F0 0C",
                                                  "01 03 02 00 43 F9 B5"});
        CHECK(malformed >= 1);
    }
}
