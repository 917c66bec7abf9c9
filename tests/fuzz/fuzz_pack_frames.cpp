// SPDX-License-Identifier: Apache-2.0
// Pack bus bytes -> the "~...\r" assembler -> every PACE-family reply decoder (pack-protocol.md).
// Whatever a pack, a clone or line noise sends, decoding must return a value or an Error: no
// crash, no out-of-bounds read, no UB. The input is fed in two chunkings (whole, then split at
// a point taken from the first byte) so the assembler's chunk handling is covered too. Every
// frame the layer accepts must survive encode() -> decode() unchanged.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <span>

#include "packbridge/protocol/ascii/ascii_assembler.hpp"
#include "packbridge/protocol/pack/pace.hpp"
#include "packbridge/protocol/pack/pace_misc.hpp"

namespace {

using namespace packbridge::protocol;

void decode_everything(const ascii::AssembledFrame& assembled) {
    // The raw text through the frame layer once more (what the CLI's decode command does).
    (void)ascii::decode(assembled.raw);
    if (!assembled.frame.ok()) return;
    const ascii::Frame& f = assembled.frame.value();
    // What decode() accepted, encode() writes back as a frame that decodes to the same fields.
    const auto again = ascii::decode(ascii::encode(f));
    if (!again.ok() || again->ver != f.ver || again->adr != f.adr || again->cid1 != f.cid1 ||
        again->cid2 != f.cid2 || again->info != f.info) {
        std::fprintf(stderr, "encode/decode round trip differs for %s\n", assembled.raw.c_str());
        std::abort();
    }
    (void)pace::detect_dialect(f);
    (void)pace::is_request(f);
    (void)pace::check_reply_address(f, f.adr);
    (void)pace::rtn_meaning(f.cid2);
    for (const auto dialect : {pace::Dialect::pace, pace::Dialect::seplos, pace::Dialect::pylontech,
                               pace::Dialect::eg4}) {
        (void)pace::is_request(f, dialect);
        (void)pace::decode_analog(f, dialect);
        (void)pace::decode_analog_all(f, dialect);
        (void)pace::decode_status(f, dialect);
    }
    (void)pace::decode_analog(f);
    (void)pace::decode_analog_all(f);
    (void)pace::decode_status(f);
    for (const std::uint8_t cid2 : {pace::kCidFirmware, pace::kCidSerial, pace::kCidManufacturer})
        (void)pace::decode_identity(f, cid2);
    (void)pace::decode_pack_count(f);
    (void)pace::decode_capacity(f);
    (void)pace::decode_date_time(f);
    (void)pace::decode_protocol_version(f);
    (void)pace::decode_manufacturer_info(f);
    (void)pace::decode_pylon_limits(f);
    (void)pace::is_empty_ok_reply(f);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::span<const std::uint8_t> bytes(data, size);
    {
        ascii::Assembler assembler;
        assembler.feed(bytes, decode_everything);
    }
    if (size > 1) {
        ascii::Assembler assembler;
        const std::size_t split = 1 + data[0] % (size - 1);
        assembler.feed(bytes.first(split), decode_everything);
        assembler.feed(bytes.subspan(split), decode_everything);
        (void)assembler.in_frame();
        (void)assembler.noise_bytes();
        assembler.reset();
    }
    return 0;
}
