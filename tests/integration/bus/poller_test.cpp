// SPDX-License-Identifier: Apache-2.0
#include <catch2/catch.hpp>

#include "bus_harness.hpp"

using namespace packbridge;
using namespace std::chrono_literals;
using packbridge::testing::BusHarness;
using packbridge::testing::fast_bus_config;

namespace {

// Every field of a decoded reading against the simulator's own state for that pack.
void check_matches(const PackReading& r, const nlohmann::json& p) {
    INFO("pack " << int{r.address} << " tail " << p["tail"].get<std::string>());
    const auto& a = r.analog;
    CHECK(a.cell_mv == p["cell_mv"].get<std::vector<std::uint16_t>>());
    CHECK(a.cell_temp_dc == p["cell_temp_dc"].get<std::vector<std::int16_t>>());
    REQUIRE(a.mosfet_temp_dc.has_value());
    CHECK(*a.mosfet_temp_dc == p["mosfet_temp_dc"].get<std::int16_t>());
    REQUIRE(a.ambient_temp_dc.has_value());
    CHECK(*a.ambient_temp_dc == p["ambient_temp_dc"].get<std::int16_t>());
    CHECK(a.current_ma == p["current_ma"].get<std::int32_t>());
    CHECK(a.voltage_mv == p["voltage_mv"].get<std::uint32_t>());
    CHECK(a.remaining_mah == p["remaining_mah"].get<std::uint32_t>());
    CHECK(a.full_mah == p["full_mah"].get<std::uint32_t>());
    CHECK(a.design_mah == p["design_mah"].get<std::uint32_t>());
    CHECK(a.cycles == p["cycles"].get<std::uint32_t>());
    if (p["soc_pct"].is_null()) {
        CHECK_FALSE(a.soc_pct.has_value());
    } else {
        REQUIRE(a.soc_pct.has_value());
        CHECK(*a.soc_pct == p["soc_pct"].get<std::uint8_t>());
    }
    if (!p["soh_pct"].is_null()) {
        REQUIRE(a.soh_pct.has_value());
        CHECK(*a.soh_pct == p["soh_pct"].get<std::uint8_t>());
    }
    CHECK(r.status.charge_mosfet_on == p["charge_mosfet_on"].get<bool>());
    CHECK(r.status.discharge_mosfet_on == p["discharge_mosfet_on"].get<bool>());
}

}  // namespace

TEST_CASE("sixteen packs on a pty are discovered and every reading matches the simulated state") {
    auto config = fast_bus_config();
    config.auto_addresses = true;
    BusHarness h({"--packs", "16", "--baud", "115200", "--latency-ms", "3"}, config);
    h.poller.start();
    // Identity (0xC1/0xC2) is read once per pack right after its discovery: wait for all 16.
    auto all_identified = [&] {
        for (std::uint8_t a = 0; a < 16; ++a) {
            const auto& id = h.poller.identity(a);
            if (!id || id->serial.empty()) return false;
        }
        return true;
    };
    REQUIRE(h.run_until([&] { return h.latest.size() == 16 && all_identified(); }, 10s));
    const auto state = h.sim.state();
    for (const auto& p : state["packs"]) {
        const auto address = p["address"].get<std::uint8_t>();
        REQUIRE(h.latest.count(address) == 1);
        check_matches(h.latest[address], p);
        const auto& id = h.poller.identity(address);
        REQUIRE(id.has_value());
        CHECK(id->firmware == p["firmware"].get<std::string>());
        CHECK(id->serial == p["serial"].get<std::string>());
        CHECK(h.poller.health(address).online);
    }
    CHECK(h.poller.online_addresses().size() == 16);
    // Identity is read once at discovery, not every cycle.
    REQUIRE(h.run_until([&] { return h.reading_count[15] >= 3; }, 10s));
    const auto later = h.sim.state();
    CHECK(later["counters"]["requests_by_address"]["3"].get<int>() <=
          2 * h.reading_count[3] + 2 + 2);
}

TEST_CASE("a pack silenced mid-run goes offline after N misses, once, and comes back") {
    auto config = fast_bus_config();
    config.auto_addresses = false;
    config.addresses = {0, 1, 2};
    BusHarness h({"--packs", "3", "--baud", "115200", "--latency-ms", "3"}, config);
    h.poller.start();
    REQUIRE(h.run_until([&] { return h.poller.online_addresses().size() == 3; }, 5s));
    h.sim.command("silence 1");
    REQUIRE(h.run_until([&] { return !h.poller.health(1).online; }, 5s));
    CHECK(h.poller.health(1).consecutive_misses == config.offline_after_misses);
    CHECK(h.poller.health(1).timeouts >= config.offline_after_misses);
    CHECK(h.transitions[1] == 2);  // online, then offline: one change each
    // The others keep flowing while 1 is dead, and 1 is not polled every cycle any more.
    const auto before0 = h.reading_count[0];
    const auto polls1 = h.poller.health(1).polls;
    REQUIRE(h.run_until([&] { return h.reading_count[0] >= before0 + 10; }, 5s));
    CHECK(h.poller.health(1).polls <= polls1 + 2);
    CHECK(h.poller.health(0).online);
    CHECK(h.poller.health(2).online);
    h.sim.command("restore 1");
    REQUIRE(h.run_until([&] { return h.poller.health(1).online; }, 5s));
    CHECK(h.transitions[1] == 3);
    const auto state = h.sim.state();
    const auto seen = h.reading_count[1];
    REQUIRE(h.run_until([&] { return h.reading_count[1] > seen; }, 3s));
    check_matches(h.latest[1], state["packs"][1]);
}

TEST_CASE("garbage on the line and bad checksums are counted and the poller carries on") {
    auto config = fast_bus_config();
    config.auto_addresses = false;
    config.addresses = {0, 1};
    BusHarness h({"--packs", "2", "--baud", "115200", "--latency-ms", "3", "--garbage-before", "0"},
                 config);
    h.poller.start();
    REQUIRE(h.run_until([&] { return h.reading_count[0] >= 3 && h.reading_count[1] >= 3; }, 5s));
    h.sim.command("bad-checksum 1 on");
    REQUIRE(h.run_until([&] { return !h.poller.health(1).online; }, 5s));
    CHECK(h.poller.health(1).checksum_errors >= config.offline_after_misses);
    // Pack 0's noise bursts before every reply never cost a reading.
    CHECK(h.poller.health(0).consecutive_misses == 0);
    h.sim.command("garbage 300");
    const auto before0 = h.reading_count[0];
    REQUIRE(h.run_until([&] { return h.reading_count[0] >= before0 + 5; }, 5s));
    CHECK(h.poller.health(0).online);
    h.sim.command("bad-checksum 1 off");
    REQUIRE(h.run_until([&] { return h.poller.health(1).online; }, 5s));
    check_matches(h.latest[0], h.sim.state()["packs"][0]);
}

TEST_CASE("error replies and wrong-address replies are counted per pack") {
    auto config = fast_bus_config();
    config.auto_addresses = false;
    config.addresses = {0, 1};
    BusHarness h({"--packs", "2", "--baud", "115200", "--latency-ms", "3", "--error", "1:9"},
                 config);
    h.poller.start();
    REQUIRE(h.run_until(
        [&] { return h.poller.health(1).error_replies >= 3 && h.reading_count[0] >= 3; }, 5s));
    CHECK_FALSE(h.poller.health(1).online);
    CHECK(h.reading_count.count(1) == 0);
}

TEST_CASE("listen mode collects every slave from the host's traffic and never talks over it") {
    auto config = fast_bus_config();
    config.mode = BusMode::listen;
    config.auto_addresses = true;
    BusHarness h({"--packs", "4", "--host", "0", "--host-period-ms", "500", "--baud", "115200",
                  "--latency-ms", "3"},
                 config);
    h.poller.start();
    // A slave read twice from the host's traffic means at least two host sweeps have completed.
    REQUIRE(h.run_until([&] { return h.latest.size() == 4 && h.reading_count[1] >= 3; }, 10s));
    const auto state = h.sim.state();
    CHECK(state["counters"]["host_cycles"].get<int>() >= 2);
    CHECK(state["counters"]["gateway_tx_during_host"].get<int>() == 0);
    // The slaves come from the host's traffic; the host pack itself from our idle-gap queries.
    for (int a = 0; a < 4; ++a) {
        check_matches(h.latest[static_cast<std::uint8_t>(a)],
                      state["packs"][static_cast<std::size_t>(a)]);
    }
    CHECK(state["counters"]["requests_by_address"]["0"].get<int>() >= 2);
    CHECK(h.poller.mode() == BusMode::listen);
}

TEST_CASE("auto mode runs as master on a bus without a host pack") {
    auto config = fast_bus_config();
    config.mode = BusMode::auto_;
    config.auto_addresses = true;
    BusHarness h({"--packs", "2", "--baud", "115200", "--latency-ms", "3"}, config);
    h.poller.start();
    CHECK(h.poller.mode() == BusMode::auto_);
    REQUIRE(h.run_until([&] { return h.latest.size() == 2; }, 5s));
    CHECK(h.poller.mode() == BusMode::master);
    REQUIRE(h.modes.size() == 1);
    CHECK(h.modes[0] == BusMode::master);
    CHECK(h.poller.stats().foreign_requests == 0);
}

TEST_CASE("auto mode hears a host pack and runs as listen without colliding") {
    auto config = fast_bus_config();
    config.mode = BusMode::auto_;
    config.auto_addresses = true;
    BusHarness h({"--packs", "3", "--host", "0", "--host-period-ms", "300", "--baud", "115200",
                  "--latency-ms", "3"},
                 config);
    h.poller.start();
    REQUIRE(h.run_until([&] { return h.latest.size() == 3; }, 10s));
    REQUIRE_FALSE(h.modes.empty());
    CHECK(h.modes.front() == BusMode::listen);
    CHECK(h.poller.stats().foreign_requests > 0);
    CHECK(h.sim.state()["counters"]["gateway_tx_during_host"].get<int>() == 0);
}

TEST_CASE("a foreign master appearing later makes a master back off into listen") {
    auto config = fast_bus_config();
    config.mode = BusMode::master;
    config.auto_addresses = false;
    config.addresses = {0, 1, 2};
    // The simulated host starts its first sweep after a quarter period: the poller is master by
    // then.
    BusHarness h({"--packs", "3", "--host", "0", "--host-period-ms", "1600", "--baud", "115200",
                  "--latency-ms", "3"},
                 config);
    h.poller.start();
    CHECK(h.poller.mode() == BusMode::master);
    REQUIRE(h.run_until([&] { return h.poller.mode() == BusMode::listen; }, 5s));
    CHECK(h.poller.stats().foreign_requests >= 1);
    const auto collisions = h.sim.state()["counters"]["gateway_tx_during_host"].get<int>();
    REQUIRE(h.run_until([&] { return h.reading_count[1] >= 3; }, 8s));
    // After backing off, no further transmission overlaps the host's.
    CHECK(h.sim.state()["counters"]["gateway_tx_during_host"].get<int>() == collisions);
}

TEST_CASE("a reply at 9600 baud is read in a few reads, not one wake-up per character") {
    // The simulator paces its replies at the wire's speed, as a USB adapter with a 1 ms latency
    // timer delivers them: without waiting for the rest of a frame the poller would read one or
    // two characters at a time (some 60 reads for a 130-character analog reply).
    auto config = fast_bus_config();
    config.baud = 9600;
    config.request_timeout_ms = 500;
    config.auto_addresses = false;
    config.addresses = {0};
    BusHarness h({"--packs", "1", "--baud", "9600"}, config);
    h.poller.start();
    REQUIRE(h.run_until([&] { return h.reading_count[0] >= 3; }, 15s));
    const auto replies = h.poller.health(0).replies;
    REQUIRE(replies >= 6);
    INFO(h.transport.reads() << " reads for " << replies << " replies");
    CHECK(h.transport.reads() <= 6 * replies);
    // Nothing lost to the waiting: every request answered, no frame damaged or timed out.
    CHECK(h.poller.health(0).timeouts == 0);
    CHECK(h.poller.health(0).garbled == 0);
    CHECK(h.poller.health(0).checksum_errors == 0);
}
