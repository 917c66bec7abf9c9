// SPDX-License-Identifier: Apache-2.0
// The status page's history: one sample per interval from the tick's status document, a ring
// of fixed size, and its JSON columns (all, or only what is newer than a time).
#include "packbridge/monitor/history.hpp"

#include <catch2/catch.hpp>
#include <chrono>
#include <cstdio>

using namespace packbridge::monitor;
using nlohmann::json;

namespace {

// The parts of status::to_json the history reads.
json status_doc(int soc_centi, int voltage_mv) {
    return {{"battery",
             {{"voltage_mv", voltage_mv},
              {"current_ma", -12500},
              {"soc_centi", soc_centi},
              {"packs_counted", 16},
              {"safe_state", false},
              {"temperature", {{"max_dc", 251}}},
              {"cells", {{"min_mv", 3301}, {"max_mv", 3342}}},
              {"limits", {{"ccl", {{"value_ma", 200000}}}, {"dcl", {{"value_ma", 300000}}}}}}}};
}

}  // namespace

TEST_CASE("the history takes one sample per interval with every charted value", "[history]") {
    History h(10, 100);
    CHECK(h.add(0, status_doc(5000, 52000)));
    CHECK_FALSE(h.add(5, status_doc(5001, 52001)));  // younger than the interval
    CHECK(h.add(10, status_doc(5002, 52002)));
    CHECK(h.add(25, status_doc(5003, 52003)));
    const auto s = h.samples();
    REQUIRE(s.size() == 3);
    CHECK(s[0].t == 0);
    CHECK(s[1].t == 10);
    CHECK(s[2].t == 25);
    CHECK(s[2].soc_centi == 5003);
    CHECK(s[2].voltage_mv == 52003);
    CHECK(s[2].current_ma == -12500);
    CHECK(s[2].ccl_ma == 200000);
    CHECK(s[2].dcl_ma == 300000);
    CHECK(s[2].cell_min_mv == 3301);
    CHECK(s[2].cell_max_mv == 3342);
    CHECK(s[2].temp_max_dc == 251);
    CHECK(s[2].packs_counted == 16);
    CHECK(s[2].safe_state == 0);
}

TEST_CASE("the history ring keeps the newest samples in a fixed size", "[history]") {
    History h(1, 4);
    for (std::uint32_t t = 0; t < 10; ++t)
        h.add(t, status_doc(static_cast<int>(t), 50000));
    CHECK(h.size() == 4);
    CHECK(h.capacity() == 4);
    const auto s = h.samples();
    REQUIRE(s.size() == 4);
    CHECK(s.front().t == 6);
    CHECK(s.back().t == 9);
    CHECK(s.back().soc_centi == 9);
}

TEST_CASE("a status without values (no pack counted) is a sample of zeros, not an error",
          "[history]") {
    History h(1, 4);
    json doc = status_doc(0, 0);
    doc["battery"]["cells"]["min_mv"] = nullptr;
    doc["battery"].erase("temperature");
    CHECK(h.add(0, doc));
    CHECK(h.samples()[0].cell_min_mv == 0);
    CHECK(h.samples()[0].temp_max_dc == 0);
}

TEST_CASE("the history renders as JSON columns, all of them or those newer than since",
          "[history]") {
    History h(1, 8);
    for (std::uint32_t t = 0; t < 5; ++t)
        h.add(t, status_doc(1000 + static_cast<int>(t), 51000 + static_cast<int>(t)));
    const json all = json::parse(h.render(-1, 5, 77));
    CHECK(all["run"] == 77);
    CHECK(all["now"] == 5);
    CHECK(all["interval_s"] == 1);
    CHECK(all["capacity"] == 8);
    CHECK(all["t"] == json::array({0, 1, 2, 3, 4}));
    CHECK(all["soc_centi"] == json::array({1000, 1001, 1002, 1003, 1004}));
    CHECK(all["voltage_mv"][4] == 51004);
    CHECK(all["ccl_ma"][0] == 200000);
    CHECK(all["safe_state"] == json::array({0, 0, 0, 0, 0}));
    const json newer = json::parse(h.render(2, 5, 77));
    CHECK(newer["t"] == json::array({3, 4}));
    CHECK(newer["soc_centi"] == json::array({1003, 1004}));
    CHECK(json::parse(h.render(4, 5, 77))["t"].empty());
}

TEST_CASE("a full 24 h history renders in one pass (its cost is printed)", "[history]") {
    History h(10);
    for (std::uint32_t i = 0; i < kHistorySamples + 10; ++i)
        h.add(i * 10, status_doc(5000 + static_cast<int>(i % 100), 52000));
    REQUIRE(h.size() == kHistorySamples);
    const auto start = std::chrono::steady_clock::now();
    const std::string text = h.render(-1, kHistorySamples * 10 + 100, 1);
    const auto took = std::chrono::steady_clock::now() - start;
    const json parsed = json::parse(text);
    CHECK(parsed["t"].size() == kHistorySamples);
    CHECK(parsed["t"][0] == 100);  // the first 10 samples were overwritten
    std::printf("history: %zu samples of %zu bytes = %zu KiB; full render %zu KiB in %.2f ms\n",
                kHistorySamples, sizeof(HistorySample),
                kHistorySamples * sizeof(HistorySample) / 1024, text.size() / 1024,
                std::chrono::duration<double, std::milli>(took).count());
}
