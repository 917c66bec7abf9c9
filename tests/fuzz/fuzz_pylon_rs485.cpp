// SPDX-License-Identifier: Apache-2.0
// Inverter bytes -> Pylon RS485 (inverter-rs485.md section 1, the ASCII "~...\r" protocol a
// Voltronic/MPP inverter speaks with battery type PYL): the assembler cuts the stream as the
// RS485 service does, each frame goes to the responder built by make_rs485_responder() for a
// voltronic config (and a second one with group 1, VER 0x28, no ADR 0 answers, positive DCL),
// answered from three batteries. The whole input is also handed over as one "frame".
// Any reply must itself be a well-formed frame.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <span>
#include <string_view>

#include "fuzz_batteries.hpp"
#include "packbridge/protocol/ascii/ascii_assembler.hpp"
#include "packbridge/protocol/inverter/rs485/pylon_rs485.hpp"

namespace {

using namespace packbridge;
using namespace packbridge::protocol;

std::vector<std::unique_ptr<Rs485Responder>>& responders() {
    static std::vector<std::unique_ptr<Rs485Responder>> all = [] {
        std::vector<std::unique_ptr<Rs485Responder>> out;
        out.push_back(fuzz::responder(fuzz::rs485_config(Protocol::voltronic)));
        auto other = fuzz::rs485_config(Protocol::voltronic, "pylon");
        other.rs485.pylon.group = 1;
        other.rs485.pylon.ver = 0x28;
        other.rs485.pylon.answer_adr0 = false;
        other.rs485.pylon.dcl_negative = false;
        other.rs485.pylon.current_61_unit_ma = 1;
        other.rs485.pylon.current_63_unit_ma = 10;
        out.push_back(fuzz::responder(other));
        return out;
    }();
    return all;
}

void answer(std::span<const std::uint8_t> request) {
    for (auto& r : responders()) {
        for (const auto& battery : fuzz::batteries()) {
            const Rs485Outcome outcome = r->handle(request, battery, TimePoint{});
            (void)to_string(outcome.kind);
            (void)outcome.inverter_alive();
            if (!outcome.reply) continue;
            const std::string_view text(reinterpret_cast<const char*>(outcome.reply->data()),
                                        outcome.reply->size());
            const auto decoded = ascii::decode(text);
            if (!decoded.ok()) {
                std::fprintf(stderr, "reply is not a valid frame: %s\n",
                             decoded.error().describe().c_str());
                std::abort();
            }
        }
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::span<const std::uint8_t> bytes(data, size);
    answer(bytes);
    ascii::Assembler assembler;
    assembler.feed(bytes, [](const ascii::AssembledFrame& frame) {
        answer(
            std::span(reinterpret_cast<const std::uint8_t*>(frame.raw.data()), frame.raw.size()));
    });
    return 0;
}
