// SPDX-License-Identifier: Apache-2.0
// The reply turnaround on a real pty line (socat pair): the test plays the master, stamps the
// moment its request's bytes were written and the moment the reply's first byte was read, and
// checks the gap is at least the configured turnaround: a lower bound, never a wall-clock limit.
// A pty has no wire time, so the request is whole on the line the instant write() runs; the
// stamp is taken just before that call, so the responder cannot have seen the request earlier,
// and a late wake-up of either thread can only lengthen the measured gap. Figures are printed.
#include <algorithm>
#include <catch2/catch.hpp>
#include <chrono>
#include <iostream>
#include <vector>

#include "harness.hpp"
#include "packbridge/protocol/modbus/modbus_rtu.hpp"
#include "packbridge/protocol/modbus/modbus_rtu_framer.hpp"

using namespace packbridge;
using namespace packbridge::testing;
using namespace std::chrono_literals;

namespace {

using Micros = std::chrono::duration<double, std::micro>;

// Sends `request` `tries` times and returns each request-end -> reply-start gap.
std::vector<Duration> gaps(Rs485Line& line, const std::string& request, std::size_t reply_size,
                           int tries) {
    LineEnd master(line.master_port());
    std::vector<Duration> out;
    for (int i = 0; i < tries; ++i) {
        const auto written = std::chrono::steady_clock::now();
        master.write(request);
        const auto first = master.read(1, 1000ms);
        const auto arrived = std::chrono::steady_clock::now();
        REQUIRE(first.size() == 1);
        const auto rest = master.read(reply_size - 1, 1000ms);
        REQUIRE(rest.size() == reply_size - 1);
        out.push_back(arrived - written);
        std::this_thread::sleep_for(20ms);
    }
    return out;
}

void print(const char* what, std::vector<Duration> g, Duration turnaround) {
    std::sort(g.begin(), g.end());
    std::cout << what << ": turnaround " << Micros(turnaround).count() << " us, gap min "
              << Micros(g.front()).count() << " us, median " << Micros(g[g.size() / 2]).count()
              << " us, max " << Micros(g.back()).count() << " us over " << g.size()
              << " requests\n";
}

}  // namespace

TEST_CASE("Modbus replies on a pty start no earlier than t3.5 after the request's last byte",
          "[rs485][e2e][turnaround]") {
    auto inverter = rs485_inverter(Protocol::growatt_rs485);  // 9600 baud, turnaround unset
    Rs485Line line(inverter);
    const auto t35 = protocol::modbus::silence_interval(9600);
    const auto request = protocol::modbus::read_request(1, 0x03, 0x0015, 1);
    const auto g = gaps(line, {request.begin(), request.end()}, 7, 20);
    print("modbus default", g, t35);
    for (const auto gap : g)
        CHECK(gap >= t35);
}

TEST_CASE("a configured turnaround_ms holds Modbus replies back at least that long",
          "[rs485][e2e][turnaround]") {
    auto inverter = rs485_inverter(Protocol::growatt_rs485);
    inverter.rs485.turnaround_ms = 15;
    Rs485Line line(inverter);
    const auto request = protocol::modbus::read_request(1, 0x03, 0x0015, 1);
    const auto g = gaps(line, {request.begin(), request.end()}, 7, 10);
    print("modbus 15 ms", g, 15ms);
    for (const auto gap : g)
        CHECK(gap >= 15ms);
}

TEST_CASE("Pylon ASCII replies on a pty also wait the turnaround", "[rs485][e2e][turnaround]") {
    auto inverter = rs485_inverter(Protocol::voltronic);
    inverter.rs485.turnaround_ms = 10;
    Rs485Line line(inverter);
    const std::string r63 = "~200246630000FDA9\r";  // inverter-rs485.md 1.5
    const std::size_t reply_size = std::string("~20024600D012DAC0BB8003E805DCC0F978\r").size();
    const auto g = gaps(line, r63, reply_size, 10);
    print("pylon 10 ms", g, 10ms);
    for (const auto gap : g)
        CHECK(gap >= 10ms);
}
