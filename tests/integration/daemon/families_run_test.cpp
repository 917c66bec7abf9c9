// SPDX-License-Identifier: Apache-2.0
// `packbridge run` with bus.family auto on a simulated bus of all four pack families: every
// pack is identified and counted, the bank adds up the real capacities (PACE 100 Ah design,
// Seplos 180 Ah rated, Pylontech 74 Ah with no design capacity, EG4 98.6 Ah at SOH 98), the
// Pylontech pack's SOH is unknown rather than a made-up 100 %, and the bank SOH in status.json
// and in the Pylon 0x355 frame is weighted over the packs that report one.
#include <catch2/catch.hpp>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>
#include <thread>

#include "support/daemon_process.hpp"
#include "support/dry_run_frames.hpp"
#include "support/sim_process.hpp"

using namespace std::chrono_literals;
namespace fs = std::filesystem;
using nlohmann::json;

namespace {

json read_json(const fs::path& p) {
    std::ifstream in(p);
    if (!in) return {};
    try {
        return json::parse(in);
    } catch (const json::exception&) {
        return {};
    }
}

}  // namespace

TEST_CASE(
    "packbridge run with bus.family auto counts a mixed bus of all four families with "
    "their real capacities and no made-up SOH",
    "[daemon]") {
    packbridge::testing::TempDir dir;
    packbridge::testing::SimProcess sim(
        {"--addresses", "0-3", "--family", "0=pace,1=seplos,2=pylontech,3=eg4"});
    const auto config = dir.path / "packbridge.json";
    const auto status_path = dir.path / "status.json";
    std::ofstream(config) << R"({"bus": {"device": ")" << sim.device()
                          << R"(", "addresses": "0-3", "mode": "master", "family": "auto"},
        "inverter": {"brand": "deye", "can": {"interface": "-", "period_ms": 250}},
        "battery": {"min_packs": 4},
        "status": {"path": ")"
                          << status_path.string() << R"("}})";
    packbridge::testing::DaemonProcess daemon(config, dir.path);
    json status;
    for (int i = 0; i < 150; ++i) {
        std::this_thread::sleep_for(100ms);
        status = read_json(status_path);
        if (status.contains("battery") && status["battery"].value("packs_counted", 0) == 4) break;
    }
    INFO("daemon stderr:\n" << daemon.stderr_text());
    REQUIRE(status["battery"]["packs_counted"] == 4);
    const auto state = sim.state();
    std::map<int, json> sim_pack;
    for (const auto& p : state["packs"])
        sim_pack[p["address"].get<int>()] = p;
    std::map<int, json> values;
    for (const auto& p : status["packs"])
        values[p["address"].get<int>()] = p["values"];

    // Each pack's capacities as its family reports them.
    std::uint64_t full = 0, remaining = 0, design = 0;
    for (int a = 0; a < 4; ++a) {
        INFO("pack " << a);
        CHECK(values[a]["full_mah"] == sim_pack[a]["full_mah"]);
        CHECK(values[a]["design_mah"] == sim_pack[a]["design_mah"]);
        full += sim_pack[a]["full_mah"].get<std::uint64_t>();
        remaining += values[a]["remaining_mah"].get<std::uint64_t>();
        design += sim_pack[a]["design_mah"].get<std::uint64_t>();
    }
    CHECK(values[1]["design_mah"] == 180000);
    CHECK(values[2]["full_mah"] == 74000);
    CHECK(values[2]["soh_centi"].is_null());  // Pylontech: no SOH, no design capacity
    CHECK(values[3]["soh_centi"] == 9800);    // EG4's own SOH field
    CHECK(values[1]["soh_centi"] == 9400);    // Seplos' own SOH field (170 of 180 Ah)
    const auto& b = status["battery"];
    CHECK(b["full_mah"] == full);
    CHECK(b["design_mah"] == design);
    // Capacity-weighted SOC over the real capacities.
    CHECK(b["soc_centi"] == (remaining * 10000 + full / 2) / full);
    // SOH weighted by design (else full) capacity over the packs that know theirs.
    const std::uint64_t pace_soh = std::min<std::uint64_t>(
        10000, (sim_pack[0]["full_mah"].get<std::uint64_t>() * 10000 + 50000) / 100000);
    const std::uint64_t expect_soh =
        (100000 * pace_soh + 180000 * 9400 + 98600 * 9800 + 378600 / 2) / 378600;
    CHECK(b["soh_centi"] == expect_soh);
    // The inverter gets that SOH, rounded to 1 %, in 0x355.
    using packbridge::testing::frames_with_id;
    using packbridge::testing::parse_dry_run;
    std::vector<packbridge::testing::DryRunFrame> soh_frames;
    for (int i = 0; i < 20 && soh_frames.empty(); ++i) {
        std::this_thread::sleep_for(100ms);
        soh_frames = frames_with_id(parse_dry_run(daemon.stdout_text()), "355");
    }
    REQUIRE(!soh_frames.empty());
    CHECK(packbridge::testing::le16(soh_frames.back().payload, 2) == (expect_soh + 50) / 100);
    CHECK(daemon.stderr_text().find("pack 3 identified as eg4") != std::string::npos);
    CHECK(daemon.stderr_text().find("pack 2 identified as pylontech") != std::string::npos);
    // status.json says which family each pack is, once its identity reads are done.
    const char* families[] = {"pace", "seplos", "pylontech", "eg4"};
    std::map<int, json> identity;
    for (int i = 0; i < 100; ++i) {
        status = read_json(status_path);
        identity.clear();
        for (const auto& p : status.value("packs", json::array()))
            if (!p["identity"].is_null()) identity[p["address"].get<int>()] = p["identity"];
        if (identity.size() == 4) break;
        std::this_thread::sleep_for(100ms);
    }
    REQUIRE(identity.size() == 4);
    for (int a = 0; a < 4; ++a) {
        INFO("pack " << a);
        CHECK(identity[a]["family"] == families[a]);
    }
    CHECK(daemon.terminate().first == 0);
}
