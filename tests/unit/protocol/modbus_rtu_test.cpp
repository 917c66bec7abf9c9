// SPDX-License-Identifier: Apache-2.0
// Modbus RTU core: CRC-16, request parsing and reply building, against the frames of
// inverter-rs485.md sections 2.3, 3.1 and 4.4 (each checked there with mbpoll and pymodbus).
#include "packbridge/protocol/modbus/modbus_rtu.hpp"

#include <catch2/catch.hpp>

#include "support/rs485_example.hpp"

using namespace packbridge;
using namespace packbridge::protocol;
using packbridge::testing::hex_bytes;
using packbridge::testing::hex_string;

TEST_CASE("CRC-16 of every request in the spec matches its last two bytes, low byte first",
          "[modbus]") {
    const char* frames[] = {
        "01 03 00 10 00 13 05 C2", "01 03 00 10 00 1A C5 C4",
        "01 03 00 13 00 06 34 0D", "01 03 00 15 00 01 95 CE",
        "01 03 00 71 00 10 14 1D", "01 10 00 13 00 01 02 00 00 A4 F3",
        "01 10 00 13 00 01 F0 0C", "01 83 02 C0 F1",
        "01 03 00 10 00 01 85 CF", "01 03 00 30 00 06 C5 C7",
        "01 03 00 70 00 08 45 D7", "01 03 00 10 00 26 C5 D5",
        "01 03 00 00 00 25 84 11", "01 10 00 13 00 01 02 0C 00 A1 F3",
        "01 03 02 00 42 38 75",
    };
    for (const auto* f : frames) {
        INFO(f);
        CHECK(modbus::crc_ok(hex_bytes(f)));
    }
    CHECK(modbus::crc16(hex_bytes("01 03 00 10 00 13")) == 0xC205);
}

TEST_CASE("a read request parses into slave, function, start and count", "[modbus]") {
    auto r = modbus::parse_request(hex_bytes("01 03 00 10 00 13 05 C2"));
    REQUIRE(r.ok());
    CHECK(r->slave == 1);
    CHECK(r->function == 3);
    CHECK(r->address == 0x10);
    CHECK(r->count == 19);
    CHECK_FALSE(r->malformed);
}

TEST_CASE("the FC10 handshake parses with its register values", "[modbus]") {
    auto r = modbus::parse_request(hex_bytes("01 10 00 13 00 01 02 0C 00 A1 F3"));
    REQUIRE(r.ok());
    CHECK(r->function == 0x10);
    CHECK(r->address == 0x13);
    CHECK(r->values == std::vector<std::uint16_t>{0x0C00});
}

TEST_CASE("an FC06 write parses its one value", "[modbus]") {
    std::vector<std::uint8_t> f{0x01, 0x06, 0x00, 0x13, 0x00, 0x00};
    modbus::append_crc(f);
    auto r = modbus::parse_request(f);
    REQUIRE(r.ok());
    CHECK(r->count == 1);
    CHECK(r->values == std::vector<std::uint16_t>{0});
}

TEST_CASE("bad requests are rejected with the reason", "[modbus]") {
    struct Row {
        const char* frame;
        Errc code;
    };
    const Row rows[] = {
        {"01 03 00 10 00 13 05 C3", Errc::checksum},       // last CRC byte off by one
        {"01 03 00 10 00 13 05", Errc::truncated},         // one byte missing
        {"01 03", Errc::truncated},                        // header only
        {"01 03 00 10 00 13 05 C2 00", Errc::bad_length},  // a byte too many
        {"01 10 00 13 00 01 02 00 00 A4", Errc::truncated},
    };
    for (const auto& row : rows) {
        INFO(row.frame);
        auto r = modbus::parse_request(hex_bytes(row.frame));
        REQUIRE_FALSE(r.ok());
        CHECK(r.error().code == row.code);
        CHECK_FALSE(r.error().detail.empty());
    }
}

TEST_CASE("an unknown function code with a good CRC parses as an illegal-function request",
          "[modbus]") {
    std::vector<std::uint8_t> f{0x01, 0x2B, 0x0E, 0x01, 0x00};
    modbus::append_crc(f);
    auto r = modbus::parse_request(f);
    REQUIRE(r.ok());
    REQUIRE(r->malformed);
    CHECK(*r->malformed == modbus::Exception::illegal_function);
}

TEST_CASE("an FC10 whose byte count disagrees with its register count is an illegal value",
          "[modbus]") {
    auto f = hex_bytes("01 10 00 13 00 02 02 00 00");
    modbus::append_crc(f);
    auto r = modbus::parse_request(f);
    REQUIRE(r.ok());
    REQUIRE(r->malformed);
    CHECK(*r->malformed == modbus::Exception::illegal_value);
}

TEST_CASE("replies are built byte-exact", "[modbus]") {
    const std::uint16_t soc[] = {0x0043};
    CHECK(hex_string(modbus::read_reply(1, 3, soc)) == "01 03 02 00 43 F9 B5");
    CHECK(hex_string(modbus::write_multiple_reply(1, 0x13, 1)) == "01 10 00 13 00 01 F0 0C");
    CHECK(hex_string(modbus::exception_reply(1, 3, modbus::Exception::illegal_address)) ==
          "01 83 02 C0 F1");
    CHECK(hex_string(modbus::read_request(1, 3, 0x10, 0x13)) == "01 03 00 10 00 13 05 C2");
    const std::uint16_t zero[] = {0};
    CHECK(hex_string(modbus::write_multiple_request(1, 0x13, zero)) ==
          "01 10 00 13 00 01 02 00 00 A4 F3");
}

TEST_CASE("request lengths are known from the function code", "[modbus]") {
    CHECK(*modbus::request_length(hex_bytes("01 03")).length == 8);
    CHECK(*modbus::request_length(hex_bytes("01 06")).length == 8);
    CHECK_FALSE(modbus::request_length(hex_bytes("01 10 00 13 00")).length);
    CHECK(modbus::request_length(hex_bytes("01 10 00 13 00")).known_function);
    CHECK(*modbus::request_length(hex_bytes("01 10 00 13 00 01 02")).length == 11);
    CHECK_FALSE(modbus::request_length(hex_bytes("01 2B")).known_function);
}
