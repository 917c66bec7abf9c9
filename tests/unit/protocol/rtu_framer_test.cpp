// SPDX-License-Identifier: Apache-2.0
// The RTU framer: frames end by 3.5 characters of silence or by known request length; garbage
// is skipped; back-to-back requests are split. Time is passed in, so these run on fake time.
#include <catch2/catch.hpp>

#include "packbridge/protocol/modbus/modbus_rtu.hpp"
#include "packbridge/protocol/modbus/modbus_rtu_framer.hpp"
#include "support/rs485_example.hpp"

using namespace packbridge;
using namespace packbridge::protocol;
using packbridge::testing::hex_bytes;
using std::chrono::microseconds;

namespace {

const auto kRead = hex_bytes("01 03 00 10 00 13 05 C2");
const auto kHandshake = hex_bytes("01 10 00 13 00 01 02 00 00 A4 F3");
const TimePoint t0{};

std::vector<std::vector<std::uint8_t>> frames_of(const std::vector<modbus::FramerEvent>& events) {
    std::vector<std::vector<std::uint8_t>> out;
    for (const auto& e : events) {
        if (e.kind == modbus::FramerEvent::Kind::frame) out.push_back(e.bytes);
    }
    return out;
}

std::size_t garbage_bytes(const std::vector<modbus::FramerEvent>& events) {
    std::size_t n = 0;
    for (const auto& e : events) {
        if (e.kind == modbus::FramerEvent::Kind::garbage) n += e.bytes.size();
    }
    return n;
}

// Feeds `bytes` one byte per character time (~1.15 ms at 9600) and polls after each byte and
// finally after a long silence; returns every event.
std::vector<modbus::FramerEvent> run(modbus::RtuFramer& framer,
                                     const std::vector<std::uint8_t>& bytes, TimePoint start = t0) {
    std::vector<modbus::FramerEvent> all;
    TimePoint t = start;
    for (const auto b : bytes) {
        framer.feed(std::span<const std::uint8_t>(&b, 1), t);
        auto ev = framer.poll(t);
        all.insert(all.end(), ev.begin(), ev.end());
        t += microseconds(1146);
    }
    auto ev = framer.poll(t + milliseconds(50));
    all.insert(all.end(), ev.begin(), ev.end());
    return all;
}

}  // namespace

TEST_CASE("t3.5 is 3.5 eleven-bit characters at 9600 and fixed at 1.75 ms above 19200",
          "[framer]") {
    CHECK(modbus::silence_interval(9600) == microseconds(4011));
    CHECK(modbus::silence_interval(19200) == microseconds(2006));
    CHECK(modbus::silence_interval(115200) == microseconds(1750));
}

TEST_CASE("a known-length request is a frame as soon as its last byte arrives", "[framer]") {
    modbus::RtuFramer f(9600);
    f.feed(kRead, t0);
    auto ev = f.poll(t0);
    REQUIRE(frames_of(ev) == std::vector<std::vector<std::uint8_t>>{kRead});
    CHECK(f.pending() == 0);
    CHECK_FALSE(f.deadline());
}

TEST_CASE("two requests less than 4 ms apart are both framed", "[framer]") {
    for (const auto gap : {microseconds(0), microseconds(500), microseconds(3900)}) {
        INFO("gap " << gap.count() << " us");
        modbus::RtuFramer f(9600);
        f.feed(kRead, t0);
        f.feed(kHandshake, t0 + gap);
        auto ev = f.poll(t0 + gap);
        CHECK(frames_of(ev) == std::vector<std::vector<std::uint8_t>>{kRead, kHandshake});
        CHECK(garbage_bytes(ev) == 0);
    }
}

TEST_CASE("a request split at every offset is framed once, whole", "[framer]") {
    for (const auto& req : {kRead, kHandshake}) {
        for (std::size_t cut = 1; cut < req.size(); ++cut) {
            INFO("cut at " << cut);
            modbus::RtuFramer f(9600);
            const std::span<const std::uint8_t> all(req);
            f.feed(all.first(cut), t0);
            CHECK(frames_of(f.poll(t0 + microseconds(1000))).empty());
            f.feed(all.subspan(cut), t0 + microseconds(2000));
            auto ev = f.poll(t0 + microseconds(2000));
            CHECK(frames_of(ev) == std::vector<std::vector<std::uint8_t>>{req});
        }
    }
}

TEST_CASE("a truncated request followed by silence is dropped as garbage", "[framer]") {
    modbus::RtuFramer f(9600);
    const std::span<const std::uint8_t> all(kRead);
    f.feed(all.first(5), t0);
    REQUIRE(f.deadline());
    CHECK(*f.deadline() == t0 + modbus::silence_interval(9600));
    CHECK(f.poll(t0 + microseconds(3000)).empty());  // not yet silent
    auto ev = f.poll(t0 + microseconds(4100));
    CHECK(frames_of(ev).empty());
    CHECK(garbage_bytes(ev) == 5);
    CHECK(f.pending() == 0);
}

TEST_CASE("a silence inside a request splits it: neither half is a frame", "[framer]") {
    modbus::RtuFramer f(9600);
    const std::span<const std::uint8_t> all(kRead);
    f.feed(all.first(4), t0);
    f.feed(all.subspan(4), t0 + milliseconds(10));
    auto ev = f.poll(t0 + milliseconds(20));
    CHECK(frames_of(ev).empty());
    CHECK(garbage_bytes(ev) == kRead.size());
}

TEST_CASE("garbage before, between and after requests is skipped and counted", "[framer]") {
    struct Row {
        const char* name;
        std::vector<std::uint8_t> noise;
    };
    const Row rows[] = {
        {"zeros", {0x00, 0x00, 0x00}},
        {"0xFF idle-line noise", {0xFF, 0xFF}},
        {"a lone slave address", {0x01}},
        {"a request's start", {0x01, 0x03, 0x00}},
        {"an exception-looking fragment", {0x01, 0x83, 0x02, 0xC0}},
        {"a request with a bad CRC", hex_bytes("01 03 00 15 00 01 95 CF")},
    };
    for (const auto& row : rows) {
        INFO(row.name);
        std::vector<std::uint8_t> stream = row.noise;
        stream.insert(stream.end(), kRead.begin(), kRead.end());
        stream.insert(stream.end(), row.noise.begin(), row.noise.end());
        stream.insert(stream.end(), kHandshake.begin(), kHandshake.end());
        stream.insert(stream.end(), row.noise.begin(), row.noise.end());
        modbus::RtuFramer f(9600);
        auto ev = run(f, stream);
        CHECK(frames_of(ev) == std::vector<std::vector<std::uint8_t>>{kRead, kHandshake});
        CHECK(garbage_bytes(ev) == 3 * row.noise.size());
        CHECK(f.pending() == 0);
    }
}

TEST_CASE("an unknown function code with a valid CRC is framed by silence", "[framer]") {
    std::vector<std::uint8_t> req{0x01, 0x2B, 0x0E, 0x01, 0x00};
    modbus::append_crc(req);
    modbus::RtuFramer f(9600);
    f.feed(req, t0);
    CHECK(f.poll(t0 + microseconds(100)).empty());
    auto ev = f.poll(t0 + milliseconds(5));
    CHECK(frames_of(ev) == std::vector<std::vector<std::uint8_t>>{req});
}

TEST_CASE("bytes after a silence start a new frame even if poll was not called in between",
          "[framer]") {
    modbus::RtuFramer f(9600);
    const std::span<const std::uint8_t> all(kRead);
    f.feed(all.first(3), t0);               // a fragment, then the line goes quiet
    f.feed(kRead, t0 + milliseconds(100));  // a whole request later
    auto ev = f.poll(t0 + milliseconds(100));
    CHECK(frames_of(ev) == std::vector<std::vector<std::uint8_t>>{kRead});
    CHECK(garbage_bytes(ev) == 3);
}

TEST_CASE("endless noise without silence never grows the buffer past one frame", "[framer]") {
    modbus::RtuFramer f(9600);
    std::vector<std::uint8_t> noise(1000, 0x55);
    f.feed(noise, t0);
    auto ev = f.poll(t0);
    CHECK(f.pending() <= modbus::kMaxFrame);
    CHECK(garbage_bytes(ev) + f.pending() == noise.size());
}
