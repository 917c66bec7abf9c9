// SPDX-License-Identifier: Apache-2.0
// The frames the Sol-Ark and Goodwe variants add to the Pylon set (inverter-can.md sections 2,
// 4.3, 4.4 and 4.8). Little-endian, DLC 8, zero-padded.

#include <cstdio>
#include <initializer_list>
#include <string>

#include "packbridge/bytes.hpp"
#include "packbridge/protocol/inverter/can/sma_can.hpp"
#include "packbridge/protocol/wire_units.hpp"
#include "pylon_can_internal.hpp"

namespace packbridge::protocol::pylon_can::internal {
namespace {

using bytes::load_le16;
using bytes::store_le16;
using wire::round_div;
using wire::to_u16;

// --- 0x35A: 16 alarms (bytes 0-3) and 16 warnings (bytes 4-7), 2 bits per item (section 4.3).
// 01 = raised, 10 = cleared; every defined item is sent explicitly cleared when not raised, so an
// earlier alarm is cleared on both SMA- and Victron-style consumers. Reserved items stay 00.
constexpr std::uint8_t kRaised = sma_can::kPairRaised;

CanFrame alarm_frame(const Battery& b, const Options& options) {
    CanFrame f = frame(0x35A, 8, options);
    // The SMA family's own table (sma_can_alarms.cpp), so both send the same items.
    sma_can::put_items(std::span(f.data).first(4), sma_can::raised_items(b, false));
    sma_can::put_items(std::span(f.data).subspan(4), sma_can::raised_items(b, true));
    return f;
}

// --- 0x372: modules online / blocking charge / blocking discharge / offline (U16 each).
// Blocking is the bank's verdict (MOSFET off or a protection of that side), as in sma_can.
CanFrame module_count_frame(const Battery& b, const Options& options) {
    std::int64_t blocking_charge = 0, blocking_discharge = 0;
    for (const Module& m : b.modules) {
        if (m.blocks_charge) ++blocking_charge;
        if (m.blocks_discharge) ++blocking_discharge;
    }
    CanFrame f = frame(0x372, 8, options);
    store_le16(payload(f), 0, b.packs_counted);
    store_le16(payload(f), 2, to_u16(blocking_charge));
    store_le16(payload(f), 4, to_u16(blocking_discharge));
    store_le16(payload(f), 6, to_u16(std::int64_t{b.packs_known} - b.packs_counted));
    return f;
}

// Whole kelvin, truncated as YamBMS does: int(T + 273.15); 24.1 degC -> 297 K.
std::uint16_t kelvin(std::int16_t temp_dc) {
    return to_u16((std::int64_t{temp_dc} * 10 + 27315) / 100);
}

// --- 0x373: min cell mV, max cell mV, min temperature K, max temperature K.
CanFrame extremes_frame(const Battery& b, const Options& options) {
    CanFrame f = frame(0x373, 8, options);
    store_le16(payload(f), 0, b.cell_min_mv);
    store_le16(payload(f), 2, b.cell_max_mv);
    store_le16(payload(f), 4, kelvin(b.temp_min_dc));
    store_le16(payload(f), 6, kelvin(b.temp_max_dc));
    return f;
}

// --- 0x374-0x377: where the extreme sits, as free ASCII text, zero-padded: "3-12" is module
// (pack address) 3 cell 12, "1-T2" is module 1 temperature sensor 2. Empty when unknown.
CanFrame location_frame(std::uint32_t id, const Location& at, const char* separator,
                        const Options& options) {
    CanFrame f = frame(id, 8, options);
    if (at.index == 0) return f;
    char text[16];
    const int n = std::snprintf(text, sizeof text, "%u%s%u", unsigned{at.pack}, separator,
                                unsigned{at.index});
    for (std::size_t i = 0; n > 0 && i < static_cast<std::size_t>(n) && i < f.data.size(); ++i)
        f.data[i] = static_cast<std::uint8_t>(text[i]);
    return f;
}

// --- 0x379: bank capacity (Sol-Ark) / installed capacity (Victron extras), 1 Ah.
CanFrame capacity_frame(const Battery& b, const Options& options) {
    CanFrame f = frame(0x379, 8, options);
    store_le16(payload(f), 0, to_u16(round_div(b.full_mah, 1000)));
    return f;
}

std::string location_text(const CanFrame& f) {
    std::string text;
    for (std::size_t i = 0; i < std::min<std::size_t>(f.dlc, f.data.size()) && f.data[i]; ++i)
        text.push_back(static_cast<char>(f.data[i]));
    return text;
}

// "raised 01 03" style: the item numbers whose pair reads 01, or "none".
std::string raised_items(const CanFrame& f, std::size_t first_byte) {
    std::string text;
    for (std::size_t k = 0; k < 16; ++k) {
        const unsigned pair = (f.data[first_byte + k / 4] >> (2 * (k % 4))) & 0b11U;
        if (pair != kRaised) continue;
        char item[8];
        std::snprintf(item, sizeof item, " %zu", k);
        text += item;
    }
    return text.empty() ? " none" : text;
}

}  // namespace

void append_variant_frames(const Battery& b, const Options& options, std::vector<CanFrame>& out) {
    switch (options.variant) {
        case Variant::pylon:
            return;
        case Variant::sol_ark:
            out.push_back(capacity_frame(b, options));
            return;
        case Variant::goodwe:
            out.push_back(alarm_frame(b, options));
            out.push_back(module_count_frame(b, options));
            out.push_back(extremes_frame(b, options));
            out.push_back(location_frame(0x374, b.cell_min_at, "-", options));
            out.push_back(location_frame(0x375, b.cell_max_at, "-", options));
            out.push_back(location_frame(0x376, b.temp_min_at, "-T", options));
            out.push_back(location_frame(0x377, b.temp_max_at, "-T", options));
            out.push_back(capacity_frame(b, options));
            return;
    }
}

std::optional<std::string> describe_variant_frame(const CanFrame& f) {
    const std::span<const std::uint8_t> d{f.data.data(), f.data.size()};
    switch (f.id) {
        case 0x35A:
            return "alarms raised:" + raised_items(f, 0) +
                   ", warnings raised:" + raised_items(f, 4);
        case 0x372:
            return format_text(
                "modules %u online, %u blocking charge, %u blocking discharge, "
                "%u offline",
                load_le16(d, 0), load_le16(d, 2), load_le16(d, 4), load_le16(d, 6));
        case 0x373:
            return format_text("cells %u..%u mV, temperatures %u..%u K", load_le16(d, 0),
                               load_le16(d, 2), load_le16(d, 4), load_le16(d, 6));
        case 0x374:
            return "lowest cell \"" + location_text(f) + "\"";
        case 0x375:
            return "highest cell \"" + location_text(f) + "\"";
        case 0x376:
            return "lowest temperature \"" + location_text(f) + "\"";
        case 0x377:
            return "highest temperature \"" + location_text(f) + "\"";
        case 0x379:
            return format_text("capacity %u Ah", load_le16(d, 0));
        default:
            return std::nullopt;
    }
}

}  // namespace packbridge::protocol::pylon_can::internal
