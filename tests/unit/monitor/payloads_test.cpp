// SPDX-License-Identifier: Apache-2.0
// The MQTT state payloads and the Home Assistant discovery configs, rendered from the status
// document of the spec's example state.
#include "packbridge/monitor/payloads.hpp"

#include <catch2/catch.hpp>
#include <set>

#include "fixture.hpp"

using namespace packbridge;
using nlohmann::json;

TEST_CASE("the bank state carries status.json's values in HA units, limits with their reasons",
          "[monitor]") {
    const json status = testing::example_status();
    const json s = monitor::bank_state(status);
    const json& b = status["battery"];
    CHECK(s["voltage_v"].get<double>() == Approx(b["voltage_mv"].get<double>() / 1000));
    CHECK(s["current_a"].get<double>() == Approx(b["current_ma"].get<double>() / 1000));
    CHECK(s["soc_pct"].get<double>() == Approx(b["soc_centi"].get<double>() / 100));
    CHECK(s["cell_min_v"] == 3.251);  // module 3 cell 12 (example_state.hpp)
    CHECK(s["cell_min_pack"] == 3);
    CHECK(s["cell_min_cell"] == 12);
    CHECK(s["cell_max_v"] == 3.262);
    CHECK(s["cell_spread_mv"] == 11);
    CHECK(s["ccl_a"] == 100.0);  // min(3 x 50 A, the 100 A ceiling)
    CHECK(s["dcl_a"] == 150.0);
    CHECK(s["cvl_v"] == 56.0);
    // The reasons: the text of each binding reason, and every reason in full as in status.json.
    CHECK(s["ccl_reason"] != "none");
    CHECK(s["ccl_reason"].get<std::string>().find(
              b["limits"]["ccl"]["reasons"][0]["text"].get<std::string>()) == 0);
    CHECK(s["limits"] == b["limits"]);
    CHECK(s["charge_enable"] == true);
    CHECK(s["packs_counted"] == 3);
    CHECK(s["packs_present"] == 3);  // pack 4 is known but offline
    CHECK(s["inverter"]["frames_sent"] == 1234);
    CHECK(s["warnings_text"] == (b["warnings"].empty() ? "none" : s["warnings_text"]));
}

TEST_CASE("a pack state carries every cell, temperature and its link health", "[monitor]") {
    const json status = testing::example_status();
    const json& p1 = status["packs"][0];
    REQUIRE(p1["address"] == 1);
    const json s = monitor::pack_state(p1);
    CHECK(monitor::pack_available(p1));
    CHECK(s["cells_v"].size() == 16);
    CHECK(s["cells_v"][6] == 3.262);  // module 1 cell 7
    CHECK(s["temps_c"].size() == 4);
    CHECK(s["temps_c"][1] == 26.0);
    CHECK(s["soh_pct"] == 98.0);
    CHECK(s["link"]["polls"] == 100);
    CHECK(s["link"]["latency_ms"] == 120);
    CHECK(s["link"]["last_seen_age_s"] == 0.4);

    const json lost = status["packs"][3];
    REQUIRE(lost["address"] == 4);
    CHECK_FALSE(monitor::pack_available(lost));
    const json l = monitor::pack_state(lost);
    CHECK(l["voltage_v"].is_null());
    CHECK(l["cells_v"].empty());
    CHECK(l["link"]["timeouts"] == 40);
    CHECK(status["packs"][1]["checksum_errors"] ==
          monitor::pack_state(status["packs"][1])["link"]["crc_errors"]);
}

TEST_CASE("discovery announces a gateway device and one device per pack with stable unique ids",
          "[monitor]") {
    const json status = testing::example_status();
    const auto id = monitor::make_identity("packbridge/pi", "homeassistant", "1.2.3");
    CHECK(id.device_id == "packbridge_pi");
    monitor::PackShapes shapes;
    CHECK(monitor::update_shapes(shapes, status));
    CHECK_FALSE(monitor::update_shapes(shapes, status));  // nothing new the second time
    REQUIRE(shapes.size() == 4);
    CHECK(shapes[1] == monitor::PackShape{16, 4});
    CHECK(shapes[4] == monitor::PackShape{0, 0});  // never counted: no cells known yet

    const auto messages = monitor::discovery(id, shapes);
    std::set<std::string> unique_ids;
    std::size_t cells = 0;
    for (const auto& m : messages) {
        INFO(m.topic);
        CHECK(m.retain);
        CHECK(m.topic.starts_with("homeassistant/"));
        CHECK(m.topic.ends_with("/config"));
        const json c = json::parse(m.payload);
        CHECK(unique_ids.insert(c["unique_id"].get<std::string>()).second);
        CHECK(c.contains("name"));
        CHECK(c["state_topic"].get<std::string>().starts_with("packbridge/pi/"));
        CHECK((c.contains("availability_topic") || c.contains("availability")));
        CHECK(c["device"]["identifiers"].size() == 1);
        const bool pack = c["state_topic"].get<std::string>().find("/pack/") != std::string::npos;
        CHECK(c["device"].contains("via_device") == pack);
        if (c.value("device_class", "") == "voltage" && c["unit_of_measurement"] == "V")
            CHECK(c["state_class"] == "measurement");
        if (c["unique_id"].get<std::string>().find("_cell") != std::string::npos &&
            c["unique_id"].get<std::string>().find("cell_") == std::string::npos) {
            ++cells;
            CHECK(c["enabled_by_default"] == false);
        }
    }
    CHECK(cells == 3 * 16);
    CHECK(unique_ids.count("packbridge_pi_ccl_reason") == 1);
    CHECK(unique_ids.count("packbridge_pi_pack2_crc_errors") == 1);
    CHECK(unique_ids.count("packbridge_pi_pack3_cell16") == 1);
    // The same input renders the same configs: nothing time- or order-dependent in them.
    CHECK(monitor::discovery(id, shapes) == messages);
}

TEST_CASE("an empty discovery prefix announces nothing", "[monitor]") {
    monitor::PackShapes shapes;
    (void)monitor::update_shapes(shapes, testing::example_status());
    CHECK(monitor::discovery(monitor::make_identity("packbridge/pi", "", "1"), shapes).empty());
}
