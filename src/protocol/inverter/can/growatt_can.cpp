// SPDX-License-Identifier: Apache-2.0
#include "packbridge/protocol/inverter/can/growatt_can.hpp"

#include <algorithm>
#include <array>
#include <cstdio>

#include "packbridge/bytes.hpp"
#include "packbridge/protocol/wire_units.hpp"

namespace packbridge::protocol::growatt_can {
namespace {

using namespace bytes;  // the load_/store_ helpers of the byte layouts
using wire::round_div;
using wire::to_s16;
using wire::to_u16;
using wire::to_u8;

constexpr std::uint8_t kMaxCount = 254;  // 0x312 bytes 4 and 7: 1-254

// Two ASCII bytes, space padded.
void store_ascii2(CanFrame& f, std::size_t at, const std::string& text) {
    f.data[at] = text.size() > 0 ? static_cast<std::uint8_t>(text[0]) : ' ';
    f.data[at + 1] = text.size() > 1 ? static_cast<std::uint8_t>(text[1]) : ' ';
}

std::uint16_t state_code(Flow flow) {
    switch (flow) {
        case Flow::charging:
            return kStateCharging;
        case Flow::discharging:
            return kStateDischarging;
        case Flow::idle:
            break;
    }
    return kStateStandby;
}

std::uint16_t status_word(const Battery& b, bool protection, const Options& options) {
    const std::uint16_t state = state_code(b.flow());
    std::uint16_t w = state;
    if (protection) w |= kStatusErrorValid;
    if (std::any_of(b.modules.begin(), b.modules.end(),
                    [](const Module& m) { return m.balancing_mask != 0; })) {
        w |= kStatusBalancing;
    }
    if (options.status_output_bits) {
        if (b.discharge_enable) w |= kStatusDischargeEnabled;
        if (b.charge_enable) w |= kStatusChargeEnabled;
    }
    // b7 = 0: terminal connected. b10-11 mirror the battery status, as the spec's vector does.
    w |= static_cast<std::uint16_t>((static_cast<unsigned>(options.box_mode) & 0x3U)
                                    << kStatusBoxModeShift);
    w |= static_cast<std::uint16_t>(state << kStatusSpStateShift);
    return w;
}

// 0x314 capacity in 10 mAh under the chosen overflow policy.
std::uint16_t capacity_10mah(std::uint32_t mah, const Battery& b, const Options& options) {
    std::int64_t value = mah;
    if (options.capacity == CapacityMode::module_average && b.packs_counted > 1) {
        value = round_div(value, b.packs_counted);
    }
    return to_u16(round_div(std::min<std::int64_t>(value, kMaxCapacityMah), 10));
}

std::uint8_t fault_pack(const Battery& b) {
    for (const auto& m : b.modules) {
        if (m.protections.any()) return m.address;
    }
    return 0;
}

const char* state_name(std::uint16_t state) {
    switch (state & kStatusStateMask) {
        case kStateSoftStart:
            return "soft start";
        case kStateStandby:
            return "standby";
        case kStateCharging:
            return "charging";
        default:
            return "discharging";
    }
}

}  // namespace

std::uint32_t pack_time(const DateTime& t) {
    const auto field = [](std::int64_t v, std::int64_t lo, std::int64_t hi) {
        return static_cast<std::uint32_t>(std::clamp<std::int64_t>(v, lo, hi));
    };
    return field(t.second, 0, 59) | (field(t.minute, 0, 59) << 6) | (field(t.hour, 0, 23) << 12) |
           (field(t.day, 1, 31) << 17) | (field(t.month, 1, 12) << 22) |
           (field(std::int64_t{t.year} - 2000, 0, 63) << 26);
}

std::vector<CanFrame> encode(const Battery& b, const Options& options) {
    std::vector<CanFrame> out;
    out.reserve(7);

    // 0x312 bytes 0-3 through the alarm table (growatt_can_alarms.cpp).
    std::array<std::uint8_t, 4> g{};
    for (std::uint16_t i = 0; i < g.size(); ++i) {
        g[i] = static_cast<std::uint8_t>(
            alarm_table::word(alarm_fields(), i, b.warnings, b.protections));
    }
    const std::uint8_t g1 = g[0];
    const std::uint8_t g2 = g[1];

    CanFrame limits = make_frame(0x311);
    store_be16(payload(limits), 0, to_u16(round_div(b.charge_voltage.value, 100)));
    store_be16(payload(limits), 2, to_u16(round_div(b.charge_current.value, 100)));
    store_be16(payload(limits), 4, to_u16(round_div(b.discharge_current.value, 100)));
    store_be16(payload(limits), 6, status_word(b, (g1 | g2) != 0, options));
    out.push_back(limits);

    CanFrame alarms = make_frame(0x312);
    alarms.data[0] = g1;
    alarms.data[1] = g2;
    alarms.data[2] = g[2];
    alarms.data[3] = g[3];
    alarms.data[4] = to_u8(b.packs_counted, kMaxCount);
    store_ascii2(alarms, 5, options.manufacturer_code);
    alarms.data[7] = to_u8(b.cells_total, kMaxCount);
    out.push_back(alarms);

    CanFrame measured = make_frame(0x313);
    store_be16s(payload(measured), 0, to_s16(round_div(b.voltage_mv, 10)));
    store_be16s(payload(measured), 2, to_s16(round_div(b.current_ma, 100)));
    // The document (and Battery-Emulator) say maximum cell temperature here, not the mean.
    store_be16s(payload(measured), 4, b.temp_max_dc);
    measured.data[6] = to_u8(b.soc_pct(), 100);
    measured.data[7] = static_cast<std::uint8_t>(to_u8(b.soh_pct(), 100) & kSohValueMask);
    out.push_back(measured);

    CanFrame capacity = make_frame(0x314);
    store_be16(payload(capacity), 0, capacity_10mah(b.remaining_mah, b, options));
    store_be16(payload(capacity), 2, capacity_10mah(b.full_mah, b, options));
    store_be16(payload(capacity), 4,
               to_u16(std::int64_t{b.cell_max_mv} - std::int64_t{b.cell_min_mv}));
    store_be16(payload(capacity), 6, to_u16(b.cycles));
    out.push_back(capacity);

    CanFrame cells = make_frame(0x319);
    std::uint8_t g5 = kG5TypeLfp;
    if (b.charge_enable) g5 |= kG5ChargeEnable;
    if (b.discharge_enable) g5 |= kG5DischargeEnable;
    // "Use bit 5 in the 5-10 % SOC range; bit 4 is NULL" (unlike Pylon, which recommends b4).
    if (b.force_charge) g5 |= kG5ForceCharge1;
    cells.data[0] = g5;
    store_be16(payload(cells), 1, b.cell_max_mv);
    store_be16(payload(cells), 3, b.cell_min_mv);
    cells.data[5] = to_u8(b.cell_max_at.global);
    cells.data[6] = to_u8(b.cell_min_at.global);
    cells.data[7] = fault_pack(b);
    out.push_back(cells);

    CanFrame identity = make_frame(0x320);
    store_ascii2(identity, 0, options.abbreviation);
    identity.data[2] = options.hardware_version;
    identity.data[3] = options.software_version;
    store_be32(payload(identity), 4, options.time ? pack_time(*options.time) : 0);
    out.push_back(identity);

    out.push_back(make_frame(0x321));  // update status: normal, nothing being upgraded
    return out;
}

bool is_poll(const CanFrame& f) {
    return !f.extended && f.id == kPollId;
}

std::string describe(const CanFrame& f) {
    const std::span<const std::uint8_t> d{f.data.data(), f.data.size()};
    switch (f.id) {
        case 0x301:
            return format_text("poll");
        case 0x311: {
            const std::uint16_t s = load_be16(d, 6);
            return format_text("limits CV %.1f V CCL %.1f A DCL %.1f A status %04X (%s%s%s%s)",
                               load_be16(d, 0) / 10.0, load_be16(d, 2) / 10.0,
                               load_be16(d, 4) / 10.0, s, state_name(s),
                               (s & kStatusChargeEnabled) ? ", charge on" : "",
                               (s & kStatusDischargeEnabled) ? ", discharge on" : "",
                               (s & kStatusErrorValid) ? ", error" : "");
        }
        case 0x312:
            return format_text(
                "protection %02X %02X warning %02X %02X, %u packs, code %02X %02X, "
                "%u cells",
                d[0], d[1], d[2], d[3], d[4], d[5], d[6], d[7]);
        case 0x313:
            return format_text("%.2f V %.1f A max %.1f degC SOC %u %% SOH %u %%%s",
                               load_be16s(d, 0) / 100.0, load_be16s(d, 2) / 10.0,
                               load_be16s(d, 4) / 10.0, d[6], d[7] & kSohValueMask,
                               (d[7] & kSohFlag) ? " (SOH flag)" : "");
        case 0x314:
            return format_text("remaining %.2f Ah full %.2f Ah cell delta %u mV %u cycles",
                               load_be16(d, 0) / 100.0, load_be16(d, 2) / 100.0, load_be16(d, 4),
                               load_be16(d, 6));
        case 0x319:
            return format_text(
                "charge %s, discharge %s%s, max cell %u mV #%u min cell %u mV #%u, "
                "fault pack %u",
                (d[0] & kG5ChargeEnable) ? "on" : "off", (d[0] & kG5DischargeEnable) ? "on" : "off",
                (d[0] & (kG5ForceCharge1 | kG5ForceCharge2)) ? ", force charge" : "",
                load_be16(d, 1), d[5], load_be16(d, 3), d[6], d[7]);
        case 0x320: {
            const std::uint32_t t = load_be32(d, 4);
            return format_text("\"%c%c\" HW %u SW %u %04u-%02u-%02u %02u:%02u:%02u",
                               (d[0] >= 0x20 && d[0] < 0x7F) ? d[0] : '?',
                               (d[1] >= 0x20 && d[1] < 0x7F) ? d[1] : '?', d[2], d[3],
                               2000U + (t >> 26), (t >> 22) & 0xFU, (t >> 17) & 0x1FU,
                               (t >> 12) & 0x1FU, (t >> 6) & 0x3FU, t & 0x3FU);
        }
        case 0x321:
            return format_text("update status %02X progress %u", d[0], d[1]);
    }
    return describe_unknown(f);
}

}  // namespace packbridge::protocol::growatt_can
