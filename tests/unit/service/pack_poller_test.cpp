// SPDX-License-Identifier: Apache-2.0
#include "packbridge/service/pack_poller.hpp"

#include <catch2/catch.hpp>
#include <map>

#include "packbridge/protocol/pack/pace.hpp"
#include "support/fake_timers.hpp"
#include "support/memory_bus.hpp"

using namespace packbridge;
using namespace std::chrono_literals;
using packbridge::testing::FakeTimers;
using packbridge::testing::MemoryBus;

namespace {

struct Fixture {
    explicit Fixture(BusConfig c, std::vector<std::uint8_t> live, std::uint32_t latency_ms = 10)
        : config(std::move(c)), bus(timers, config.baud, latency_ms) {
        for (const auto a : live) {
            bus.packs.push_back(sim::SimPack::make(a, 1));
        }
        service::PollerCallbacks cb;
        cb.on_reading = [this](const PackReading& r) {
            ++readings[r.address];
            reading_times[r.address].push_back(r.at);
        };
        cb.on_health = [this](std::uint8_t a, const PackHealth& h) {
            if (online[a] != h.online) {
                online[a] = h.online;
                ++transitions[a];
            }
        };
        cb.on_identity = [this](std::uint8_t a, const PackIdentity& id) {
            identities[a].push_back(id);
        };
        poller = std::make_unique<service::PackPoller>(config, bus, timers, cb);
    }

    int writes_to(std::uint8_t address) const {
        int n = 0;
        for (const auto& w : bus.writes) {
            auto f = protocol::ascii::decode(w.bytes);
            n += (f && f->adr == address) ? 1 : 0;
        }
        return n;
    }

    BusConfig config;
    FakeTimers timers;
    MemoryBus bus;
    std::unique_ptr<service::PackPoller> poller;
    std::map<std::uint8_t, int> readings;
    std::map<std::uint8_t, std::vector<TimePoint>> reading_times;
    std::map<std::uint8_t, bool> online;
    std::map<std::uint8_t, int> transitions;
    std::map<std::uint8_t, std::vector<PackIdentity>> identities;
};

BusConfig master_config(std::vector<std::uint8_t> addresses) {
    BusConfig c;
    c.mode = BusMode::master;
    c.auto_addresses = addresses.empty();
    c.addresses = std::move(addresses);
    c.baud = 9600;
    c.request_timeout_ms = 500;
    c.min_gap_ms = 5;
    c.offline_after_misses = 3;
    c.reprobe_interval_s = 60;
    return c;
}

}  // namespace

TEST_CASE("the next request leaves exactly the minimum gap after the previous reply ends") {
    Fixture f(master_config({0, 1}), {0, 1});
    f.poller->start();
    f.timers.run_for(5s);
    REQUIRE(f.bus.writes.size() > 10);
    CHECK(f.bus.overlapping_writes == 0);
    // Every write after the first follows a reply end by exactly min_gap (no fixed sleeps).
    for (std::size_t i = 1; i < f.bus.writes.size(); ++i) {
        const auto& prev_reply_end = f.bus.reply_ends[i - 1];
        CHECK(f.bus.writes[i].at - prev_reply_end == 5ms);
    }
    CHECK(f.readings[0] >= 5);
    CHECK(f.readings[1] >= 5);
}

TEST_CASE("a silent address costs one deadline: request wire time plus the timeout") {
    Fixture f(master_config({0, 1}), {0});  // 1 configured but absent
    f.poller->start();
    f.timers.run_for(3s);
    bool checked = false;
    for (std::size_t i = 0; i + 1 < f.bus.writes.size(); ++i) {
        auto frame = protocol::ascii::decode(f.bus.writes[i].bytes);
        REQUIRE(frame);
        if (frame->adr == 1) {
            const auto gap = f.bus.writes[i + 1].at - f.bus.writes[i].at;
            CHECK(gap == f.bus.wire(f.bus.writes[i].bytes.size()) + 500ms);
            checked = true;
        }
    }
    CHECK(checked);
}

TEST_CASE(
    "a dead configured pack goes offline after N misses, logs one transition, then is probed "
    "rarely") {
    auto config = master_config({0, 1});
    config.reprobe_interval_s = 10;
    Fixture f(config, {0, 1});
    f.poller->start();
    f.timers.run_for(2s);
    REQUIRE(f.poller->health(1).online);
    f.bus.packs[1].faults.silent = true;
    f.timers.run_for(5s);
    CHECK_FALSE(f.poller->health(1).online);
    CHECK(f.poller->health(1).consecutive_misses == 3);
    CHECK(f.poller->health(1).timeouts == 3);
    CHECK(f.transitions[1] == 2);  // online, offline
    const int writes_after_offline = f.writes_to(1);
    f.timers.run_for(60s);
    // 60 s at one probe per 10 s: about 6 probes, while pack 0 was read hundreds of times.
    CHECK(f.writes_to(1) - writes_after_offline <= 7);
    CHECK(f.writes_to(1) - writes_after_offline >= 5);
    CHECK(f.readings[0] > 100);
    CHECK(f.transitions[1] == 2);
    f.bus.packs[1].faults.silent = false;
    f.timers.run_for(11s);
    CHECK(f.poller->health(1).online);
    CHECK(f.transitions[1] == 3);
}

TEST_CASE("auto addresses probe 0 to 15 once and then poll only the packs found") {
    auto config = master_config({});
    config.family = PackFamilyChoice::pace;  // one family: one request shape to ask in
    Fixture f(config, {2, 7});
    f.poller->start();
    f.timers.run_for(20s);
    CHECK(f.poller->online_addresses() == std::vector<std::uint8_t>{2, 7});
    for (std::uint8_t a = 0; a < 16; ++a) {
        if (a != 2 && a != 7) {
            CHECK(f.writes_to(a) <= 1);  // discovery probe only; re-probe is due after 60 s
        }
    }
    CHECK(f.readings[2] > 10);
    // Identity once: C1 and C2 exactly once per pack.
    int identity_requests = 0;
    for (const auto& w : f.bus.writes) {
        auto frame = protocol::ascii::decode(w.bytes);
        identity_requests += (frame && frame->adr == 2 &&
                              (frame->cid2 == protocol::pace::kCidFirmware ||
                               frame->cid2 == protocol::pace::kCidSerial))
                                 ? 1
                                 : 0;
    }
    CHECK(identity_requests == 2);
    REQUIRE(f.poller->identity(2).has_value());
    CHECK(f.poller->identity(2)->firmware == f.bus.packs[0].identity.firmware);
}

TEST_CASE("readings carry the monotonic time their status reply arrived") {
    Fixture f(master_config({3}), {3});
    f.poller->start();
    f.timers.run_for(2s);
    REQUIRE(f.reading_times[3].size() >= 2);
    for (const auto& t : f.reading_times[3]) {
        CHECK(std::find(f.bus.reply_ends.begin(), f.bus.reply_ends.end(), t) !=
              f.bus.reply_ends.end());
    }
}

TEST_CASE("a foreign request on the line makes a master back off into listen and go quiet") {
    Fixture f(master_config({0, 1}), {0, 1});
    f.poller->start();
    f.timers.run_for(1s);
    REQUIRE(f.poller->mode() == BusMode::master);
    const auto foreign = protocol::pace::build_request(0x25, 1, protocol::pace::kCidAnalog);
    f.bus.inject(f.timers.now() + 1ms, foreign);
    f.timers.run_for(50ms);
    CHECK(f.poller->mode() == BusMode::listen);
    CHECK(f.poller->stats().foreign_requests == 1);
    // Keep the "host" busy: a request every 100 ms. We must not transmit at all.
    const auto writes = f.bus.writes.size();
    for (int i = 0; i < 20; ++i) {
        f.bus.inject(f.timers.now() + 100ms, foreign);
        f.timers.run_for(100ms);
    }
    CHECK(f.bus.writes.size() <=
          writes + 1);  // at most the request in flight when the host appeared
}

TEST_CASE("auto mode decides master after a quiet listen window") {
    auto config = master_config({0});
    config.mode = BusMode::auto_;
    config.listen_window_ms = 3000;
    Fixture f(config, {0});
    f.poller->start();
    f.timers.run_for(2999ms);
    CHECK(f.poller->mode() == BusMode::auto_);
    CHECK(f.bus.writes.empty());
    f.timers.run_for(2ms);
    CHECK(f.poller->mode() == BusMode::master);
    CHECK(f.bus.writes.size() == 1);
}

TEST_CASE("bus.family auto asks each unknown address once in each family's request shape") {
    Fixture f(master_config({}), {2, 7});
    f.poller->start();
    f.timers.run_for(20s);
    CHECK(f.poller->online_addresses() == std::vector<std::uint8_t>{2, 7});
    // Three discovery rounds: PACE (VER 0x25, CID1 0x46, INFO = address), Seplos/Pylontech
    // (VER 0x20, CID1 0x46, INFO = address), EG4 (VER 0x20, CID1 0x4A, no INFO).
    std::vector<std::string> to5;
    for (const auto& w : f.bus.writes) {
        auto frame = protocol::ascii::decode(w.bytes);
        if (frame && frame->adr == 5) to5.push_back(w.bytes);
    }
    CHECK(to5 == std::vector<std::string>{"~25054642E00205FD28\r", "~20054642E00205FD2D\r",
                                          "~20054A420000FD9E\r"});
    // The PACE packs found answered the first shape and are polled in it only.
    for (const auto& w : f.bus.writes) {
        auto frame = protocol::ascii::decode(w.bytes);
        if (frame && frame->adr == 2) CHECK(frame->ver == 0x25);
    }
    CHECK(f.poller->identity(2)->family == "pace");
}

TEST_CASE("a pack's identity is reported once, with its firmware and serial, not once per reply") {
    auto config = master_config({2, 7});
    config.family = PackFamilyChoice::pace;
    Fixture f(config, {2, 7});
    f.poller->start();
    f.timers.run_for(20s);
    for (std::size_t i = 0; i < 2; ++i) {
        const std::uint8_t a = i == 0 ? 2 : 7;
        INFO("pack " << int(a));
        REQUIRE(f.identities[a].size() == 1);
        CHECK(f.identities[a][0].firmware == f.bus.packs[i].identity.firmware);
        CHECK(f.identities[a][0].serial == f.bus.packs[i].identity.serial);
        CHECK_FALSE(f.identities[a][0].serial.empty());
    }
}

namespace {

// A line the test drives by hand: it records the poller's writes and the holds it asks for,
// and delivers whatever bytes the test puts on it, when the test says.
class HandLine final : public service::ByteTransport {
  public:
    explicit HandLine(FakeTimers& timers) : timers_(timers) {}
    void start(BytesHandler on_bytes) override { on_bytes_ = std::move(on_bytes); }
    void stop() override { on_bytes_ = nullptr; }
    void write(std::span<const std::uint8_t> bytes, WriteHandler done) override {
        writes.emplace_back(bytes.begin(), bytes.end());
        written_at.push_back(timers_.now());
        timers_.at(timers_.now(), [done = std::move(done)] { done({}); });
    }
    void hold_next_read(std::chrono::microseconds wait) override { holds.push_back(wait); }
    [[nodiscard]] std::uint32_t baud() const override { return 9600; }
    void deliver_at(TimePoint at, std::string bytes) {
        timers_.at(at, [this, bytes = std::move(bytes)] {
            if (on_bytes_)
                on_bytes_({reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size()});
        });
    }
    // The simulated pack 0's reply to the last request.
    [[nodiscard]] std::string reply() const {
        const auto request = protocol::ascii::decode(writes.back());
        REQUIRE(request);
        const auto bytes = sim::encode_reply(sim::SimPack::make(0, 1), *request, request->ver);
        REQUIRE(bytes);
        return *bytes;
    }
    static Duration wire(std::size_t chars) {
        return std::chrono::duration_cast<Duration>(
            std::chrono::microseconds(chars * 10'000'000ULL / 9600));
    }

    std::vector<std::string> writes;
    std::vector<TimePoint> written_at;
    std::vector<std::chrono::microseconds> holds;

  private:
    FakeTimers& timers_;
    BytesHandler on_bytes_;
};

}  // namespace

TEST_CASE(
    "a reply still arriving during the hold the poller asked for is not timed out, a cut one is") {
    // The poller holds its next read for the rest of a reply's wire time; a deadline that falls
    // inside that hold must wait for it, not call the reply garbled (the old grace was 20
    // character times). A reply that stops half-way is still counted as damaged.
    FakeTimers timers;
    HandLine line(timers);
    auto config = master_config({0});
    config.request_timeout_ms = 100;
    service::PackPoller poller(config, line, timers, {});
    poller.start();
    timers.run_for(1ms);
    REQUIRE(line.writes.size() == 1);
    const auto request_end = line.written_at[0] + HandLine::wire(line.writes[0].size());

    // The first 20 characters 10 ms before the deadline; the rest after it, at the line's pace.
    const auto reply = line.reply();
    REQUIRE(reply.size() > 60);
    const auto first_at = request_end + 90ms;
    line.deliver_at(first_at, reply.substr(0, 20));
    timers.run_until(first_at);
    REQUIRE_FALSE(line.holds.empty());
    const auto rest = std::min<std::size_t>(reply.size() - 20, 128);
    CHECK(line.holds.back() ==
          std::chrono::duration_cast<std::chrono::microseconds>(HandLine::wire(rest)));
    const auto rest_at = first_at + HandLine::wire(reply.size() - 20);
    REQUIRE(rest_at - request_end > 100ms + HandLine::wire(40));  // past deadline and old grace
    line.deliver_at(rest_at, reply.substr(20));
    timers.run_until(rest_at + 1ms);
    CHECK(poller.health(0).replies == 1);
    CHECK(poller.health(0).timeouts == 0);
    CHECK(poller.health(0).garbled == 0);

    // The next request's reply stops after 20 characters: damaged once the hold has passed.
    timers.run_for(50ms);
    REQUIRE(line.writes.size() == 2);
    const auto cut = line.reply().substr(0, 20);
    line.deliver_at(timers.now() + 30ms, cut);
    timers.run_for(2s);
    CHECK(poller.health(0).garbled == 1);
    CHECK(poller.health(0).timeouts >= 1);  // and the silent requests after it
}
