// SPDX-License-Identifier: Apache-2.0
// Every real 0x42/0x44/identity frame of pack-protocol.md section 5 decoded field by field.
#include <catch2/catch.hpp>

#include "packbridge/protocol/pack/pace.hpp"

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

}  // namespace

TEST_CASE("F-01 Jakiper P=3 record decodes to the listed cells, temperatures and capacities",
          "[pace]") {
    const auto a =
        pace::decode_analog(frame("~25014600F07A0001100CC70CC80CC70CC70CC70CC50CC60CC70CC70CC60CC70"
                                  "CC60CC60CC70CC60CC7060B9B0B990B990B990BB30BBC"
                                  "FF1FCCCD12D303286A008C2710E1E4"));
    REQUIRE(a.ok());
    CHECK(a->cell_mv == Cells{3271, 3272, 3271, 3271, 3271, 3269, 3270, 3271, 3271, 3270, 3271,
                              3270, 3270, 3271, 3270, 3271});
    CHECK(a->cell_temp_dc == Temps{241, 239, 239, 239});
    CHECK(a->mosfet_temp_dc == 265);
    CHECK(a->ambient_temp_dc == 274);
    CHECK(a->current_ma == -2250);
    CHECK(a->voltage_mv == 52429);
    CHECK(a->remaining_mah == 48190);
    CHECK(a->full_mah == 103460);
    CHECK(a->cycles == 140);
    CHECK(a->design_mah == 100000);
    CHECK_FALSE(a->soc_pct.has_value());
}

TEST_CASE("F-03 PACE RS485 document example for pack 2 decodes", "[pace]") {
    const auto f = frame(
        "~25024600F07A0002100D370CE50D080CED0D060CE70D1D0CEB0CF80CFA0CFB0D070CE10CF10CC20D06060BAA0"
        "BAC0BA60BA70BA90BB2"
        "0000CF9406D603138800001388E261");
    CHECK(f.adr == 2);
    const auto a = pace::decode_analog(f);
    REQUIRE(a.ok());
    CHECK(a->cell_mv.front() == 3383);
    CHECK(a->cell_mv.back() == 3334);
    CHECK(a->cell_temp_dc == Temps{256, 258, 252, 253});
    CHECK(a->current_ma == 0);
    CHECK(a->voltage_mv == 53140);
    CHECK(a->remaining_mah == 17500);
    CHECK(a->full_mah == 50000);
    CHECK(a->design_mah == 50000);
}

TEST_CASE("F-05 link-bus capture with the P=2 + SOC tail decodes the SOC byte and charging current",
          "[pace]") {
    const auto a =
        pace::decode_analog(frame("~25024600D07C0002100D330D360D3C0D300D3A0D360D3C0D350D3E0D3B0D3D0"
                                  "D380D370D370D360D34060BA60BA20BA30BA60B9D0BAC"
                                  "096CD3B21A680226AC03B826AC44E232"));
    REQUIRE(a.ok());
    CHECK(a->current_ma == 24120);
    CHECK(a->voltage_mv == 54194);
    CHECK(a->remaining_mah == 67600);
    CHECK(a->full_mah == 99000);
    CHECK(a->cycles == 952);
    CHECK(a->soc_pct == 68);
    CHECK(a->cell_temp_dc == Temps{252, 248, 249, 252});
}

TEST_CASE("F-06 clone with P=0 is sized from LENID, not from P", "[pace]") {
    const auto a =
        pace::decode_analog(frame("~25024600F07A0000100D000D000D000D010D010D010D020D020D030D020D020"
                                  "D030D030D030D030D03060BC20BC20BC20BCC0BCA0BD6"
                                  "0000D01623AC0028A700022710E3BA"));
    REQUIRE(a.ok());
    CHECK(a->voltage_mv == 53270);
    CHECK(a->remaining_mah == 91320);
    CHECK(a->full_mah == 104070);
    CHECK(a->cycles == 2);
}

TEST_CASE("F-07 two packs with mixed 20-byte tails both decode", "[pace]") {
    const auto all =
        pace::decode_analog_all(frame("~2501460051280002100C9B0C9C0C9E0C9C0C9D0C9D0C9F0C9D0C9D0C9E0"
                                      "C9F0C9F0C9F0C9F0C9D0C9C060BC20BAE0B990B8C0BDC0BD6"
                                      "FBC4C9DC2CA6097C14002A714824714871487148714864CA120000100C95"
                                      "0C970C980C9B0C9B0C970C980C9A0C980C990C8F0C980C950C"
                                      "990C9A0C95060B8C0B850B7C0B7C0B910B82FB9BC9782C8B037AA8000676"
                                      "C02476C076C076C076C064C9F70000BB68"));
    REQUIRE(all.ok());
    REQUIRE(all->size() == 2);
    CHECK((*all)[0].current_ma == -10840);
    CHECK((*all)[0].voltage_mv == 51676);
    CHECK((*all)[0].remaining_mah == 114300);
    CHECK((*all)[0].full_mah == 317640);
    CHECK((*all)[0].cycles == 42);
    CHECK((*all)[0].design_mah == 290000);
    CHECK((*all)[0].soc_pct == 36);
    CHECK((*all)[0].soh_pct == 100);
    CHECK((*all)[1].current_ma == -11250);
    CHECK((*all)[1].voltage_mv == 51576);
    CHECK((*all)[1].full_mah == 314000);
    CHECK((*all)[1].cycles == 6);
    CHECK((*all)[1].design_mah == 304000);
}

TEST_CASE("F-08 Seplos v2 record decodes with 10 mV voltage and the swapped ambient/power sensors",
          "[pace][seplos]") {
    const auto a =
        pace::decode_analog(frame("~2000460010960001100CD70CE90CF40CD60CEF0CE50CE10CDC0CE90CF00CE80"
                                  "CEF0CEA0CDA0CDE0CD8060BA60BA00B970BA60BA50BA2"
                                  "FD5C14A0344E0A426803134650004603E8149F0000000000000000DC6C"));
    REQUIRE(a.ok());
    CHECK(a->cell_mv.front() == 3287);
    CHECK(a->cell_temp_dc == Temps{251, 245, 236, 251});
    CHECK(a->ambient_temp_dc == 250);
    CHECK(a->mosfet_temp_dc == 247);
    CHECK(a->current_ma == -6760);
    CHECK(a->voltage_mv == 52800);
    CHECK(a->remaining_mah == 133900);
    CHECK(a->full_mah == 170000);
    CHECK(a->soc_pct == 79);  // 78.7 %
    CHECK(a->design_mah == 180000);
    CHECK(a->cycles == 70);
    CHECK(a->soh_pct == 100);
}

TEST_CASE("the synthetic 10-pack frame with a checksum sum above 0xFFFF decodes, slot 2 absent",
          "[pace]") {
    const std::string raw =
        "~2501460085B8000A100CF40CF40CF40CF50CF30CF40CF40CF30CF80CF30CF30CF30CF30CF50CF40CF4060B2E0"
        "B300B2D0B300B3B0B47"
        "FEFCCF406B58096D2700146D60626D606D606D606D6064D1180000100000000000000000000000000000000000"
        "000000000000000000000"
        "000000000060AAA0AAA0AAA0AAA0AAA0AAA0000000000000900000000000062000000000000000064000000001"
        "00CF40CF40CF30CF40CF3"
        "0CF40CF40CF40CF30CF30CF40CF40CF30CF30CF40CF2060B320B2F0B340B2C0B3D0B4AFEF6CF386B65096D2700"
        "146D60626D606D606D60"
        "6D6064CF320000100CF30CF40CF40CF40CF40CF40CF40CF40CF40CF40CF40CF40CF40CF40CF40CF4060B330B32"
        "0B2E0B340B410B48FEF9"
        "CF3F6B72096D2700146D60626D606D606D606D6064CFCC0000100CF40CF30CF40CF30CF40CF40CF30CF40CF30C"
        "F30CF30CF40CF30CF40C"
        "F30CF1060B330B2D0B2F0B340B3D0B48FF10CF646B7A096D2700146D60626D606D606D606D6064CFF70000100C"
        "F40CF30CF20CF20CF30C"
        "F20CF30CF10CF30CF30CF30CF20CF30CF30CF30CF1060B2D0B320B300B310B3C0B49FF11CF296B7F096D2A0013"
        "6D60626D606D606D606D"
        "6064D0030000100CF40CF40CF40CF40CF40CF40CF40CF40CF40CF40CF40CF50CF40CF40CF40CF3060B310B2E0B"
        "310B2E0B400B4AFF1ACF"
        "4075580976EE00146D60636D606D606D606D6064CFD20000100CF30CF10CF40CF30CF30CF40CF30CF30CF10CF3"
        "0CF40CF30CF30CF30CF3"
        "0CF2060B300B2E0B2F0B330B3B0B42FF07CF636B50096D2400156D60626D606D606D606D6064CFCE0000100CF4"
        "0CF40CF40CF40CF40CF4"
        "0CF40CF40CF40CF40CF40CF40CF40CF40CF40CF3060B2B0B2D0B290B2F0B3B0B4BFF1BCF3F6B7F096D2D00126D"
        "60626D606D606D606D60"
        "64D1260000100CF40CF40CF40CF40CF40CF40CF40CF60CF30CF40CF40CF40CF40CF40CF40CF3060B2A0B2E0B2D"
        "0B2A0B390B43FF24CF40"
        "6B5F096D2700146D60626D606D606D606D6064D0C70000BA15";
    const auto all = pace::decode_analog_all(frame(raw));
    REQUIRE(all.ok());
    REQUIRE(all->size() == 10);
    CHECK((*all)[1].absent());
    CHECK_FALSE((*all)[0].absent());
    CHECK((*all)[6].remaining_mah == 300400);  // pack 7: 300.40 Ah
    CHECK((*all)[0].full_mah == 279430);
    CHECK((*all)[0].design_mah == 280000);
    // The same frame with the buggy "% 0xFFFF" checksum is rejected.
    auto buggy = ascii::decode(raw.substr(0, raw.size() - 4) + "BA14");
    REQUIRE_FALSE(buggy.ok());
    CHECK(buggy.error().detail == "CHKSUM expected BA15, found BA14");
}

TEST_CASE("F-21 PACE status: both MOSFETs on while the pack supplies the load, no alarms",
          "[pace]") {
    const auto s =
        pace::decode_status(frame("~25014600004C000110000000000000000000000000000000000600000000000"
                                  "000000000000E000000000000EF3A"));
    REQUIRE(s.ok());
    CHECK(s->charge_mosfet_on);
    CHECK(s->discharge_mosfet_on);
    CHECK(s->discharging);
    CHECK_FALSE(s->charging);
    CHECK(s->warnings.none());
    CHECK(s->protections.none());
}

TEST_CASE("F-23 clone status with a 13-byte tail decodes idle with both MOSFETs on", "[pace]") {
    const auto s =
        pace::decode_status(frame("~25024600E04E000210000000000000000000000000000000000600000000000"
                                  "000000000000600000000000000EED0"));
    REQUIRE(s.ok());
    CHECK(s->charge_mosfet_on);
    CHECK(s->discharge_mosfet_on);
    CHECK_FALSE(s->discharging);
}

TEST_CASE("F-24 Seplos status with active alarms maps to the normalised protections",
          "[pace][seplos]") {
    const auto s =
        pace::decode_status(frame("~200046008062000110000000000101010101010101010101010600000101000"
                                  "00001141248800000100000001000000000000000000010EB0E"));
    REQUIRE(s.ok());
    CHECK(s->protections.test(Alarm::internal_fault));               // temperature-sensor fault
    CHECK(s->warnings.test(Alarm::cell_imbalance));                  // cell-voltage dropout
    CHECK(s->protections.test(Alarm::cell_under_voltage));           // event2 b3
    CHECK(s->warnings.test(Alarm::pack_under_voltage));              // event2 b6
    CHECK(s->protections.test(Alarm::discharge_under_temperature));  // event3 b7
    CHECK_FALSE(s->charge_mosfet_on);
    CHECK_FALSE(s->discharge_mosfet_on);
}

TEST_CASE("F-25 Seplos-like status: both switches on, discharging", "[pace][seplos]") {
    const auto s =
        pace::decode_status(frame("~200046008062000010000000000000000000000000000000000600000000000"
                                  "00000140000000000000300000100000000000000000001EB33"));
    REQUIRE(s.ok());
    CHECK(s->charge_mosfet_on);
    CHECK(s->discharge_mosfet_on);
    CHECK(s->discharging);
    CHECK(s->protections.none());
}

TEST_CASE("identity replies F-27, F-28 and the Seplos 0x51 F-34 decode to trimmed strings",
          "[pace]") {
    const auto fw = pace::decode_identity(
        frame("~25014600602850313653313030412D313831322D312E30302000F58E"), pace::kCidFirmware);
    REQUIRE(fw.ok());
    CHECK(fw->firmware == "P16S100A-1812-1.00");
    const auto sn = pace::decode_identity(frame("~25014600B0503138313231303133383033303944202020202"
                                                "0202020202020202020202020202020202020202020EE0F"),
                                          pace::kCidSerial);
    REQUIRE(sn.ok());
    CHECK(sn->serial == "1812101380309D");
    const auto m = pace::decode_identity(
        frame("~20004600C040313130312D5350313520020743414E50726F746F636F6C3A536F666172202020F046"),
        pace::kCidManufacturer);
    REQUIRE(m.ok());
    CHECK(m->firmware == "1101-SP15 2.7");
    CHECK(m->manufacturer == "CANProtocol:Sofar");
}

TEST_CASE("an error reply is reported as rejected with the meaning of its RTN", "[pace]") {
    const auto f = frame("~25004609E00204FD2B");  // F-32: RTN 09, refusal
    CHECK_FALSE(pace::is_request(f));
    const auto a = pace::decode_analog(f);
    REQUIRE_FALSE(a.ok());
    CHECK(a.error().code == Errc::rejected);
    CHECK(a.error().detail.find("operation or write error") != std::string::npos);
    CHECK(std::string(pace::rtn_meaning(0x04)) == "CID2 invalid / command not supported");
}

TEST_CASE("an echoed request (F-39) and another master's poll are classified as requests",
          "[pace]") {
    CHECK(pace::is_request(frame("~25FF4642E002FFFCDA")));
    CHECK(pace::is_request(frame("~25024644E00202FD2C")));
    CHECK_FALSE(pace::is_request(frame("~25004600E00201FD37")));  // F-29 reply, RTN 00
}

TEST_CASE("a reply from another address or device type fails the address check", "[pace]") {
    const auto f = frame(
        "~25024600E04E00021000000000000000000000000000000000060000000000000000000000060000000000000"
        "0EED0");
    CHECK(pace::check_reply_address(f, 2).ok());
    const auto wrong = pace::check_reply_address(f, 3);
    REQUIRE_FALSE(wrong.ok());
    CHECK(wrong.error().code == Errc::wrong_address);
    CHECK(wrong.error().detail == "reply from ADR 02 CID1 46, expected ADR 03 CID1 46");
}
