// SPDX-License-Identifier: Apache-2.0
// bus.family: auto by default, every family of the table by name, the older bus.dialect as its
// alias, the family's VER unless bus.ver is given, and the dump round trip.
#include <catch2/catch.hpp>

#include "packbridge/config/dump.hpp"
#include "packbridge/config/load.hpp"

using namespace packbridge;

namespace {

std::string error_of(const char* json) {
    try {
        (void)parse_config(json, "test.json");
    } catch (const ConfigError& e) {
        return e.what();
    }
    return "(accepted)";
}

}  // namespace

TEST_CASE("bus.family is auto by default and names each family of the table", "[config]") {
    CHECK(parse_config("{}", "t").bus.family == PackFamilyChoice::auto_);
    CHECK(parse_config("{}", "t").bus.ver == 0x25);
    const std::pair<const char*, PackFamilyChoice> rows[] = {
        {"auto", PackFamilyChoice::auto_},
        {"pace", PackFamilyChoice::pace},
        {"seplos", PackFamilyChoice::seplos},
        {"pylontech", PackFamilyChoice::pylontech},
        {"eg4", PackFamilyChoice::eg4}};
    for (const auto& [name, family] : rows) {
        INFO(name);
        const auto c = parse_config(std::string(R"({"bus": {"family": ")") + name + "\"}}", "t");
        CHECK(c.bus.family == family);
        CHECK(to_string(c.bus.family) == name);
        CHECK(
            c.bus.ver ==
            (family == PackFamilyChoice::auto_ || family == PackFamilyChoice::pace ? 0x25 : 0x20));
        // What check-config prints reads back as the same config.
        CHECK(parse_config(config_to_json(c).dump(), "dump").bus == c.bus);
    }
    CHECK(parse_config(R"({"bus": {"family": "eg4", "ver": "0x22"}})", "t").bus.ver == 0x22);
}

TEST_CASE("bus.dialect stays an alias of bus.family; giving both is an error", "[config]") {
    CHECK(parse_config(R"({"bus": {"dialect": "seplos"}})", "t").bus.family ==
          PackFamilyChoice::seplos);
    CHECK(parse_config(R"({"bus": {"dialect": "pace"}})", "t").bus.family ==
          PackFamilyChoice::pace);
    CHECK_THAT(error_of(R"({"bus": {"family": "eg4", "dialect": "seplos"}})"),
               Catch::Contains("/bus/dialect") && Catch::Contains("older name of /bus/family"));
    CHECK_THAT(error_of(R"({"bus": {"family": "boqiang"}})"),
               Catch::Contains("/bus/family") && Catch::Contains("pylontech"));
    CHECK_THAT(error_of(R"({"bus": {"dialect": "eg4"}})"), Catch::Contains("/bus/dialect"));
    CHECK_THAT(error_of(R"({"bus": {"family": "pylontech", "mode": "listen", "ver": 37}})"),
               Catch::Contains("0x25 contradicts /bus/family \"pylontech\""));
}
