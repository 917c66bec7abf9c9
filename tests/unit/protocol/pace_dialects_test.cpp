// SPDX-License-Identifier: Apache-2.0
// The section 5 frames of the other dialects (Seplos-like, Pylontech, EG4, Boqiang) and the
// smaller replies of section 5.3, decoded field by field against the values the spec lists.
// Where the spec lists no value, the expectation is computed from the bytes and says so.
#include <algorithm>
#include <catch2/catch.hpp>

#include "packbridge/protocol/pack/pace.hpp"
#include "packbridge/protocol/pack/pace_misc.hpp"

using namespace packbridge;
using namespace packbridge::protocol;

namespace {

ascii::Frame frame(const std::string& raw) {
    auto f = ascii::decode(raw);
    INFO(raw);
    REQUIRE(f.ok());
    return *f;
}

using Cells = std::vector<std::uint16_t>;
using Temps = std::vector<std::int16_t>;

std::uint16_t min_cell(const PackAnalog& a) {
    return *std::min_element(a.cell_mv.begin(), a.cell_mv.end());
}
std::uint16_t max_cell(const PackAnalog& a) {
    return *std::max_element(a.cell_mv.begin(), a.cell_mv.end());
}

const char* const kF12 =
    "~20024600F07A11020F0CE00CDF0CE50CDF0CE40CE60CE60CE00CD90CDE0CE40CE00CE40CE40CE3050B9B0B870B8"
    "70B870B870004C139FFFF04FFFF00000070BC012110E209";
const char* const kF18 =
    "~20014A00A0CA1001100D2F0D2C0D2C0D2D0D2D0D2F0D2F0D2F0D2C0D2D0D2D0D2F0D300D2C0D300D2C040B9B0BA"
    "50B9B0B9B0BB90BAF029D151521A9268400540F005700620D300D2C00040BA50B9B000ADAC0000A54550005D4730"
    "00570A600000680000004CA56897E24D1A5";
const char* const kF19 =
    "~26004600307600011000000000000000000000000000000000000000000000000000000000000000000608530853"
    "085308530BAC0B9000000000002D0213880001E6B8";
const char* const kF26 =
    "~20014A007054100110000000000000000000000000000000000400000000000000000900000000000003020000"
    "000000EDC3";
const char* const kF08 =
    "~2000460010960001100CD70CE90CF40CD60CEF0CE50CE10CDC0CE90CF00CE80CEF0CEA0CDA0CDE0CD8060BA60BA0"
    "0B970BA60BA50BA2FD5C14A0344E0A426803134650004603E8149F0000000000000000DC6C";

}  // namespace

// ---- dialect detection -------------------------------------------------------------------------

TEST_CASE("the dialect is detected from VER, CID1, INFOFLAG and the record structure",
          "[pace][dialect]") {
    CHECK(pace::detect_dialect(frame(kF08)) == pace::Dialect::seplos);
    CHECK(pace::detect_dialect(frame(kF12)) == pace::Dialect::pylontech);
    CHECK(pace::detect_dialect(frame(kF18)) == pace::Dialect::eg4);
    CHECK(pace::detect_dialect(frame(kF26)) == pace::Dialect::eg4);
    CHECK(pace::detect_dialect(frame(kF19)) == pace::Dialect::pace);  // Boqiang VER 0x26
    // F-24 Seplos status: no P=10 record, but the P=20 status block.
    CHECK(pace::detect_dialect(frame(
              "~200046008062000110000000000101010101010101010101010600000101000"
              "00001141248800000100000001000000000000000000010EB0E")) == pace::Dialect::seplos);
    CHECK(std::string(pace::to_string(pace::Dialect::pylontech)) == "pylontech");
}

TEST_CASE("a PACE P=9 record and a Seplos P=10 record of the same length are told apart by VER",
          "[pace][dialect]") {
    const auto seplos = frame(kF08);
    PackAnalog a;
    a.cell_mv.assign(16, 3300);
    a.cell_temp_dc = {250, 250, 250, 250};
    a.mosfet_temp_dc = 260;
    a.ambient_temp_dc = 240;
    a.voltage_mv = 52800;
    a.remaining_mah = 50000;
    a.full_mah = 100000;
    a.design_mah = 100000;
    a.soc_pct = 50;
    const auto pace_p9 = frame(pace::encode_analog_reply(0x25, 0, a, pace::TailVariant::p9));
    REQUIRE(pace_p9.info.size() == seplos.info.size());  // 75 bytes each
    CHECK(pace::detect_dialect(pace_p9) == pace::Dialect::pace);
    CHECK(pace::detect_dialect(seplos) == pace::Dialect::seplos);
    const auto decoded = pace::decode_analog(pace_p9);
    REQUIRE(decoded.ok());
    CHECK(decoded->voltage_mv == 52800);  // mV, not Seplos 10 mV
    CHECK(decoded->soc_pct == 50);
}

// ---- PACE and Seplos-like 0x42 ----------------------------------------------------------------

TEST_CASE("F-02 PACE RS232 document example decodes every listed field", "[pace]") {
    const auto a = pace::decode_analog(
        frame("~25004600F07A0001100D420D140D130D130D130D130D130D130D110D120D130D110D110D120D100D130"
              "60BB70BB70BB80BB60BB30BBD0000D155128E03138800001388E3AC"));
    REQUIRE(a.ok());
    CHECK(a->cell_mv == Cells{3394, 3348, 3347, 3347, 3347, 3347, 3347, 3347, 3345, 3346, 3347,
                              3345, 3345, 3346, 3344, 3347});
    CHECK(a->cell_temp_dc == Temps{269, 269, 270, 268});
    CHECK(a->mosfet_temp_dc == 265);
    CHECK(a->ambient_temp_dc == 275);
    CHECK(a->current_ma == 0);
    CHECK(a->voltage_mv == 53589);
    CHECK(a->remaining_mah == 47500);
    CHECK(a->full_mah == 50000);
    CHECK(a->cycles == 0);
    CHECK(a->design_mah == 50000);
    CHECK_FALSE(a->soc_pct.has_value());
}

TEST_CASE("F-10 Enjie EMU1101 decodes as Seplos with SOC 29.6 % and 314 Ah", "[pace][seplos]") {
    const auto f = frame(
        "~2000460010960000100CB80CB60CB80CB80CB70CB70CB70CB80CB30CB70CB80CB80CB50CB70CB60CB60"
        "60B9E0B950B920BA00BC80BA9FB96145824520A7AA801287AA8000503E8145A00280000030802C0DC99");
    CHECK(pace::detect_dialect(f) == pace::Dialect::seplos);
    const auto a = pace::decode_analog(f);
    REQUIRE(a.ok());
    CHECK(a->cell_mv.size() == 16);
    CHECK(min_cell(*a) == 3251);
    CHECK(max_cell(*a) == 3256);
    CHECK(a->cell_temp_dc == Temps{243, 234, 231, 245});
    CHECK(a->ambient_temp_dc == 285);
    CHECK(a->mosfet_temp_dc == 254);
    CHECK(a->current_ma == -11300);
    CHECK(a->voltage_mv == 52080);
    CHECK(a->remaining_mah == 92980);
    CHECK(a->full_mah == 314000);
    CHECK(a->soc_pct == 30);  // 29.6 %
    CHECK(a->design_mah == 314000);
    CHECK(a->cycles == 5);
    CHECK(a->soh_pct == 100);
}

TEST_CASE("F-19 Boqiang VER 0x26 decodes with the PACE layout and its 4-byte P=2 tail",
          "[pace][boqiang]") {
    const auto f = frame(kF19);
    CHECK(f.ver == 0x26);
    const auto a = pace::decode_analog(f);
    REQUIRE(a.ok());
    CHECK(a->cell_mv == Cells(16, 0));  // the spec: all cells 0
    CHECK(a->absent());
    // Not listed by the spec, computed from the bytes: 6 sensors, 45 x 10 mAh, full 5000 x 10 mAh,
    // 1 cycle, no design capacity in the 4-byte tail.
    CHECK(a->cell_temp_dc == Temps{-599, -599, -599, -599});
    CHECK(a->remaining_mah == 450);
    CHECK(a->full_mah == 50000);
    CHECK(a->cycles == 1);
    CHECK(a->design_mah == 0);
}

// ---- Pylontech 0x42 ---------------------------------------------------------------------------

TEST_CASE("F-12 Pylontech P=4 record takes its capacities from the 3-byte fields",
          "[pace][pylontech]") {
    const auto a = pace::decode_analog(frame(kF12));
    REQUIRE(a.ok());
    CHECK(a->cell_mv.size() == 15);
    CHECK(min_cell(*a) == 3289);
    CHECK(max_cell(*a) == 3302);
    CHECK(a->ambient_temp_dc == 240);  // BMS board
    CHECK(a->cell_temp_dc == Temps{220, 220, 220, 220});
    CHECK_FALSE(a->mosfet_temp_dc.has_value());
    CHECK(a->current_ma == 400);  // 100 mA units
    CHECK(a->voltage_mv == 49465);
    CHECK(a->cycles == 0);
    CHECK(a->remaining_mah == 28860);
    CHECK(a->full_mah == 74000);
    CHECK(a->design_mah == 0);  // not in the Pylontech record
}

TEST_CASE("F-13 second Pylontech P=4 capture decodes the same way", "[pace][pylontech]") {
    const auto f = frame(
        "~20024600F07A11020F0CDE0CDC0CE20CDE0CE30CE30CE30CDF0CD80CDD0CE00CDE0CE20CE10CDF050"
        "B870B870B870B870B870000C117FFFF04FFFF00000070BC012110E1E7");
    CHECK(pace::detect_dialect(f) == pace::Dialect::pylontech);
    const auto a = pace::decode_analog(f);
    REQUIRE(a.ok());
    // The spec lists no values for F-13; computed from the bytes.
    CHECK(a->cell_mv.size() == 15);
    CHECK(a->cell_mv.front() == 3294);
    CHECK(a->ambient_temp_dc == 220);
    CHECK(a->current_ma == 0);
    CHECK(a->voltage_mv == 49431);
    CHECK(a->remaining_mah == 28860);
    CHECK(a->full_mah == 74000);
}

TEST_CASE("F-14 three US2000 modules in one FF reply decode as three P=2 records",
          "[pace][pylontech]") {
    const auto all = pace::decode_analog_all(frame(
        "~20024600914211030F0CE70CE80CE60CE70CE80CE80CE80CE60CE50CE60CE80CE70CEA0CE50CE6050B910B8"
        "70B870B870B87FFE6C18982DC02C350001F0F0CE20CE60CE60CE10CE50CE70CE60CE30CE20CE50CE30CE90CE"
        "70CE90CE9050B910B870B870B870B87FFE7C17082DC02C350001F0F0CE20CE50CE50CE20CE30CE30CE40CE50"
        "CE60CE60CE30CE40CE40CE60CE6050B910B7D0B7D0B7D0B7DFFE5C16082DC02C350001FB476"));
    REQUIRE(all.ok());
    REQUIRE(all->size() == 3);
    const std::int32_t currents[] = {-2600, -2500, -2700};
    const std::uint32_t voltages[] = {49545, 49520, 49504};
    for (std::size_t i = 0; i < 3; ++i) {
        INFO("module " << i + 1);
        const auto& a = (*all)[i];
        CHECK(a.cell_mv.size() == 15);
        CHECK(a.current_ma == currents[i]);
        CHECK(a.voltage_mv == voltages[i]);
        CHECK(a.remaining_mah == 33500);
        CHECK(a.full_mah == 50000);
        CHECK(a.cycles == 31);
    }
}

TEST_CASE("F-15 four US3000 modules total 82.25 % SOC and -1041.4 W", "[pace][pylontech]") {
    const auto all = pace::decode_analog_all(frame(
        "~2002460061DC11040F0CFD0CFC0CFC0CFB0CFC0CFB0CFD0CFC0CFC0CFB0CFA0CFD0CFB0CFE0CFA050BE10BC"
        "D0BCD0BCD0BCD0000C2C1FFFF04FFFF002F00EFEC0121100F0CEB0CEB0CEB0CEA0CEA0CEC0CEB0CEB0CE90CE"
        "80CE60CE90CE90CEA0CE8050BE10BCD0BCD0BCD0BCDFFBCC1B2FFFF04FFFF002800F2D00121100F0CE80CE90"
        "CEA0CEA0CEA0CE90CEA0CEA0CEB0CEC0CEB0CEB0CEB0CEA0CEA050BE10BC30BC30BC30BC3FFB7C1B8FFFF04F"
        "FFF007100E7400121100F0CE90CEC0CEB0CEA0CEA0CEB0CE90CE80CEA0CEA0CEA0CEB0CEC0CEA0CEA050BD70"
        "BC30BC30BC30BB9FFBBC1B9FFFF04FFFF006B00ED080121108D63"));
    REQUIRE(all.ok());
    REQUIRE(all->size() == 4);
    std::uint64_t remaining = 0, full = 0;
    double watts = 0;
    for (const auto& a : *all) {
        CHECK(a.full_mah == 74000);  // P=4: the 3-byte total
        remaining += a.remaining_mah;
        full += a.full_mah;
        watts += a.voltage_mv / 1000.0 * a.current_ma / 1000.0;
    }
    CHECK(remaining * 10000 / full == 8225);  // 82.25 %
    CHECK(watts == Approx(-1041.4).margin(0.05));
}

TEST_CASE("F-16 mixed US3000 and US2000 modules decode with their own capacities",
          "[pace][pylontech]") {
    const auto all = pace::decode_analog_all(frame(
        "~2002460010F011020F0CCD0CCE0CCC0CCE0CCB0CCC0CCD0CCC0CCD0CCB0CCC0CCD0CCD0CCE0CCC050BE10BC"
        "D0BCD0BD70BCDFFC3BFFDFFFF04FFFF0234007F300121100F0CCA0CCA0CCB0CCC0CCA0CCC0CCB0CCB0CCB0CC"
        "B0CCB0CCA0CCC0CCC0CCB050BEB0BCD0BCD0BCD0BC3FFD1BFE5FFFF04FFFF0292005FB400C350C4A7"));
    REQUIRE(all.ok());
    REQUIRE(all->size() == 2);
    CHECK((*all)[0].current_ma == -6100);
    CHECK((*all)[0].voltage_mv == 49149);
    CHECK((*all)[0].remaining_mah == 32560);
    CHECK((*all)[0].full_mah == 74000);
    CHECK((*all)[0].cycles == 564);
    CHECK((*all)[1].current_ma == -4700);
    CHECK((*all)[1].voltage_mv == 49125);
    CHECK((*all)[1].remaining_mah == 24500);
    CHECK((*all)[1].full_mah == 50000);
    CHECK((*all)[1].cycles == 658);
}

TEST_CASE("F-17 UP2500 with 8 cells decodes its 24 V record", "[pace][pylontech]") {
    const auto a = pace::decode_analog(
        frame("~20024600D05E1002080D020D020D020D030D000D010D010D03050B7D0B690B690B690B73FFFA680EF"
              "FFF04FFFF00000174E401B198E906"));
    REQUIRE(a.ok());
    CHECK(a->cell_mv == Cells{3330, 3330, 3330, 3331, 3328, 3329, 3329, 3331});
    CHECK(a->current_ma == -600);
    CHECK(a->voltage_mv == 26638);
    CHECK(a->remaining_mah == 95460);
    CHECK(a->full_mah == 111000);
}

// ---- EG4 --------------------------------------------------------------------------------------

TEST_CASE("F-18 EG4 LifePower4 record decodes with 10 mV voltage, SOC and SOH", "[pace][eg4]") {
    const auto a = pace::decode_analog(frame(kF18));
    REQUIRE(a.ok());
    CHECK(a->cell_mv.size() == 16);
    CHECK(min_cell(*a) == 3372);
    CHECK(max_cell(*a) == 3376);
    CHECK(a->current_ma == 6690);
    CHECK(a->voltage_mv == 53970);
    CHECK(a->remaining_mah == 86170);
    CHECK(a->full_mah == 98600);
    CHECK(a->cycles == 84);
    CHECK(a->soc_pct == 87);
    CHECK(a->soh_pct == 98);
    // Count byte 4, six sensors on the wire (section 2.2.7); computed from the bytes, offset 2731.
    CHECK(a->cell_temp_dc == Temps{240, 250, 240, 240});
    CHECK(a->mosfet_temp_dc == 270);
    CHECK(a->ambient_temp_dc == 260);
}

TEST_CASE("F-26 EG4 status: both MOSFETs on, charging, no alarms", "[pace][eg4]") {
    // The spec lists no decoded values for F-26; FET status 0x03 and system status 0x02 read with
    // the EG4 bit layout.
    const auto s = pace::decode_status(frame(kF26));
    REQUIRE(s.ok());
    CHECK(s->charge_mosfet_on);
    CHECK(s->discharge_mosfet_on);
    CHECK(s->charging);
    CHECK_FALSE(s->discharging);
    CHECK(s->warnings.none());
    CHECK(s->protections.none());
    CHECK(s->balancing_mask == 0);
}

// ---- section 5.3 ------------------------------------------------------------------------------

TEST_CASE("F-29 0x90 reply from the pack at DIP 0 reports one pack", "[pace][misc]") {
    const auto f = frame("~25004600E00201FD37");
    CHECK(f.adr == 0);
    const auto n = pace::decode_pack_count(f);
    REQUIRE(n.ok());
    CHECK(*n == 1);
}

TEST_CASE("F-30 0xA6 capacity reply gives 62.04, 103.46 and 100.00 Ah", "[pace][misc]") {
    const auto c = pace::decode_capacity(frame("~25004600400C183C286A2710FB0E"));
    REQUIRE(c.ok());
    CHECK(c->remaining_mah == 62040);
    CHECK(c->full_mah == 103460);
    CHECK(c->design_mah == 100000);
}

TEST_CASE("F-31 0xB1 date/time reply is 2024-08-21 05:29:31", "[pace][misc]") {
    const auto t = pace::decode_date_time(frame("~25004600400C180815051D1FFB10"));
    REQUIRE(t.ok());
    CHECK(*t == pace::PackDateTime{2024, 8, 21, 5, 29, 31});
}

TEST_CASE("a 0xB1 reply with month 13 is out of range", "[pace][misc]") {
    const auto t = pace::decode_date_time(
        frame(ascii::encode({0x25, 0, 0x46, 0x00, {0x18, 0x0D, 0x01, 0x00, 0x00, 0x00}, false})));
    REQUIRE_FALSE(t.ok());
    CHECK(t.error().code == Errc::out_of_range);
}

TEST_CASE("F-33 a history record carries data while the empty OK reply marks the end",
          "[pace][misc]") {
    const auto record = frame(
        "~25004600709018021D020038100D970D990D9A0D990D990D970D990D980D990D980D800D980D980D9"
        "90D980D98060B740B750B770B760B710B79FF6ED9D7286A286A0000000000060043FFFFFFFFDDE3");
    CHECK_FALSE(pace::is_empty_ok_reply(record));
    CHECK_FALSE(pace::is_request(record));
    const auto end = frame("~250046000000FDAF");
    CHECK(pace::is_empty_ok_reply(end));
    CHECK_FALSE(pace::is_request(end));
    CHECK_FALSE(pace::is_empty_ok_reply(frame("~200246040000FDAE")));  // an error is not the end
}

TEST_CASE("F-35 0x51 reply decodes name, raw version bytes and protocol name", "[pace][misc]") {
    const auto f =
        frame("~20004600C040313130312D584F313720100643414E3A504E475F4459455F4C7578705F544242F01A");
    const auto m = pace::decode_manufacturer_info(f);
    REQUIRE(m.ok());
    CHECK(m->device_name == "1101-XO17");
    CHECK(m->version_high == 0x10);
    CHECK(m->version_low == 0x06);
    CHECK(m->manufacturer == "CAN:PNG_DYE_Luxp_TBB");
    // decode_identity prints the version bytes in decimal.
    const auto id = pace::decode_identity(f, pace::kCidManufacturer);
    REQUIRE(id.ok());
    CHECK(id->firmware == "1101-XO17 16.6");
    CHECK(id->manufacturer == "CAN:PNG_DYE_Luxp_TBB");
}

TEST_CASE("F-36 0x4F reply carries protocol version 2.0 in VER", "[pace][misc]") {
    const auto v = pace::decode_protocol_version(frame("~200046000000FDB4"));
    REQUIRE(v.ok());
    CHECK(v->major == 2);
    CHECK(v->minor == 0);
}

TEST_CASE("F-37 Pylontech RTN 04 is a rejected reply, not a request", "[pace][pylontech]") {
    const auto f = frame("~200246040000FDAE");
    CHECK_FALSE(pace::is_request(f));
    const auto a = pace::decode_analog(f);
    REQUIRE_FALSE(a.ok());
    CHECK(a.error().code == Errc::rejected);
    CHECK(a.error().detail == "RTN 4: CID2 invalid / command not supported");
    CHECK(pace::decode_pylon_limits(f).error().code == Errc::rejected);
}

TEST_CASE("F-38 Pylontech 0x92 gives 28.4 V / 23.2 V / 55.5 A / -55.5 A, both enabled",
          "[pace][pylontech]") {
    const auto l = pace::decode_pylon_limits(frame("~20024600B014026EF05AA0022BFDD5C0F915"));
    REQUIRE(l.ok());
    CHECK(l->address == 2);
    CHECK(l->charge_voltage_mv == 28400);
    CHECK(l->discharge_voltage_mv == 23200);
    CHECK(l->charge_current_ma == 55500);
    CHECK(l->discharge_current_ma == -55500);
    CHECK(l->status == 0xC0);
    CHECK(l->charge_enabled);
    CHECK(l->discharge_enabled);
    CHECK_FALSE(l->force_charge_1);
    CHECK_FALSE(l->force_charge_2);
    CHECK_FALSE(l->full_charge_request);
}

// ---- request classification -------------------------------------------------------------------

TEST_CASE("code 0x90 is a PACE request but a Pylontech ADR-error reply", "[pace][dialect]") {
    CHECK(pace::is_request(frame("~250146900000FDA5")));  // F-29's request
    const auto pylon = frame(ascii::encode({0x20, 2, 0x46, 0x90, {}, false}));
    CHECK_FALSE(pace::is_request(pylon));
    CHECK_FALSE(pace::is_request(pylon, pace::Dialect::pylontech));
    CHECK(pace::is_request(pylon, pace::Dialect::pace));
}

TEST_CASE("codes 0xE1-0xE4 are PACE parameter requests but Seplos error replies",
          "[pace][dialect]") {
    for (std::uint8_t code = 0xE1; code <= 0xE4; ++code) {
        INFO("code " << int(code));
        CHECK(pace::is_request(frame(ascii::encode({0x25, 1, 0x46, code, {}, false}))));
        const auto seplos = frame(ascii::encode({0x20, 0, 0x46, code, {}, false}));
        CHECK_FALSE(pace::is_request(seplos));
        REQUIRE_FALSE(pace::decode_status(seplos).ok());
        CHECK(pace::decode_status(seplos).error().code == Errc::rejected);
    }
}

TEST_CASE("a synthetic Pylontech 0x44 reply is recognised by its DATA FLAG and maps Status1-3",
          "[pace][pylontech]") {
    // No real Pylontech 0x44 frame is in the spec: built from section 3.12. 15 cells, 5 sensors.
    std::vector<std::uint8_t> info{0x11, 0x02, 15};
    info.insert(info.end(), 15, 0x00);
    info.push_back(5);
    info.insert(info.end(), 5, 0x00);
    info.insert(info.end(), {0x00, 0x00, 0x00});  // current, voltage, discharge-current states
    info.insert(info.end(), {0x01, 0x06, 0x88, 0x00, 0x00});  // Status1-5
    const auto f = frame(ascii::encode({0x20, 2, 0x46, 0x00, info, false}));
    CHECK(pace::detect_dialect(f) == pace::Dialect::pylontech);
    const auto s = pace::decode_status(f);
    REQUIRE(s.ok());
    CHECK(s->protections.test(Alarm::pack_over_voltage));  // Status1 b0 module over-voltage
    CHECK(s->discharge_mosfet_on);                         // Status2 b2
    CHECK(s->charge_mosfet_on);                            // Status2 b1
    CHECK(s->charging);                                    // Status3 b7
    CHECK(s->fully_charged);                               // Status3 b3
    CHECK_FALSE(s->discharging);
}
