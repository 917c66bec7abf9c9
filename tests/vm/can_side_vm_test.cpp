// SPDX-License-Identifier: Apache-2.0
// packbridge's CAN output on real SocketCAN (vcan0 and emulated SJA1000 controllers in the VM):
// every protocol's frame set leaves the socket byte-exact, polls and keep-alives are received,
// a down or unacknowledged link drops frames instead of queueing them.
#include <catch2/catch.hpp>
#include <memory>

#include "packbridge/catalogue.hpp"
#include "packbridge/io/can_link.hpp"
#include "packbridge/io/can_socket.hpp"
#include "packbridge/service/can_side.hpp"
#include "packbridge/service/inverter_factory.hpp"
#include "raw_can.hpp"
#include "support/example_state.hpp"

using namespace packbridge;
using namespace std::chrono_literals;
using vm_test::RawCan;

namespace {

InverterConfig can_config(Protocol protocol, std::string variant) {
    InverterConfig c;
    c.link = Link::can;
    c.protocol = protocol;
    c.variant = std::move(variant);
    c.can.period_ms = 5000;  // one set at start, the next long after the test has read it
    return c;
}

struct Rig {
    boost::asio::io_context io;
    std::shared_ptr<Battery> battery = std::make_shared<Battery>(testing::example_battery(0));
    io::CanSocket* socket = nullptr;
    std::unique_ptr<service::CanSide> side;

    Rig(const InverterConfig& config, io::CanSocketOptions options) {
        auto codec = catalogue::make_can_codec(config);
        REQUIRE(codec);
        auto sink = std::make_unique<io::CanSocket>(io, std::move(options));
        socket = sink.get();
        side = std::make_unique<service::CanSide>(io, std::move(*codec), std::move(sink), *battery);
    }
    void run(std::chrono::milliseconds d) {
        io.restart();
        io.run_for(d);
    }
};

io::CanSocketOptions on(const std::string& interface) {
    io::CanSocketOptions o;
    o.interface = interface;
    return o;
}

std::vector<protocol::CanFrame> frames_of(const std::vector<vm_test::Received>& received) {
    std::vector<protocol::CanFrame> out;
    for (const auto& r : received)
        out.push_back(r.frame);
    return out;
}

}  // namespace

TEST_CASE("every CAN protocol's frame set arrives on vcan0 exactly as its encoder built it",
          "[vm][can]") {
    struct Case {
        Protocol protocol;
        const char* variant;
    };
    const Case cases[] = {{Protocol::pylon, "pylon"},
                          {Protocol::pylon, "solark"},
                          {Protocol::pylon, "goodwe"},
                          {Protocol::sma_victron, "sma"},
                          {Protocol::sma_victron, "victron"},
                          {Protocol::sma_victron, "sofar"},
                          {Protocol::luxpower, ""}};
    for (const auto& c : cases) {
        SECTION(std::string(catalogue::info(c.protocol).key) + "/" + c.variant) {
            RawCan inverter("vcan0");
            const auto config = can_config(c.protocol, c.variant);
            Rig rig(config, on("vcan0"));
            const auto expected = catalogue::make_can_codec(config)->frames(*rig.battery);
            rig.side->start();
            rig.run(300ms);
            const auto got = frames_of(inverter.collect(200ms));
            CHECK(got == expected);
            CHECK(rig.side->link_status(Clock::now()).frames_sent == expected.size());
        }
    }
}

TEST_CASE("a Growatt 0x301 poll is answered at once with the big-endian frame set", "[vm][can]") {
    RawCan inverter("vcan0");
    auto config = can_config(Protocol::growatt_can, "");
    Rig rig(config, on("vcan0"));
    rig.side->start();
    rig.run(200ms);
    inverter.flush();  // the set sent at start (no poll seen yet)

    inverter.send(vm_test::frame_of(0x301, "1122334455667788"));
    rig.run(300ms);
    const auto got = frames_of(inverter.collect(200ms));
    const auto expected = catalogue::make_can_codec(config)->frames(*rig.battery);
    REQUIRE(got.size() == expected.size());
    for (std::size_t i = 0; i < got.size(); ++i) {
        CHECK(got[i].id == expected[i].id);
        if (got[i].id != 0x320) CHECK(got[i] == expected[i]);  // 0x320 carries the clock
    }
    // The poll counts as the inverter being heard.
    CHECK(rig.side->link_status(Clock::now()).since_heard.has_value());
}

TEST_CASE("while Growatt polls, the periodic output pauses; after the fallback it resumes",
          "[vm][can]") {
    RawCan inverter("vcan0");
    auto config = can_config(Protocol::growatt_can, "");
    config.can.period_ms = 200;
    config.can.poll_fallback_s = 1;
    Rig rig(config, on("vcan0"));
    rig.side->start();
    rig.run(100ms);
    inverter.flush();
    inverter.send(vm_test::frame_of(0x301, "0000000000000000"));
    rig.run(700ms);  // one answer, then no periodic sets inside the fallback window
    CHECK(inverter.collect(100ms).size() == 7);
    rig.run(1500ms);  // fallback elapsed: periodic sets again
    CHECK(inverter.collect(100ms).size() >= 14);
}

TEST_CASE("an SMA keep-alive 0x305 and a Victron 0x307 mark the inverter as heard", "[vm][can]") {
    RawCan inverter("vcan0");
    Rig rig(can_config(Protocol::sma_victron, "victron"), on("vcan0"));
    rig.side->start();
    rig.run(100ms);
    CHECK_FALSE(rig.side->link_status(Clock::now()).since_heard.has_value());
    inverter.send(vm_test::frame_of(0x305, "0000000000000000"));
    inverter.send(vm_test::frame_of(0x307, "120400005649430A"));
    rig.run(200ms);
    const auto link = rig.side->link_status(Clock::now());
    CHECK(link.since_heard.has_value());
    CHECK(link.frames_received == 2);
}

TEST_CASE(
    "with vcan0 down frames are dropped and counted; after it is up they carry current "
    "values",
    "[vm][can]") {
    RawCan inverter("vcan0");
    auto config = can_config(Protocol::pylon, "pylon");
    Rig rig(config, on("vcan0"));
    rig.side->start();
    rig.run(100ms);
    inverter.flush();

    vm_test::sh("ip link set vcan0 down");
    for (int i = 0; i < 5; ++i)
        rig.side->tick();
    const auto dropped = rig.side->link_status(Clock::now()).errors;
    CHECK(dropped == 5 * 6);
    rig.run(1200ms);  // the link check notices and reports the link down
    CHECK(rig.side->link_status(Clock::now()).state == "down");

    // The battery changes while the link is down; nothing from before may come out later.
    rig.battery->soc_centi = 4200;
    vm_test::sh("ip link set vcan0 up");
    RawCan fresh("vcan0");
    rig.side->tick();
    rig.run(100ms);
    const auto got = frames_of(fresh.collect(200ms));
    REQUIRE(got.size() == 6);
    CHECK(got[1].id == 0x355);
    CHECK(got[1].data[0] == 42);  // SOC 42 %: the current value, no stale frame before it
}

TEST_CASE(
    "configure sets 500 kbit/s and restart-ms on an SJA1000 controller and frames reach "
    "the other controller",
    "[vm][can][sja1000]") {
    io::CanSocketOptions options = on("can0");
    options.configure = true;
    options.bitrate = 500000;
    options.restart_ms = 100;
    auto listener = io::configure_can_link("can1", 500000, 100);
    REQUIRE(listener);
    RawCan inverter("can1");
    const auto config = can_config(Protocol::pylon, "pylon");
    Rig rig(config, options);
    rig.side->start();
    rig.run(500ms);
    CHECK(io::can_link_bitrate("can0").value() == 500000);
    CHECK(io::can_link_restart_ms("can0").value() == 100);
    CHECK(io::can_link_state("can0").value() == io::CanState::error_active);
    const auto got = frames_of(inverter.collect(300ms));
    CHECK(got == catalogue::make_can_codec(config)->frames(*rig.battery));
}

TEST_CASE(
    "with a full TX queue frames are dropped, not queued, and after it drains the bus "
    "carries current values",
    "[vm][can]") {
    // A token bucket at 1 kbit/s holding at most 5 frames stands in for a bus nobody ACKs
    // (qemu's SJA1000 model completes every transmission, so it cannot show this).
    vm_test::sh("tc qdisc replace dev vcan0 root tbf rate 1kbit burst 80 limit 80");
    RawCan inverter("vcan0");
    auto config = can_config(Protocol::pylon, "pylon");
    Rig rig(config, on("vcan0"));
    rig.side->start();
    for (int i = 0; i < 20; ++i) {  // 20 periods' worth of frames into a stuck queue
        rig.side->tick();
        rig.run(10ms);
    }
    const auto dropped = rig.side->link_status(Clock::now()).errors;
    INFO("frames dropped while the queue was full: " << dropped);
    // The bucket passes a 5-frame burst and queues 5 more (80 bytes each); the rest is dropped.
    CHECK(dropped >= 21 * 6 - 12);
    const auto passed = inverter.collect(100ms).size();
    INFO("frames through the throttled queue before recovery: " << passed);

    rig.battery->soc_centi = 1700;
    vm_test::sh("tc qdisc del dev vcan0 root");
    rig.side->tick();
    rig.run(200ms);
    const auto got = frames_of(inverter.collect(300ms));
    std::size_t stale = 0;
    for (const auto& f : got)
        if (f.id == 0x355 && f.data[0] != 17) ++stale;
    INFO("frames after recovery: " << got.size() << ", stale 0x355: " << stale);
    REQUIRE_FALSE(got.empty());
    CHECK(got.back().id == 0x35E);
    CHECK(got.size() <= 5 + 6);  // at most what the queue still held, then the current set
    const auto& last_355 = got[got.size() - 5];
    CHECK(last_355.id == 0x355);
    CHECK(last_355.data[0] == 17);
}
