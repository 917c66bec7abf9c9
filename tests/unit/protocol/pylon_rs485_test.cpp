// SPDX-License-Identifier: Apache-2.0
// Pylon RS485 (inverter-rs485.md section 1.5): every request/response pair byte-exact from the
// section 0.3 battery, the disputed-unit switches, and the silence rules.
#include "packbridge/protocol/inverter/rs485/pylon_rs485.hpp"

#include <catch2/catch.hpp>

#include "packbridge/protocol/ascii/ascii_frame.hpp"
#include "support/rs485_example.hpp"

using namespace packbridge;
using namespace packbridge::protocol;
using packbridge::testing::ascii_bytes;
using packbridge::testing::rs485_example_battery;

namespace {

std::string reply_text(PylonRs485Responder& r, std::string_view request, const Battery& b) {
    auto reply = r.answer(ascii_bytes(request), b, TimePoint{});
    return reply ? std::string(reply->begin(), reply->end()) : std::string("<silence>");
}

struct Pair {
    const char* request;
    const char* response;
};

}  // namespace

TEST_CASE("Pylon RS485 answers every request of spec 1.5 byte-exact with the default options",
          "[pylon]") {
    PylonRs485Responder pylon;
    const auto b = rs485_example_battery();
    const Pair pairs[] = {
        {"~2002464F0000FD98\r", "~200246000000FDB2\r"},
        {"~2802464F0000FD90\r", "~200246000000FDB2\r"},  // any VER accepted, replies carry 0x20
        {"~200246510000FDAC\r",
         "~20024600C04055533330303043202020020150594C4F4E202020202020202020202020202020F0EF\r"},
        {"~20024642E00202FD33\r",
         "~20024600B07E0002100CB80CB80CB80CB80CB80CB80CBE0CB80CB80CB80CB80CB30CB80CB80CB80CB8050BA8"
         "0BAF0B9C0BA80BA8"
         "FF85CB84FFFF04FFFF007B0311280493E0E0B1\r"},
        {"~20024642E002FFFD09\r",
         "~2002460061720003100CB80CB80CB80CB80CB80CB80CBE0CB80CB80CB80CB80CB80CB80CB80CB80CB8050BA8"
         "0BAF0BA80BA80BA8"
         "FFD7CB84FFFF04FFFF007B0105B80186A0100CB80CB80CB80CB80CB80CB80CB80CB80CB80CB80CB80CB80CB80"
         "CB80CB80CB8050BA8"
         "0BA80BA80BA80BA8FFD7CB84FFFF04FFFF007B0105B80186A0100CB80CB80CB80CB80CB80CB80CB80CB80CB80"
         "CB80CB80CB30CB80C"
         "B80CB80CB8050BA80B9C0BA80BA80BA8FFD7CB84FFFF04FFFF007B0105B80186A0A890\r"},
        {"~20024644E00202FD31\r",
         "~20024600A04200021000000000000000000000000000000000050000000000000000000E400000F11A\r"},
        {"~200246470000FDA7\r",
         "~20024600B032000E420BEA0B540D030AAB03E8DAC0BB80B5400D030A47FA24F283\r"},
        {"~20024692E00202FD2E\r", "~20024600B01402DAC0BB8003E8FA24C0F915\r"},
        {"~20024693E00202FD2D\r", "~20024600C0220247572D4147472D303030303030303031F6BF\r"},
        {"~200246600000FDAC\r",
         "~2002460040A25553333030304320202050594C4F4E20202020202020202020202020202002010347572D4D4F"
         "44554C452D3030303030"
         "3147572D4D4F44554C452D30303030303247572D4D4F44554C452D303030303033DC5B\r"},
        {"~200246610000FDAB\r",
         "~200246008062CB84FB3243007B007B62620CBE01070CB3030C0BA80BAF01020B9C03020BA80BA801010BA801"
         "010BA80BA801010BA8"
         "0101E877\r"},
        {"~200246620000FDAA\r", "~20024600800800000000FC22\r"},
        {"~200246630000FDA9\r", "~20024600D012DAC0BB8003E805DCC0F978\r"},
        {"~280246630000FDA1\r", "~20024600D012DAC0BB8003E805DCC0F978\r"},
    };
    for (const auto& p : pairs) {
        INFO("request " << p.request);
        CHECK(reply_text(pylon, p.request, b) == p.response);
    }
}

TEST_CASE("Pylon RS485 with VER 0x28 answers as diyBMS does", "[pylon]") {
    PylonRs485Options o;
    o.pylon.ver = 0x28;
    PylonRs485Responder pylon(o);
    const auto b = rs485_example_battery();
    CHECK(reply_text(pylon, "~2802464F0000FD90\r", b) == "~280246000000FDAA\r");
    CHECK(reply_text(pylon, "~28024692E00202FD26\r", b) ==
          "~28024600B01402DAC0BB8003E8FA24C0F90D\r");
    // 0x42 with VER 28 is served too; same INFO as with VER 20.
    const auto r42 = reply_text(pylon, "~28024642E00202FD2B\r", b);
    auto decoded = ascii::decode(r42);
    REQUIRE(decoded.ok());
    CHECK(decoded->ver == 0x28);
    CHECK(decoded->cid2 == 0x00);
    CHECK(decoded->info.size() == 63);
}

TEST_CASE("Pylon RS485 sends DCL positive when dcl_negative is off", "[pylon]") {
    PylonRs485Options o;
    o.pylon.dcl_negative = false;
    PylonRs485Responder pylon(o);
    CHECK(reply_text(pylon, "~20024692E00202FD2E\r", rs485_example_battery()) ==
          "~20024600B01402DAC0BB8003E805DCC0F916\r");
}

TEST_CASE("Pylon RS485 sends 0x63 currents in 0.01 A when switched", "[pylon]") {
    PylonRs485Options o;
    o.pylon.current_63_unit_ma = 10;
    PylonRs485Responder pylon(o);
    CHECK(reply_text(pylon, "~200246630000FDA9\r", rs485_example_battery()) ==
          "~20024600D012DAC0BB8027103A98C0F995\r");
}

TEST_CASE("Pylon RS485 sends the 0x61 current in 1 mA when switched", "[pylon]") {
    PylonRs485Options o;
    o.pylon.current_61_unit_ma = 1;
    PylonRs485Responder pylon(o);
    auto decoded = ascii::decode(reply_text(pylon, "~200246610000FDAB\r", rs485_example_battery()));
    REQUIRE(decoded.ok());
    const auto current = static_cast<std::int16_t>((decoded->info[2] << 8) | decoded->info[3]);
    CHECK(current == -12300);
}

TEST_CASE("Pylon RS485 in group 1 answers ADR 0x12 with the same INFO", "[pylon]") {
    PylonRs485Config settings;
    settings.group = 1;
    PylonRs485Responder pylon(pylon_rs485_options(settings, std::nullopt, ""));
    CHECK(pylon.options().address == 0x12);
    const auto b = rs485_example_battery();
    CHECK(reply_text(pylon, ascii::encode({0x20, 0x12, 0x46, 0x61, {}, false}), b) ==
          "~201246008062CB84FB3243007B007B62620CBE01070CB3030C0BA80BAF01020B9C03020BA80BA801010BA80"
          "1010BA80BA801010BA8"
          "0101E876\r");
    CHECK(reply_text(pylon, "~200246610000FDAB\r", b) == "<silence>");  // ADR 0x02 is not ours now
}

TEST_CASE("Pylon RS485 answers ADR 0 with ADR 0 unless switched off", "[pylon]") {
    const auto b = rs485_example_battery();
    const auto req = ascii::encode({0x20, 0x00, 0x46, 0x4F, {}, false});
    PylonRs485Responder pylon;
    CHECK(reply_text(pylon, req, b) == ascii::encode({0x20, 0x00, 0x46, 0x00, {}, false}));
    PylonRs485Options o;
    o.pylon.answer_adr0 = false;
    PylonRs485Responder strict(o);
    CHECK(reply_text(strict, req, b) == "<silence>");
}

TEST_CASE("Pylon RS485 answers an unknown CID2 with RTN 04 and stays silent on bad frames",
          "[pylon]") {
    PylonRs485Responder pylon;
    const auto b = rs485_example_battery();
    CHECK(reply_text(pylon, ascii::encode({0x20, 0x02, 0x46, 0x4D, {}, false}), b) ==
          "~200246040000FDAE\r");
    struct Row {
        const char* what;
        std::string frame;
        Rs485Outcome::Kind kind;
    };
    const Row rows[] = {
        {"bad CHKSUM", "~20024642E00202FD34\r", Rs485Outcome::Kind::malformed},
        {"bad LCHKSUM", "~20024642F00202FD32\r", Rs485Outcome::Kind::malformed},
        {"truncated", "~20024642E002\r", Rs485Outcome::Kind::malformed},
        {"truncated INFO", "~20024642E0020\r", Rs485Outcome::Kind::malformed},
        {"wrong ADR", ascii::encode({0x20, 0x03, 0x46, 0x42, {0x03}, false}),
         Rs485Outcome::Kind::not_for_us},
        {"CID1 not 0x46", ascii::encode({0x20, 0x02, 0x40, 0x42, {0x02}, false}),
         Rs485Outcome::Kind::malformed},
        {"garbage", "\xFF\x00garbage", Rs485Outcome::Kind::malformed},
        {"empty", "", Rs485Outcome::Kind::malformed},
    };
    for (const auto& row : rows) {
        INFO(row.what);
        const auto outcome = pylon.handle(ascii_bytes(row.frame), b, TimePoint{});
        CHECK(outcome.kind == row.kind);
        CHECK_FALSE(outcome.reply);
        CHECK_FALSE(outcome.detail.empty());
    }
}

TEST_CASE("Pylon RS485 answers 0x96 with the firmware versions", "[pylon]") {
    PylonRs485Responder pylon;
    auto decoded = ascii::decode(reply_text(
        pylon, ascii::encode({0x20, 0x02, 0x46, 0x96, {0x02}, false}), rs485_example_battery()));
    REQUIRE(decoded.ok());
    CHECK(decoded->cid2 == 0x00);
    CHECK(decoded->info == std::vector<std::uint8_t>{0x02, 0x02, 0x01, 0x02, 0x01, 0x00});
}

// Decoder regressions: the real captures of spec 1.6 pass the shared frame layer, and the
// fields read back where the 0x42/0x44/0x92 layouts put them.
TEST_CASE("the real Pylontech captures of spec 1.6 decode to their documented values", "[pylon]") {
    auto r42 = ascii::decode(
        "~20024600F07A00020F0D170D140D150D150D180D170D140D150D150D180D170D140D150D150D18050C0B0BEF0"
        "BF00BED0C0B00C9C447"
        "FFFF04FFFF00120172B90186A0E2D1\r");
    REQUIRE(r42.ok());
    const auto& i = r42->info;
    REQUIRE(i.size() == 61);
    CHECK(i[2] == 15);  // 15 cells
    const std::size_t after_cells = 3 + 2 * 15;
    CHECK(i[after_cells] == 5);  // 5 temperatures
    const std::size_t cur = after_cells + 1 + 10;
    CHECK(static_cast<std::int16_t>((i[cur] << 8) | i[cur + 1]) == 201);  // +20.1 A
    CHECK(((i[cur + 2] << 8) | i[cur + 3]) == 50247);                     // 50.247 V
    CHECK(i[cur + 6] == 4);
    CHECK(((i[cur + 11] << 16) | (i[cur + 12] << 8) | i[cur + 13]) == 94905);  // RM2 mAh
    CHECK(((i[cur + 14] << 16) | (i[cur + 15] << 8) | i[cur + 16]) == 100000);

    auto r92 = ascii::decode("~20024600B01402D002AFC800C8FE0CC0F915\r");
    REQUIRE(r92.ok());
    CHECK(r92->info ==
          std::vector<std::uint8_t>{0x02, 0xD0, 0x02, 0xAF, 0xC8, 0x00, 0xC8, 0xFE, 0x0C, 0xC0});

    auto r44 = ascii::decode(
        "~20024600A04200020F000000000000000000000000000000050000000000000000000E80000000F101\r");
    REQUIRE(r44.ok());
    CHECK(r44->info.size() == 33);  // one trailing byte after Status5, as the spec warns
    CHECK(r44->info[2] == 15);
}

TEST_CASE("every Pylon reply decodes with RTN 00 and the request's ADR", "[pylon]") {
    PylonRs485Responder pylon;
    const auto b = rs485_example_battery();
    const std::uint8_t commands[] = {0x4F, 0x51, 0x42, 0x44, 0x47, 0x92,
                                     0x93, 0x96, 0x60, 0x61, 0x62, 0x63};
    for (const std::uint8_t cid2 : commands) {
        INFO("CID2 " << int(cid2));
        const auto request = ascii::encode({0x20, 0x02, 0x46, cid2, {0x02}, false});
        auto decoded = ascii::decode(reply_text(pylon, request, b));
        REQUIRE(decoded.ok());
        CHECK(decoded->cid2 == 0x00);
        CHECK(decoded->adr == 0x02);
    }
}
