// SPDX-License-Identifier: Apache-2.0
// The pack-family table against pack-protocol.md: each family's VER and CID1 (section 1.3),
// its requests byte for byte (sections 2.2.7, 5.5, F-18/F-26), its decoders on the captured
// frames of section 5 (design capacity and SOH from its own fields), and its reply encoders
// read back by its decoders with the captured frames' lengths.
#include <catch2/catch.hpp>
#include <set>

#include "packbridge/protocol/pack/families.hpp"
#include "packbridge/protocol/pack/pace_misc.hpp"

using namespace packbridge;
using namespace packbridge::protocol;
using pace::Dialect;

namespace {

ascii::Frame frame(const std::string& raw) {
    auto f = ascii::decode(raw);
    INFO(raw);
    REQUIRE(f.ok());
    return *f;
}

const char* const kF01 =
    "~25014600F07A0001100CC70CC80CC70CC70CC70CC50CC60CC70CC70CC60CC70CC60CC60CC70CC60CC7060B9B0B"
    "990B990B990BB30BBCFF1FCCCD12D303286A008C2710E1E4";
const char* const kF08 =
    "~2000460010960001100CD70CE90CF40CD60CEF0CE50CE10CDC0CE90CF00CE80CEF0CEA0CDA0CDE0CD8060BA60B"
    "A00B970BA60BA50BA2FD5C14A0344E0A426803134650004603E8149F0000000000000000DC6C";
const char* const kF12 =
    "~20024600F07A11020F0CE00CDF0CE50CDF0CE40CE60CE60CE00CD90CDE0CE40CE00CE40CE40CE3050B9B0B870B8"
    "70B870B870004C139FFFF04FFFF00000070BC012110E209";
const char* const kF18 =
    "~20014A00A0CA1001100D2F0D2C0D2C0D2D0D2D0D2F0D2F0D2F0D2C0D2D0D2D0D2F0D300D2C0D300D2C040B9B0BA"
    "50B9B0B9B0BB90BAF029D151521A9268400540F005700620D300D2C00040BA50B9B000ADAC0000A54550005D4730"
    "00570A600000680000004CA56897E24D1A5";

std::size_t lenid(const std::string& raw) {
    return std::stoul(raw.substr(10, 3), nullptr, 16);
}

// A 16-cell pack in every family's wire resolution.
PackAnalog sample(Dialect d) {
    PackAnalog a;
    for (int i = 0; i < 16; ++i)
        a.cell_mv.push_back(static_cast<std::uint16_t>(3300 + i));
    a.cell_temp_dc = {241, 239, 240, 238};
    a.current_ma = -2300;
    a.voltage_mv = 52850;
    a.remaining_mah = 48190;
    a.full_mah = 98600;
    a.cycles = 140;
    if (d != Dialect::pylontech) {
        a.mosfet_temp_dc = 265;
        a.ambient_temp_dc = 230;
    } else {
        a.ambient_temp_dc = 230;  // the BMS board sensor
    }
    if (d == Dialect::seplos) {
        a.design_mah = 100000;
        a.soc_pct = 49;
        a.soh_pct = 98;
    }
    if (d == Dialect::eg4) {
        a.soc_pct = 49;
        a.soh_pct = 98;
    }
    if (d == Dialect::pace) a.design_mah = 100000;
    return a;
}

}  // namespace

TEST_CASE("the family table has PACE, Seplos, Pylontech and EG4 with the spec's VER and CID1",
          "[families]") {
    std::set<std::string> names;
    for (const auto& f : pace::pack_families()) {
        names.insert(f.name);
        CHECK(pace::find_pack_family(f.name) == &f);
        CHECK(&pace::pack_family(f.dialect) == &f);
        CHECK_FALSE(f.identity_cids.empty());
        CHECK_FALSE(f.alarms(f.dialect).empty());
    }
    CHECK(names == std::set<std::string>{"pace", "seplos", "pylontech", "eg4"});
    CHECK(pace::pack_family(Dialect::pace).ver == 0x25);
    CHECK(pace::pack_family(Dialect::seplos).ver == 0x20);
    CHECK(pace::pack_family(Dialect::pylontech).ver == 0x20);
    CHECK(pace::pack_family(Dialect::eg4).ver == 0x20);
    CHECK(pace::pack_family(Dialect::eg4).cid1 == 0x4A);
    CHECK(pace::pack_family(Dialect::pylontech).cid1 == 0x46);
    CHECK(pace::find_pack_family("boqiang") == nullptr);
}

TEST_CASE("each family's requests are the spec's bytes", "[families]") {
    const auto& pace_f = pace::pack_family(Dialect::pace);
    const auto& seplos = pace::pack_family(Dialect::seplos);
    const auto& pylon = pace::pack_family(Dialect::pylontech);
    const auto& eg4 = pace::pack_family(Dialect::eg4);
    CHECK(pace::build_request(pace_f, 0x25, 1, 0x42) == "~25014642E00201FD30\r");  // 5.5
    CHECK(pace::build_request(pace_f, 0x25, 1, 0xC1) == "~250146C10000FD9A\r");    // F-27
    CHECK(pace::build_request(seplos, 0x20, 0, 0x42) == "~20004642E00200FD37\r");  // F-08
    CHECK(pace::build_request(seplos, 0x20, 0, 0x51) == "~200046510000FDAE\r");    // F-34
    CHECK(pace::build_request(pylon, 0x20, 2, 0x42) == "~20024642E00202FD33\r");   // 5.5
    CHECK(pace::build_request(pylon, 0x20, 2, 0x93) == "~20024693E00202FD2D\r");   // 5.5
    CHECK(pace::build_request(eg4, 0x20, 1, 0x42) == "~20014A420000FDA2\r");       // F-18
    CHECK(pace::build_request(eg4, 0x20, 1, 0x44) == "~20014A440000FDA0\r");       // F-26
    CHECK(pace::build_request(pylon, 0x20, 2, 0x94).empty());                      // a write: never
    CHECK(pace::same_request_shape(seplos, pylon));
    CHECK_FALSE(pace::same_request_shape(seplos, eg4));
    CHECK_FALSE(pace::same_request_shape(pace_f, seplos));
}

TEST_CASE("each family takes design capacity and SOH from its own fields, else unknown",
          "[families]") {
    const auto pace_a = pace::pack_family(Dialect::pace).decode_analog(frame(kF01));
    REQUIRE(pace_a.ok());
    CHECK(pace_a->design_mah == 100000);  // 0x42 design capacity
    const auto seplos = pace::pack_family(Dialect::seplos).decode_analog(frame(kF08));
    REQUIRE(seplos.ok());
    CHECK(seplos->design_mah == 180000);  // rated capacity
    CHECK(seplos->full_mah == 170000);
    CHECK(seplos->soh_pct == 100);
    const auto pylon = pace::pack_family(Dialect::pylontech).decode_analog(frame(kF12));
    REQUIRE(pylon.ok());
    CHECK(pylon->full_mah == 74000);
    CHECK(pylon->design_mah == 0);  // none in the layout
    CHECK_FALSE(pylon->soh_pct.has_value());
    CHECK(pace::pack_family(Dialect::pylontech).design_capacity_field == nullptr);
    CHECK_FALSE(pace::pack_family(Dialect::pylontech).reports_soh);
    const auto eg4 = pace::pack_family(Dialect::eg4).decode_analog(frame(kF18));
    REQUIRE(eg4.ok());
    CHECK(eg4->design_mah == 0);
    CHECK(eg4->soh_pct == 98);
    CHECK(eg4->full_mah == 98600);
}

TEST_CASE("the family of a reply header: CID1 0x4A is EG4, VER 0x25 PACE, VER 0x20 undecided",
          "[families]") {
    CHECK(pace::family_of_header(frame(kF18)) == Dialect::eg4);
    CHECK(pace::family_of_header(frame(kF01)) == Dialect::pace);
    CHECK_FALSE(pace::family_of_header(frame(kF08)).has_value());
    CHECK_FALSE(pace::family_of_header(frame("~200246040000FDAE")).has_value());  // F-37
}

TEST_CASE("0x51, 0x93 and 0x96 replies give model, firmware and serial", "[families]") {
    const auto id = pace::decode_family_identity(
        frame("~20004600C040313130312D5350313520020743414E50726F746F636F6C3A536F666172202020F046"),
        0x51);  // F-34
    REQUIRE(id.ok());
    CHECK(id->model == "1101-SP15");
    CHECK(id->firmware == "2.7");
    CHECK(id->manufacturer == "CANProtocol:Sofar");
    const std::array<std::uint8_t, 5> version{1, 2, 1, 10, 3};
    const auto fw = pace::decode_family_identity(
        frame(pace::encode_pylon_firmware_reply(0x20, 2, version)), 0x96);
    REQUIRE(fw.ok());
    CHECK(fw->firmware == "1.2 (main 1.10.3)");
    const auto sn = pace::decode_family_identity(
        frame(pace::encode_pylon_serial_reply(0x20, 2, "PPTAH02000000002")), 0x93);
    REQUIRE(sn.ok());
    CHECK(sn->serial == "PPTAH02000000002");
    CHECK(pace::decode_family_identity(frame("~200246040000FDAE"), 0x51).error().code ==
          Errc::rejected);
}

TEST_CASE("each family's encoders are read back by its decoders, in the captured lengths",
          "[families]") {
    for (const auto& f : pace::pack_families()) {
        INFO(f.name);
        const auto a = sample(f.dialect);
        const auto raw = f.encode_analog(f.ver, 3, a, pace::TailVariant::p2_soc);
        const auto fr = frame(raw);
        CHECK(fr.cid1 == f.cid1);
        CHECK(pace::detect_dialect(fr) == f.dialect);  // the layout tells the family
        const auto back = f.decode_analog(fr);
        REQUIRE(back.ok());
        CHECK(back->cell_mv == a.cell_mv);
        CHECK(back->cell_temp_dc == a.cell_temp_dc);
        CHECK(back->mosfet_temp_dc == a.mosfet_temp_dc);
        CHECK(back->ambient_temp_dc == a.ambient_temp_dc);
        CHECK(back->current_ma == a.current_ma);
        CHECK(back->voltage_mv == a.voltage_mv);
        CHECK(back->remaining_mah == a.remaining_mah);
        CHECK(back->full_mah == a.full_mah);
        CHECK(back->design_mah == a.design_mah);
        CHECK(back->cycles == a.cycles);
        if (f.reports_soh) CHECK(back->soh_pct == a.soh_pct);

        PackStatus s;
        s.charge_mosfet_on = true;
        s.discharging = true;
        s.discharge_mosfet_on = true;
        s.protections.set(Alarm::charge_over_current);
        const auto st = f.decode_status(frame(f.encode_status(f.ver, 3, s, 16, 6)));
        REQUIRE(st.ok());
        CHECK(st->protections == s.protections);
        CHECK(st->charge_mosfet_on);
        CHECK(st->discharge_mosfet_on);
        CHECK(st->discharging);
    }
    // The captured frames' INFO lengths for the same counts: Seplos 16 cells / 6 sensors (F-08),
    // EG4 16 cells (F-18), Pylontech 15 cells / 5 sensors at P=4 (F-12).
    const auto& seplos = pace::pack_family(Dialect::seplos);
    CHECK(lenid(seplos.encode_analog(0x20, 0, sample(Dialect::seplos), {})) == lenid(kF08));
    const auto& eg4 = pace::pack_family(Dialect::eg4);
    CHECK(lenid(eg4.encode_analog(0x20, 1, sample(Dialect::eg4), {})) == lenid(kF18));
    auto pylon15 = sample(Dialect::pylontech);
    pylon15.cell_mv.resize(15);
    CHECK(lenid(pace::encode_pylon_analog_reply(0x20, 2, pylon15, {})) == lenid(kF12));
    CHECK(lenid(eg4.encode_status(0x20, 1, PackStatus{}, 16, 6)) ==
          lenid("~20014A007054100110000000000000000000000000000000000400000000000000000900000000"
                "000003020000000000EDC3"));  // F-26
    CHECK(lenid(seplos.encode_status(0x20, 0, PackStatus{}, 16, 6)) ==
          lenid("~20004600806200001000000000000000000000000000000000060000000000000000140000000"
                "000000300000100000000000000000001EB33"));  // F-25
}
