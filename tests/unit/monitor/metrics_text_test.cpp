// SPDX-License-Identifier: Apache-2.0
// The Prometheus text rendered from the example status document: format rules and values.
#include "packbridge/monitor/metrics_text.hpp"

#include <catch2/catch.hpp>
#include <map>
#include <set>
#include <sstream>

#include "fixture.hpp"

using namespace packbridge;

namespace {

// sample line ("name{labels}") -> value; also checks every sample follows its HELP and TYPE.
std::map<std::string, std::string> samples(const std::string& text) {
    std::map<std::string, std::string> out;
    std::istringstream in(text);
    std::set<std::string> helped, typed;
    for (std::string line; std::getline(in, line);) {
        if (line.starts_with("# HELP ")) {
            CHECK(helped.insert(line.substr(7, line.find(' ', 7) - 7)).second);
            continue;
        }
        if (line.starts_with("# TYPE ")) {
            CHECK(typed.insert(line.substr(7, line.find(' ', 7) - 7)).second);
            continue;
        }
        const auto space = line.rfind(' ');
        const std::string key = line.substr(0, space);
        const std::string family = key.substr(0, key.find('{'));
        INFO(line);
        CHECK(helped.count(family) == 1);
        CHECK(typed.count(family) == 1);
        CHECK(out.emplace(key, line.substr(space + 1)).second);
    }
    return out;
}

}  // namespace

TEST_CASE("metrics carry the bank, every pack and cell, and counters, from the status document",
          "[monitor]") {
    const auto status = testing::example_status();
    const std::string text = monitor::metrics_text(status);
    CHECK(text.back() == '\n');
    const auto s = samples(text);
    CHECK(std::stod(s.at("packbridge_bank_voltage_volts")) ==
          Approx(status["battery"]["voltage_mv"].get<double>() / 1000));
    CHECK(s.at("packbridge_bank_limit_amperes{limit=\"ccl\"}") == "100");
    CHECK(s.at("packbridge_bank_limit_volts{limit=\"cvl\"}") == "56");
    CHECK(s.at("packbridge_pack_cell_volts{pack=\"1\",cell=\"7\"}") == "3.262");
    CHECK(s.at("packbridge_pack_cell_volts{pack=\"3\",cell=\"12\"}") == "3.251");
    CHECK(s.at("packbridge_pack_temperature_celsius{pack=\"1\",sensor=\"2\"}") == "26");
    CHECK(s.at("packbridge_pack_crc_errors_total{pack=\"2\"}") == "3");
    CHECK(s.at("packbridge_pack_timeouts_total{pack=\"4\"}") == "40");
    CHECK(s.at("packbridge_pack_online{pack=\"4\"}") == "0");
    CHECK(s.count("packbridge_pack_cell_volts{pack=\"4\",cell=\"1\"}") == 0);  // not counted
    CHECK(s.at("packbridge_inverter_frames_sent_total") == "1234");
    CHECK(s.at("packbridge_inverter_send_errors_total") == "2");
    CHECK(s.at("packbridge_inverter_up{state=\"up\"}") == "1");
    CHECK(s.at("packbridge_bus_requests_total") == "400");
    std::size_t cells = 0;
    for (const auto& [k, v] : s)
        cells += k.starts_with("packbridge_pack_cell_volts{") ? 1 : 0;
    CHECK(cells == 48);
}

TEST_CASE("label values are escaped as the exposition format requires", "[monitor]") {
    auto status = testing::example_status();
    status["version"] = "a\"b\\c\nd";
    CHECK(monitor::metrics_text(status).find(R"(version="a\"b\\c\nd")") != std::string::npos);
}
