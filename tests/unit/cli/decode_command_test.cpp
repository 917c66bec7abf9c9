// SPDX-License-Identifier: Apache-2.0
// `packbridge decode`: log frames in, JSON out, or the failed check named.
#include "cli/decode_command.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <sstream>

#include "cli_run.hpp"

using Catch::Contains;
using cli_test::call;
using nlohmann::json;

namespace {

// One JSON object per output line.
std::vector<json> lines_of(const std::string& out) {
    std::vector<json> v;
    std::istringstream in(out);
    std::string line;
    while (std::getline(in, line))
        v.push_back(json::parse(line));
    return v;
}

// Spec pack-protocol.md F-01 and its request.
const std::string kF01Request = "~25014642E00201FD30";
const std::string kF01 =
    "~25014600F07A0001100CC70CC80CC70CC70CC70CC50CC60CC70CC70CC60CC70CC60CC60CC70CC60CC7060B9B0B990"
    "B990B990BB30BBCFF1FCCCD12D303286A008C2710E1E4";
// F-21, the 0x44 reply that pairs with F-01.
const std::string kF21Request = "~25014644E00201FD2E";
const std::string kF21 =
    "~25014600004C000110000000000000000000000000000000000600000000000000000000000E000000000000EF3A";

}  // namespace

TEST_CASE("decode prints the F-01 analog reply's values as JSON after its request", "[cli]") {
    const auto r = call({"decode", kF01Request, kF01});
    REQUIRE(r.code == 0);
    const auto v = lines_of(r.out);
    REQUIRE(v.size() == 2);
    CHECK(v[0]["type"] == "request");
    CHECK(v[0]["cid2"] == "0x42");
    CHECK(v[0]["adr"] == 1);
    CHECK(v[1]["type"] == "reply");
    CHECK(v[1]["rtn"] == "0x00");
    CHECK(v[1]["answers"] == "0x42");
    const auto& pack = v[1]["packs"][0];
    CHECK(pack["cells_mv"].size() == 16);
    CHECK(pack["cells_mv"][0] == 3271);
    CHECK(pack["cells_mv"][5] == 3269);
    CHECK(pack["current_ma"] == -2250);
    CHECK(pack["voltage_mv"] == 52429);
    CHECK(pack["remaining_mah"] == 48190);
    CHECK(pack["full_mah"] == 103460);
    CHECK(pack["design_mah"] == 100000);
    CHECK(pack["cycles"] == 140);
    CHECK(pack["cell_temps_dc"] == json::array({241, 239, 239, 239}));
    CHECK(pack["mosfet_temp_dc"] == 265);
    CHECK(pack["ambient_temp_dc"] == 274);
}

TEST_CASE("decode reads frames from stdin, skips log prefixes and comments, and decodes 0x44",
          "[cli]") {
    std::istringstream in(
        "# capture from site 4\n"
        "12:00:01.100 TX " +
        kF21Request +
        "\\r\n"
        "12:00:01.180 RX " +
        kF21 + "\r\n\n");
    std::ostringstream out;
    std::ostringstream err;
    const int code = packbridge::cli::decode_command({}, in, out, err);
    REQUIRE(code == 0);
    const auto v = lines_of(out.str());
    REQUIRE(v.size() == 2);
    CHECK(v[1]["answers"] == "0x44");
    CHECK(v[1]["status"]["charge_mosfet_on"] == true);
    CHECK(v[1]["status"]["discharge_mosfet_on"] == true);
    CHECK(v[1]["status"]["discharging"] == true);
    CHECK(v[1]["status"]["protections"].empty());
}

TEST_CASE("decode names the failed check with expected and found values", "[cli]") {
    std::string bad_checksum = kF01;
    bad_checksum.replace(bad_checksum.size() - 4, 4, "E1E5");
    const auto r = call({"decode", bad_checksum});
    CHECK(r.code == 1);
    const auto v = lines_of(r.out);
    REQUIRE(v.size() == 1);
    CHECK(v[0]["valid"] == false);
    const std::string error = v[0]["error"];
    CHECK_THAT(error, Contains("CHKSUM"));
    CHECK_THAT(error, Contains("E1E4"));
    CHECK_THAT(error, Contains("E1E5"));
}

TEST_CASE("decode reports a bad LCHKSUM, a truncated frame and a line without a frame", "[cli]") {
    const auto r = call({"decode", "~25014642F00201FD30", kF01.substr(0, 40), "hello"});
    CHECK(r.code == 1);
    const auto v = lines_of(r.out);
    REQUIRE(v.size() == 3);
    for (const auto& j : v)
        CHECK(j["valid"] == false);
    CHECK_THAT(v[0]["error"].get<std::string>(), Contains("LCHKSUM"));
    CHECK_THAT(v[2]["error"].get<std::string>(), Contains("no start of frame"));
}

TEST_CASE("decode guesses the layout of a lone reply and says that it guessed", "[cli]") {
    const auto r = call({"decode", kF01});
    REQUIRE(r.code == 0);
    const auto v = lines_of(r.out);
    CHECK(v[0]["answers"] == "0x42");
    CHECK_THAT(v[0]["answers_basis"].get<std::string>(), Contains("guessed"));
    CHECK(v[0]["packs"][0]["cycles"] == 140);
}

TEST_CASE("decode --as C1 reads an identity reply (F-27)", "[cli]") {
    const auto r =
        call({"decode", "--as", "C1", "~25014600602850313653313030412D313831322D312E30302000F58E"});
    REQUIRE(r.code == 0);
    const auto v = lines_of(r.out);
    CHECK(v[0]["identity"]["firmware"] == "P16S100A-1812-1.00");
}

TEST_CASE("decode shows an error reply's RTN meaning (F-32)", "[cli]") {
    const auto r = call({"decode", "~25004609E00204FD2B"});
    REQUIRE(r.code == 0);
    const auto v = lines_of(r.out);
    CHECK(v[0]["rtn"] == "0x09");
    CHECK(v[0]["rtn_meaning"] == "operation or write error");
}

TEST_CASE("decode rejects an unknown option and a bad --as value with usage", "[cli]") {
    CHECK(call({"decode", "--bogus"}).code == 2);
    const auto r = call({"decode", "--as", "XYZ", kF01});
    CHECK(r.code == 2);
    CHECK_THAT(r.err, Contains("--as"));
}

TEST_CASE("the built binary decodes a frame given on its command line", "[cli]") {
    const auto r = cli_test::exec("decode '" + kF01Request + "'");
    CHECK(r.code == 0);
    CHECK_THAT(r.out, Contains("\"command\":\"analog values\""));
}
