// SPDX-License-Identifier: Apache-2.0
// Every shipped example config (config/examples/, one per brand) loads, and this build can drive
// the inverter protocol it selects: a user copying one never meets a start-up refusal.
#include <catch2/catch.hpp>
#include <filesystem>

#include "packbridge/catalogue.hpp"
#include "packbridge/config/load.hpp"
#include "packbridge/service/inverter_factory.hpp"
#include "support/paths.hpp"

TEST_CASE("every example config loads and names a protocol this build drives", "[config]") {
    std::size_t n = 0;
    for (const auto& entry : std::filesystem::directory_iterator(packbridge::testing::source_dir() /
                                                                 "config/examples")) {
        if (entry.path().extension() != ".json") continue;
        INFO(entry.path().string());
        const auto config = packbridge::load_config_file(entry.path());
        CHECK(packbridge::catalogue::inverter_supported(config.inverter));
        ++n;
    }
    CHECK(n >= 19);
}

TEST_CASE("the shipped config picks the inverter by brand and check-config can show the result",
          "[config]") {
    packbridge::ConfigOrigins origins;
    const auto config = packbridge::load_config_file(
        packbridge::testing::source_dir() / "config/packbridge.json", &origins);
    CHECK(origins.given.count("/inverter/brand") == 1);
    // link and protocol come from the brand, so changing the brand alone never contradicts them
    CHECK(origins.given.count("/inverter/link") == 0);
    CHECK(origins.given.count("/inverter/protocol") == 0);
    CHECK(origins.derived.at("/inverter/link") == "from /inverter/brand \"deye\"");
    CHECK(origins.derived.at("/inverter/protocol") == "from /inverter/brand \"deye\"");
    CHECK(config.inverter.link == packbridge::Link::can);
    CHECK(config.inverter.protocol == packbridge::Protocol::pylon);
}
