// SPDX-License-Identifier: Apache-2.0
// The frame assembler under adversarial chunking, and encoder -> decoder round trips.
#include <catch2/catch.hpp>

#include "packbridge/protocol/ascii/ascii_assembler.hpp"
#include "packbridge/protocol/pack/pace.hpp"

using namespace packbridge;
using namespace packbridge::protocol;

namespace {

const std::string kF01 =
    "~25014600F07A0001100CC70CC80CC70CC70CC70CC50CC60CC70CC70CC60CC70CC60CC60CC70CC60CC7060B9B0B990"
    "B990B990BB30BBC"
    "FF1FCCCD12D303286A008C2710E1E4\r";
const std::string kF21 =
    "~25014600004C000110000000000000000000000000000000000600000000000000000000000E000000000000EF3A"
    "\r";

struct Collected {
    std::vector<std::string> good;
    std::vector<Errc> bad;
};

Collected feed_in_chunks(const std::string& stream, std::size_t chunk) {
    ascii::Assembler assembler;
    Collected c;
    for (std::size_t i = 0; i < stream.size(); i += chunk) {
        const auto part = stream.substr(i, chunk);
        assembler.feed({reinterpret_cast<const std::uint8_t*>(part.data()), part.size()},
                       [&](const ascii::AssembledFrame& f) {
                           if (f.frame.ok()) {
                               c.good.push_back(f.raw);
                           } else {
                               c.bad.push_back(f.frame.error().code);
                           }
                       });
    }
    return c;
}

PackAnalog sample_pack() {
    PackAnalog a;
    a.cell_mv.assign(16, 3300);
    a.cell_mv[4] = 3312;
    a.cell_temp_dc = {251, 249, -35, 0};
    a.mosfet_temp_dc = 302;
    a.ambient_temp_dc = 187;
    a.current_ma = -12340;
    a.voltage_mv = 52812;
    a.remaining_mah = 61230;
    a.full_mah = 99870;
    a.design_mah = 100000;
    a.cycles = 321;
    a.soc_pct = 61;
    a.soh_pct = 99;
    return a;
}

}  // namespace

TEST_CASE("a frame split at every byte offset is assembled exactly once", "[pace][assembler]") {
    for (std::size_t cut = 1; cut < kF01.size(); ++cut) {
        ascii::Assembler assembler;
        int frames = 0;
        auto count = [&](const ascii::AssembledFrame& f) {
            CHECK(f.frame.ok());
            ++frames;
        };
        assembler.feed({reinterpret_cast<const std::uint8_t*>(kF01.data()), cut}, count);
        CHECK(assembler.in_frame());
        assembler.feed(
            {reinterpret_cast<const std::uint8_t*>(kF01.data()) + cut, kF01.size() - cut}, count);
        CHECK(frames == 1);
    }
}

TEST_CASE("leading garbage, back-to-back frames and byte-by-byte delivery all yield both frames",
          "[pace][assembler]") {
    const std::string stream = "\x00\xFF garbage ~~~" + kF01 + kF21;
    for (const std::size_t chunk : {1UL, 3UL, 17UL, 4096UL}) {
        const auto c = feed_in_chunks(stream, chunk);
        REQUIRE(c.good.size() == 2);
        CHECK(c.good[0] == kF01);
        CHECK(c.good[1] == kF21);
    }
}

TEST_CASE("a frame interrupted by a new '~' is reported and the new frame still decodes",
          "[pace][assembler]") {
    const auto c = feed_in_chunks(kF01.substr(0, 40) + kF21, 7);
    REQUIRE(c.good.size() == 1);
    CHECK(c.good[0] == kF21);
    REQUIRE(c.bad.size() == 1);
    CHECK(c.bad[0] == Errc::truncated);
}

TEST_CASE("bad checksums, bad LCHKSUM and truncation reach the caller as errors",
          "[pace][assembler]") {
    std::string bad_sum = kF21;
    bad_sum[bad_sum.size() - 2] = '0';
    std::string bad_len = kF21;
    bad_len[9] = '1';  // LENGTH 004C -> 104C: LCHKSUM wrong
    const auto c = feed_in_chunks(bad_sum + bad_len + "~2501\r" + kF21, 5);
    REQUIRE(c.bad.size() == 3);
    CHECK(c.bad[0] == Errc::checksum);
    CHECK(c.bad[1] == Errc::length_checksum);
    CHECK(c.bad[2] == Errc::truncated);
    CHECK(c.good.size() == 1);
}

TEST_CASE("a line without CR longer than any legal frame is abandoned and the stream resyncs",
          "[pace][assembler]") {
    const auto c = feed_in_chunks("~" + std::string(5000, '0') + kF21, 512);
    REQUIRE(c.bad.size() == 1);
    CHECK(c.bad[0] == Errc::bad_length);
    CHECK(c.good.size() == 1);
}

TEST_CASE("the characters still to come of a frame are known from its LENGTH field",
          "[pace][assembler]") {
    // What lets the poller wait for the rest of a reply instead of waking up per character.
    ascii::Assembler assembler;
    const auto nothing = [](const ascii::AssembledFrame&) {};
    const std::string stream = "noise" + kF01;
    for (std::size_t have = 0; have < stream.size(); ++have) {
        INFO("after " << have << " characters");
        const auto in_frame = have > 5 ? have - 5 : 0;  // characters of the frame so far
        if (in_frame == 0) {
            CHECK(assembler.chars_to_come() == 0);
        } else if (in_frame < ascii::kHeaderChars) {
            CHECK(assembler.chars_to_come() == ascii::kMinFrameChars - in_frame);  // at least
        } else {
            CHECK(assembler.chars_to_come() == kF01.size() - in_frame);  // exactly
        }
        assembler.feed({reinterpret_cast<const std::uint8_t*>(stream.data()) + have, 1}, nothing);
    }
    CHECK(assembler.chars_to_come() == 0);  // the CR ended it
}

TEST_CASE("a frame whose LENID counts bytes, or whose LENGTH is not hex, is still waited for",
          "[pace][assembler]") {
    ascii::Assembler assembler;
    const auto nothing = [](const ascii::AssembledFrame&) {};
    const auto feed = [&](const std::string& text) {
        assembler.feed({reinterpret_cast<const std::uint8_t*>(text.data()), text.size()}, nothing);
    };
    // LENID 20 read as characters (as the specification says): 20 INFO characters, CHKSUM, CR.
    std::string header = "~25014600";
    ascii::append_hex16(header, ascii::length_field(20));
    feed(header + std::string(20, '0'));
    CHECK(assembler.chars_to_come() == 4 + 1);
    // No CR where it would be: a sender counting LENID in bytes (decode() accepts those), whose
    // frame has 40 INFO characters, so 20 more than read, then CHKSUM and CR.
    feed(std::string(5, '0'));
    CHECK(assembler.chars_to_come() == 15 + 4 + 1);
    feed(std::string(19, '0'));
    CHECK(assembler.chars_to_come() == 1);  // past both readings: only its CR is known to come
    assembler.reset();
    feed("~25014600ZZZZ00");
    CHECK(assembler.chars_to_come() == 1);
}

TEST_CASE("analog replies round-trip through every tail variant", "[pace]") {
    const auto a = sample_pack();
    for (const auto tail :
         {pace::TailVariant::p3, pace::TailVariant::p2_soc, pace::TailVariant::p9}) {
        const auto decoded =
            pace::decode_analog(*ascii::decode(pace::encode_analog_reply(0x25, 5, a, tail)));
        REQUIRE(decoded.ok());
        CHECK(decoded->cell_mv == a.cell_mv);
        CHECK(decoded->cell_temp_dc == a.cell_temp_dc);
        CHECK(decoded->mosfet_temp_dc == a.mosfet_temp_dc);
        CHECK(decoded->ambient_temp_dc == a.ambient_temp_dc);
        CHECK(decoded->current_ma == a.current_ma);
        CHECK(decoded->voltage_mv == a.voltage_mv);
        CHECK(decoded->remaining_mah == a.remaining_mah);
        CHECK(decoded->full_mah == a.full_mah);
        CHECK(decoded->design_mah == a.design_mah);
        CHECK(decoded->cycles == a.cycles);
        CHECK(decoded->soc_pct.has_value() == (tail != pace::TailVariant::p3));
        CHECK(decoded->soh_pct.has_value() == (tail == pace::TailVariant::p9));
    }
}

TEST_CASE("status replies round-trip alarms, MOSFETs and balancing", "[pace]") {
    PackStatus s;
    s.charge_mosfet_on = false;
    s.discharge_mosfet_on = true;
    s.discharging = true;
    s.balancing_mask = 0x8001;
    s.protections.set(Alarm::cell_over_voltage);
    s.protections.set(Alarm::charge_under_temperature);
    s.protections.set(Alarm::internal_fault);
    s.warnings.set(Alarm::low_soc);
    s.warnings.set(Alarm::discharge_over_current);
    const auto decoded =
        pace::decode_status(*ascii::decode(pace::encode_status_reply(0x25, 3, s, 16, 6)));
    REQUIRE(decoded.ok());
    CHECK(decoded->protections == s.protections);
    CHECK(decoded->warnings == s.warnings);
    CHECK(decoded->charge_mosfet_on == s.charge_mosfet_on);
    CHECK(decoded->discharge_mosfet_on == s.discharge_mosfet_on);
    CHECK(decoded->discharging);
    CHECK(decoded->balancing_mask == 0x8001);
}

TEST_CASE("identity and error replies round-trip", "[pace]") {
    const auto fw = pace::decode_identity(
        *ascii::decode(pace::encode_firmware_reply(0x25, 1, "P16S100A-SIM")), pace::kCidFirmware);
    REQUIRE(fw.ok());
    CHECK(fw->firmware == "P16S100A-SIM");
    const auto sn = pace::decode_identity(
        *ascii::decode(pace::encode_serial_reply(0x25, 1, "SN0001")), pace::kCidSerial);
    REQUIRE(sn.ok());
    CHECK(sn->serial == "SN0001");
    CHECK(pace::encode_error_reply(0x20, 2, 0x04) == "~200246040000FDAE\r");  // F-37
}
