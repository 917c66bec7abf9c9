// SPDX-License-Identifier: Apache-2.0
// Every pack family end to end on a pty: packbridge-sim --family answers as PACE, Seplos,
// Pylontech and EG4 packs, the poller (bus.family auto, or the family configured) identifies
// each address, polls it with its own commands and reads exactly the simulated state; a mixed
// bus of all four is polled at once; `scan` lists family, model, firmware and design capacity.
#include <catch2/catch.hpp>
#include <sstream>

#include "../../../src/cli/scan_command.hpp"
#include "bus_harness.hpp"

using namespace packbridge;
using namespace std::chrono_literals;
using packbridge::testing::BusHarness;
using packbridge::testing::fast_bus_config;

namespace {

std::optional<std::int16_t> opt16(const nlohmann::json& v, bool present) {
    if (!present) return std::nullopt;
    return v.get<std::int16_t>();
}

void check_matches(const PackReading& r, const nlohmann::json& p) {
    const auto family = p["family"].get<std::string>();
    INFO("pack " << int{r.address} << " family " << family);
    const auto& a = r.analog;
    CHECK(a.cell_mv == p["cell_mv"].get<std::vector<std::uint16_t>>());
    CHECK(a.cell_temp_dc == p["cell_temp_dc"].get<std::vector<std::int16_t>>());
    CHECK(a.mosfet_temp_dc == opt16(p["mosfet_temp_dc"], family != "pylontech"));
    CHECK(a.ambient_temp_dc == opt16(p["ambient_temp_dc"], true));
    CHECK(a.current_ma == p["current_ma"].get<std::int32_t>());
    CHECK(a.voltage_mv == p["voltage_mv"].get<std::uint32_t>());
    CHECK(a.remaining_mah == p["remaining_mah"].get<std::uint32_t>());
    CHECK(a.full_mah == p["full_mah"].get<std::uint32_t>());
    CHECK(a.design_mah == p["design_mah"].get<std::uint32_t>());
    CHECK(a.cycles == p["cycles"].get<std::uint32_t>());
    if (p["soh_pct"].is_null()) {
        CHECK_FALSE(a.soh_pct.has_value());
    } else {
        CHECK(a.soh_pct == p["soh_pct"].get<std::uint8_t>());
    }
    CHECK(r.status.charge_mosfet_on == p["charge_mosfet_on"].get<bool>());
    CHECK(r.status.discharge_mosfet_on == p["discharge_mosfet_on"].get<bool>());
}

nlohmann::json pack_state(const nlohmann::json& state, std::uint8_t address) {
    for (const auto& p : state["packs"])
        if (p["address"].get<int>() == address) return p;
    return {};
}

bool all_identified(const BusHarness& h, std::initializer_list<std::uint8_t> addresses) {
    for (const auto a : addresses) {
        const auto& id = h.poller.identity(a);
        // Family from the first 0x42, firmware once the identity commands answered.
        if (!id || id->family.empty() || id->firmware.empty() || h.latest.count(a) == 0)
            return false;
    }
    return true;
}

}  // namespace

TEST_CASE("each family's packs are identified, polled with their own commands and read exactly") {
    for (const std::string family : {"pace", "seplos", "pylontech", "eg4"}) {
        for (const bool configured : {false, true}) {
            INFO(family << (configured ? " configured" : " auto"));
            auto config = fast_bus_config();
            config.auto_addresses = false;
            config.addresses = {0, 1};
            if (configured) {
                config.family = family == "pace"     ? PackFamilyChoice::pace
                                : family == "seplos" ? PackFamilyChoice::seplos
                                : family == "eg4"    ? PackFamilyChoice::eg4
                                                     : PackFamilyChoice::pylontech;
                config.ver = family == "pace" ? 0x25 : 0x20;
            }
            BusHarness h(
                {"--packs", "2", "--family", family, "--baud", "115200", "--latency-ms", "3"},
                config);
            h.poller.start();
            REQUIRE(h.run_until([&] { return all_identified(h, {0, 1}); }, 8s));
            REQUIRE(h.run_until([&] { return h.reading_count[1] >= 3; }, 5s));
            const auto state = h.sim.state();
            for (const std::uint8_t a : {std::uint8_t{0}, std::uint8_t{1}}) {
                const auto p = pack_state(state, a);
                check_matches(h.latest[a], p);
                const auto& id = *h.poller.identity(a);
                CHECK(id.family == family);
                if (family != "pace") CHECK(id.model == p["model"].get<std::string>());
                CHECK(id.firmware == p["firmware"].get<std::string>());
                if (family == "pace" || family == "pylontech")
                    CHECK(id.serial == p["serial"].get<std::string>());
            }
            // Identified once: after that every request is answered (no shape is tried again).
            const auto polls = h.poller.health(1).polls;
            const auto replies = h.poller.health(1).replies;
            REQUIRE(h.run_until([&] { return h.poller.health(1).polls >= polls + 6; }, 5s));
            CHECK(h.poller.health(1).replies - replies >= h.poller.health(1).polls - polls - 1);
            // Trying the other families' shapes while identifying is not a miss.
            CHECK(h.poller.health(1).timeouts == 0);
            CHECK(h.poller.health(1).consecutive_misses == 0);
        }
    }
}

TEST_CASE("bus.family auto polls a mixed bus of all four families, each in its own shape") {
    auto config = fast_bus_config();
    config.auto_addresses = true;
    BusHarness h({"--addresses", "0-3", "--family", "0=pace,1=seplos,2=pylontech,3=eg4", "--baud",
                  "115200", "--latency-ms", "3"},
                 config);
    h.poller.start();
    REQUIRE(h.run_until([&] { return all_identified(h, {0, 1, 2, 3}); }, 15s));
    REQUIRE(h.run_until([&] { return h.reading_count[3] >= 4 && h.reading_count[2] >= 4; }, 8s));
    const auto state = h.sim.state();
    const char* names[] = {"pace", "seplos", "pylontech", "eg4"};
    for (std::uint8_t a = 0; a < 4; ++a) {
        check_matches(h.latest[a], pack_state(state, a));
        CHECK(h.poller.identity(a)->family == names[a]);
        CHECK(h.poller.health(a).online);
    }
    // Real capacities per family: PACE design 100 Ah, Seplos rated 180 Ah, none for Pylontech
    // (74 Ah total) and EG4 (98.6 Ah full, SOH 98 from its own field).
    CHECK(h.latest[0].analog.design_mah == 100000);
    CHECK(h.latest[1].analog.design_mah == 180000);
    CHECK(h.latest[2].analog.design_mah == 0);
    CHECK(h.latest[2].analog.full_mah == 74000);
    CHECK_FALSE(h.latest[2].analog.soh_pct.has_value());
    CHECK(h.latest[3].analog.soh_pct == 98);
    // Each identified pack is polled in its own shape only: its requests are all answered.
    const auto before = h.poller.health(3);
    REQUIRE(h.run_until([&] { return h.poller.health(3).polls >= before.polls + 6; }, 5s));
    CHECK(h.poller.health(3).timeouts == before.timeouts);
    CHECK(h.poller.health(3).error_replies == before.error_replies);
    CHECK(h.poller.online_addresses().size() == 4);
}

TEST_CASE("scan lists address, family, model, firmware and design capacity on a mixed bus") {
    testing::SimProcess sim({"--addresses", "0-3", "--family", "0=pace,1=seplos,2=pylontech,3=eg4",
                             "--baud", "115200", "--latency-ms", "3"});
    std::vector<std::string> args{"--device",     sim.device(), "--baud",      "115200",
                                  "--timeout-ms", "80",         "--listen-ms", "150"};
    std::ostringstream out, err;
    CHECK(cli::scan_command(args, out, err) == 0);
    const auto text = out.str();
    INFO(text);
    std::istringstream lines(text);
    std::string line;
    std::map<int, std::string> by_address;
    std::getline(lines, line);
    CHECK(line.find("FAMILY") != std::string::npos);
    CHECK(line.find("DESIGN") != std::string::npos);
    while (std::getline(lines, line)) {
        std::istringstream words(line);
        int a = -1;
        if (words >> a) by_address[a] = line;
    }
    CHECK(by_address[0].find("pace") != std::string::npos);
    CHECK(by_address[0].find("100.0 Ah") != std::string::npos);
    CHECK(by_address[0].find("P16S100A-SIM-0.00") != std::string::npos);
    CHECK(by_address[1].find("seplos") != std::string::npos);
    CHECK(by_address[1].find("180.0 Ah") != std::string::npos);
    CHECK(by_address[1].find("1101-SP15 / 2.7") != std::string::npos);
    CHECK(by_address[2].find("pylontech") != std::string::npos);
    CHECK(by_address[2].find("unknown") != std::string::npos);
    CHECK(by_address[2].find("US3000C / 1.2 (main 1.10.3) / PPTAH02000000002") !=
          std::string::npos);
    CHECK(by_address[3].find("eg4") != std::string::npos);
    CHECK(by_address[3].find("LifePower4") != std::string::npos);
    CHECK(text.find("\n  4  no ") != std::string::npos);
    CHECK(text.find("two families") == std::string::npos);
    CHECK(text.find("4 pack(s) found") != std::string::npos);
}
