// SPDX-License-Identifier: Apache-2.0
// Inverter bytes -> the Modbus RTU slave side (inverter-rs485.md sections 2-4): RtuFramer cuts
// the stream by silence and by known request lengths, each frame goes through the shared slave
// dispatch of the Growatt (L01), SRNE pace-modbus and Voltronic-485 maps, answered from three
// batteries. Every reply must carry a valid CRC.
//
// Input: byte 0 steers, the rest is the line.
//   bits 0-2  chunk size - 1 (bytes handed to feed() at once)
//   bits 3-4  gap after each chunk: 0 = 1 ms, 1 = 5 ms (> t3.5 at 9600), 2/3 = alternating
//   bit 7     append the line's own CRC, so the fuzzer reaches the maps without solving CRC-16
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <span>
#include <vector>

#include "fuzz_batteries.hpp"
#include "packbridge/protocol/modbus/modbus_rtu.hpp"
#include "packbridge/protocol/modbus/modbus_rtu_framer.hpp"

namespace {

using namespace packbridge;
using namespace packbridge::protocol;

std::vector<std::unique_ptr<Rs485Responder>>& responders() {
    static std::vector<std::unique_ptr<Rs485Responder>> all = [] {
        std::vector<std::unique_ptr<Rs485Responder>> out;
        out.push_back(fuzz::responder(fuzz::rs485_config(Protocol::growatt_rs485)));
        out.push_back(fuzz::responder(fuzz::rs485_config(Protocol::srne, "pace-modbus")));
        for (const auto length :
             {VoltronicLength::words, VoltronicLength::bytes, VoltronicLength::standard}) {
            auto c = fuzz::rs485_config(Protocol::voltronic, "voltronic-485");
            c.rs485.voltronic.length = length;
            out.push_back(fuzz::responder(c));
        }
        return out;
    }();
    return all;
}

void answer(std::span<const std::uint8_t> request) {
    (void)modbus::parse_request(request);
    for (auto& r : responders()) {
        for (const auto& battery : fuzz::batteries()) {
            const Rs485Outcome outcome = r->handle(request, battery, TimePoint{});
            if (outcome.reply && !modbus::crc_ok(*outcome.reply)) {
                std::fprintf(stderr, "%s: reply with a bad CRC\n", std::string(r->name()).c_str());
                std::abort();
            }
        }
    }
}

void handle_events(const std::vector<modbus::FramerEvent>& events) {
    for (const auto& e : events) {
        if (e.kind == modbus::FramerEvent::Kind::frame) {
            if (!modbus::crc_ok(e.bytes)) {
                std::fprintf(stderr, "framer: frame with a bad CRC\n");
                std::abort();
            }
            answer(e.bytes);
        }
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size < 1) return 0;
    const std::uint8_t control = data[0];
    std::vector<std::uint8_t> line(data + 1, data + size);
    if (control & 0x80) modbus::append_crc(line);

    for (std::size_t n = 1; n <= line.size() && n <= 8; ++n)
        (void)modbus::request_length(std::span(line).first(n));
    answer(line);

    modbus::RtuFramer framer(9600);
    const std::size_t chunk = (control & 0x07U) + 1U;
    const unsigned gap_mode = (control >> 3) & 0x03U;
    TimePoint now{};
    std::size_t index = 0;
    for (std::size_t at = 0; at < line.size(); at += chunk, ++index) {
        const std::size_t n = std::min(chunk, line.size() - at);
        framer.feed(std::span(line).subspan(at, n), now);
        handle_events(framer.poll(now));
        const bool long_gap = gap_mode == 1 || (gap_mode >= 2 && index % 2 == 1);
        now += long_gap ? milliseconds(5) : milliseconds(1);
    }
    // Let the silence close whatever is pending, as the service does at deadline().
    for (int i = 0; i < 4 && framer.deadline(); ++i)
        handle_events(framer.poll(*framer.deadline()));
    handle_events(framer.poll(now + seconds(1)));
    if (framer.pending() != 0) {
        std::fprintf(stderr, "framer: %zu bytes pending after a long silence\n", framer.pending());
        std::abort();
    }
    return 0;
}
