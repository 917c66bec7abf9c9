// SPDX-License-Identifier: Apache-2.0
// Growatt RS485 (section 4.4), SRNE pace-modbus (section 3.1) and Voltronic-485 (section 2.3):
// every request/response pair of the spec, byte-exact, answered from the section 0.3 battery.
#include <catch2/catch.hpp>

#include "packbridge/protocol/inverter/rs485/growatt_rs485.hpp"
#include "packbridge/protocol/inverter/rs485/srne_rs485.hpp"
#include "packbridge/protocol/inverter/rs485/voltronic_rs485.hpp"
#include "support/rs485_example.hpp"

using namespace packbridge;
using namespace packbridge::protocol;
using packbridge::testing::hex_bytes;
using packbridge::testing::hex_string;
using packbridge::testing::rs485_example_battery;

namespace {

struct Pair {
    const char* request;
    const char* response;
};

std::string answer_hex(Rs485Responder& r, const char* request, const Battery& b) {
    auto reply = r.answer(hex_bytes(request), b, TimePoint{});
    return reply ? hex_string(*reply) : std::string("<silence>");
}

void check_pairs(Rs485Responder& r, std::initializer_list<Pair> pairs, const Battery& b) {
    for (const auto& p : pairs) {
        INFO("request " << p.request);
        CHECK(answer_hex(r, p.request, b) == hex_string(hex_bytes(p.response)));
    }
}

}  // namespace

TEST_CASE("Growatt RS485 answers every request of spec 4.4 byte-exact", "[growatt]") {
    GrowattRs485Responder growatt;
    check_pairs(growatt,
                {
                    {"01 03 00 10 00 13 05 C2",
                     "01 03 26 FB32 0000 0000 0C63 0000 0043 145A FB32 0019 2710 4E84 7530 0101 "
                     "000B 007B 0000 0062 "
                     "15E0 0000 51 70"},
                    {"01 03 00 10 00 1A C5 C4",
                     "01 03 34 FB32 0000 0000 0C63 0000 0043 145A FB32 0019 2710 4E84 7530 0101 "
                     "000B 007B 0000 0062 "
                     "15E0 0000 3A98 0000 0CBE 0CB3 0007 000C 0010 EF D9"},
                    {"01 03 00 13 00 06 34 0D", "01 03 0C 0C63 0000 0043 145A FB32 0019 0A D9"},
                    {"01 03 00 15 00 01 95 CE", "01 03 02 0043 F9 B5"},
                    {"01 03 00 71 00 10 14 1D",
                     "01 03 20 0CB8 0CB8 0CB8 0CB8 0CB8 0CB8 0CBE 0CB8 0CB8 0CB8 0CB8 0CB3 0CB8 "
                     "0CB8 0CB8 0CB8 5B 82"},
                    {"01 10 00 13 00 01 02 00 00 A4 F3", "01 10 00 13 00 01 F0 0C"},
                },
                rs485_example_battery());
}

TEST_CASE("Growatt RS485 answers a read beyond 0x0161 with exception 02", "[growatt]") {
    GrowattRs485Responder growatt;
    const auto b = rs485_example_battery();
    for (const auto& req :
         {modbus::read_request(1, 3, 0x0162, 1), modbus::read_request(1, 3, 0x0150, 0x20),
          modbus::read_request(1, 3, 0xFFFF, 2)}) {
        auto reply = growatt.answer(req, b, TimePoint{});
        REQUIRE(reply);
        CHECK(hex_string(*reply) == "01 83 02 C0 F1");
    }
}

TEST_CASE("Growatt RS485 zero-fills addresses it leaves empty inside the map", "[growatt]") {
    GrowattRs485Responder growatt;
    auto reply = growatt.answer(modbus::read_request(1, 3, 0x0100, 0x62), rs485_example_battery(),
                                TimePoint{});
    REQUIRE(reply);
    REQUIRE(reply->size() == 3 + 2 * 0x62 + 2);
    for (std::size_t i = 3; i < 3 + 2 * 0x62; ++i)
        CHECK((*reply)[i] == 0);
}

TEST_CASE("Growatt RS485 answers FC04 with the same map as FC03", "[growatt]") {
    GrowattRs485Responder growatt;
    const auto b = rs485_example_battery();
    auto fc3 = growatt.answer(modbus::read_request(1, 3, 0x10, 0x1A), b, TimePoint{});
    auto fc4 = growatt.answer(modbus::read_request(1, 4, 0x10, 0x1A), b, TimePoint{});
    REQUIRE(fc3);
    REQUIRE(fc4);
    CHECK((*fc4)[1] == 0x04);
    CHECK(std::vector<std::uint8_t>(fc3->begin() + 2, fc3->end() - 2) ==
          std::vector<std::uint8_t>(fc4->begin() + 2, fc4->end() - 2));
}

TEST_CASE("Growatt RS485 answers bad counts with exception 03", "[growatt]") {
    GrowattRs485Responder growatt;
    const auto b = rs485_example_battery();
    CHECK(hex_string(*growatt.answer(modbus::read_request(1, 3, 0x10, 0), b, TimePoint{})) ==
          hex_string(modbus::exception_reply(1, 3, modbus::Exception::illegal_value)));
    CHECK(hex_string(*growatt.answer(modbus::read_request(1, 3, 0x10, 126), b, TimePoint{})) ==
          hex_string(modbus::exception_reply(1, 3, modbus::Exception::illegal_value)));
    auto bad_bytes = hex_bytes("01 10 00 13 00 02 02 00 00");
    modbus::append_crc(bad_bytes);
    CHECK(hex_string(*growatt.answer(bad_bytes, b, TimePoint{})) ==
          hex_string(modbus::exception_reply(1, 0x10, modbus::Exception::illegal_value)));
}

TEST_CASE("Growatt RS485 acknowledges the FC06 handshake and the second FC10 example",
          "[growatt]") {
    GrowattRs485Responder growatt;
    const auto b = rs485_example_battery();
    std::vector<std::uint8_t> fc06{0x01, 0x06, 0x00, 0x13, 0x0C, 0x00};
    modbus::append_crc(fc06);
    CHECK(hex_string(*growatt.answer(fc06, b, TimePoint{})) ==
          hex_string(fc06));  // FC06 reply echoes
    CHECK(hex_string(*growatt.answer(hex_bytes("01 10 00 13 00 01 02 0C 00 A1 F3"), b,
                                     TimePoint{})) == "01 10 00 13 00 01 F0 0C");
}

TEST_CASE(
    "Writes inside a map's writable range are acknowledged and ignored, writes past it "
    "are exception 02",
    "[growatt][voltronic]") {
    const auto b = rs485_example_battery();
    const std::uint16_t v[] = {0x1234, 0x5678};
    const auto inside = [&](Rs485Responder& r, std::uint16_t at) {
        return hex_string(*r.answer(modbus::write_multiple_request(1, at, v), b, TimePoint{}));
    };
    const std::string ack_0075 = "01 10 00 75 00 02 " + [] {
        std::vector<std::uint8_t> f{0x01, 0x10, 0x00, 0x75, 0x00, 0x02};
        modbus::append_crc(f);
        return hex_string(std::vector<std::uint8_t>(f.end() - 2, f.end()));
    }();
    const std::string refused =
        hex_string(modbus::exception_reply(1, 0x10, modbus::Exception::illegal_address));

    GrowattRs485Responder growatt;
    CHECK(inside(growatt, 0x0075) == ack_0075);
    CHECK(inside(growatt, 0x0160) != refused);  // 0x0160-0x0161: its last two registers
    CHECK(inside(growatt, 0x0161) == refused);  // 0x0162 is past the map
    VoltronicRs485Responder voltronic;
    CHECK(inside(voltronic, 0x0075) == ack_0075);
    CHECK(inside(voltronic, voltronic_reg::last) == refused);  // its last register and one past
    // Nothing written changes what is read: the map is the battery's, not the inverter's.
    VoltronicRs485Responder untouched;
    const auto read = modbus::read_request(1, 3, 0x0075, 1);
    CHECK(hex_string(*voltronic.answer(read, b, TimePoint{})) ==
          hex_string(*untouched.answer(read, b, TimePoint{})));
}

TEST_CASE("SRNE pace-modbus answers the spec 3.1 read of registers 0-36 byte-exact", "[srne]") {
    PaceModbusResponder pace;
    check_pairs(
        pace,
        {
            {"01 03 00 00 00 25 84 11",
             "01 03 4A FB32 145A 0043 0062 4E84 7530 7530 007B 0000 0000 0000 0E00 0000 0000 0000 "
             "0CB8 0CB8 0CB8 0CB8 0CB8 0CB8 0CBE 0CB8 0CB8 0CB8 0CB8 0CB3 0CB8 0CB8 0CB8 0CB8 "
             "00FD 0104 00F1 00FD 00FD 00FD 42 04"},
        },
        rs485_example_battery());
}

TEST_CASE("SRNE pace-modbus answers out-of-map reads and writes with exception 02", "[srne]") {
    PaceModbusResponder pace;
    const auto b = rs485_example_battery();
    CHECK(hex_string(*pace.answer(modbus::read_request(1, 3, 37, 1), b, TimePoint{})) ==
          "01 83 02 C0 F1");
    CHECK(hex_string(*pace.answer(modbus::read_request(1, 3, 30, 10), b, TimePoint{})) ==
          "01 83 02 C0 F1");
    CHECK(hex_string(*pace.answer(modbus::read_request(1, 3, 60, 1), b, TimePoint{})) ==
          "01 83 02 C0 F1");
    const std::uint16_t v[] = {3650};
    CHECK(hex_string(*pace.answer(modbus::write_multiple_request(1, 60, v), b, TimePoint{})) ==
          hex_string(modbus::exception_reply(1, 0x10, modbus::Exception::illegal_address)));
}

TEST_CASE("SRNE pace-modbus serves the ASCII identity registers 150-179", "[srne]") {
    PaceModbusResponder pace;
    auto reply =
        pace.answer(modbus::read_request(1, 3, 150, 30), rs485_example_battery(), TimePoint{});
    REQUIRE(reply);
    REQUIRE(reply->size() == 3 + 60 + 2);
    CHECK(std::string(reply->begin() + 3, reply->begin() + 13) == "packbridge");
}

TEST_CASE("Voltronic-485 answers every request of spec 2.3 with a word-count length",
          "[voltronic]") {
    VoltronicRs485Responder lib(0x01, VoltronicLength::words);
    check_pairs(lib,
                {
                    {"01 03 00 10 00 01 85 CF", "01 03 00 01 00 10 15 C6"},
                    {"01 03 00 30 00 06 C5 C7", "01 03 00 06 0000 007B 0209 0043 0004 93E0 52 FA"},
                    {"01 03 00 70 00 08 45 D7",
                     "01 03 00 08 0230 01E0 03E8 05DC 00C0 03D4 0003 1128 B8 88"},
                    {"01 03 00 10 00 26 C5 D5",
                     "01 03 00 26 0010 0CB8 0CB8 0CB8 0CB8 0CB8 0CB8 0CBE 0CB8 0CB8 0CB8 0CB8 0CB3 "
                     "0CB8 0CB8 0CB8 0CB8 "
                     "0000 0000 0000 0000 0006 0BA8 0BAF 0B9C 0BA8 0BA8 0BA8 0000 0000 0000 0000 "
                     "0000 007B 0209 0043 "
                     "0004 93E0 06 36"},
                },
                rs485_example_battery());
}

TEST_CASE("Voltronic-485 byte-count and standard length variants match spec 2.3", "[voltronic]") {
    const auto b = rs485_example_battery();
    VoltronicRs485Responder bytes_variant(0x01, VoltronicLength::bytes);
    VoltronicRs485Responder standard(0x01, VoltronicLength::standard);
    CHECK(answer_hex(bytes_variant, "01 03 00 10 00 01 85 CF", b) == "01 03 00 02 00 10 E5 C6");
    CHECK(answer_hex(standard, "01 03 00 10 00 01 85 CF", b) == "01 03 02 00 10 B9 88");
    CHECK(answer_hex(bytes_variant, "01 03 00 30 00 06 C5 C7", b) ==
          hex_string(hex_bytes("01 03 00 0C 0000 007B 0209 0043 0004 93E0 4A F0")));
    CHECK(answer_hex(standard, "01 03 00 30 00 06 C5 C7", b) ==
          hex_string(hex_bytes("01 03 0C 0000 007B 0209 0043 0004 93E0 F4 2D")));
    CHECK(answer_hex(bytes_variant, "01 03 00 70 00 08 45 D7", b) ==
          hex_string(hex_bytes("01 03 00 10 0230 01E0 03E8 05DC 00C0 03D4 0003 1128 32 8F")));
    CHECK(answer_hex(standard, "01 03 00 70 00 08 45 D7", b) ==
          hex_string(hex_bytes("01 03 10 0230 01E0 03E8 05DC 00C0 03D4 0003 1128 86 9D")));
}

TEST_CASE("Voltronic-485 answers an unknown register or command with code 02", "[voltronic]") {
    VoltronicRs485Responder lib;
    const auto b = rs485_example_battery();
    CHECK(hex_string(*lib.answer(modbus::read_request(1, 3, 0x0078, 1), b, TimePoint{})) ==
          "01 83 02 C0 F1");
    CHECK(hex_string(*lib.answer(modbus::read_request(1, 4, 0x0010, 1), b, TimePoint{})) ==
          hex_string(modbus::exception_reply(1, 4, modbus::Exception::illegal_address)));
}

TEST_CASE("Growatt RS485 keeps limits and capacities above 32767 at 0x7FFF, never wrapped",
          "[growatt][clamp]") {
    GrowattRs485Responder growatt;
    auto b = rs485_example_battery();
    b.charge_current.value = 400'000;     // 400 A = 40000 in 10 mA: negative to a signed reader
    b.discharge_current.value = 400'000;  // DCL 400 A
    b.remaining_mah = 300'000;            // 30000 fits
    b.full_mah = 409'840;                 // 40984 in 10 mAh
    check_pairs(growatt,
                {
                    {"01 03 00 19 00 01 55 CD", "01 03 02 7F FF D8 34"},
                    {"01 03 00 23 00 01 75 C0", "01 03 02 7F FF D8 34"},
                    {"01 03 00 1A 00 02 E5 CC", "01 03 04 75 30 7F FF 80 40"},
                },
                b);
    const auto notes = growatt.clamped_registers(b);
    REQUIRE(notes.size() == 3);
    CHECK(notes[0] ==
          "Growatt register 0x0019 (max charge current) above 327.67 A, sent as 327.67 A");
    CHECK(notes[1] == "Growatt register 0x001B (full capacity) above 327.67 Ah, sent as 327.67 Ah");
    CHECK(notes[2] ==
          "Growatt register 0x0023 (max discharge current) above 327.67 A, sent as 327.67 A");
    CHECK(growatt.clamped_registers(rs485_example_battery()).empty());
}

TEST_CASE("Growatt RS485 clamps its signed registers to int16 and the temperature to -127..127",
          "[growatt][clamp]") {
    GrowattRs485Responder growatt;
    auto b = rs485_example_battery();
    b.current_ma = -400'000;  // -40000 in 10 mA: below int16
    b.temp_mean_dc = -1500;   // -150 C: below the register's -127
    check_pairs(growatt,
                {
                    {"01 03 00 10 00 01 85 CF", "01 03 02 80 00 D9 84"},
                    {"01 03 00 17 00 02 74 0F", "01 03 04 80 00 FF 81 52 63"},
                },
                b);
    const auto notes = growatt.clamped_registers(b);
    REQUIRE(notes.size() == 3);
    CHECK(notes[0] == "Growatt register 0x0010 (current) below -327.68 A, sent as -327.68 A");
    CHECK(notes[2] == "Growatt register 0x0018 (temperature) below -127 C, sent as -127 C");
}
