// SPDX-License-Identifier: Apache-2.0
#include "packbridge/protocol/inverter/can/lux_can.hpp"

#include <algorithm>
#include <cstdio>

#include "packbridge/bytes.hpp"
#include "packbridge/protocol/inverter/can/limits_frame.hpp"
#include "packbridge/protocol/wire_units.hpp"

namespace packbridge::protocol::lux_can {
namespace {

using namespace bytes;  // the load_/store_ helpers of the byte layouts
using wire::round_div;
using wire::to_s16;
using wire::to_u16;
// The request-flag bits are Pylon's (0x359's bits come from pylon_can::alarm_bytes).
using pylon_can::kRChargeEnable;
using pylon_can::kRDischargeEnable;
using pylon_can::kRForceCharge1;
using pylon_can::kRForceCharge2;
using pylon_can::kRFullChargeRequest;

struct TemperaturePair {
    std::int16_t max;
    std::int16_t min;
};

// The max/min cell temperatures as sent; under the guard the two never come out equal.
TemperaturePair sent_temperatures(const Battery& b, MaxTemperature mode) {
    const std::int64_t max = b.temp_max_dc;
    const std::int64_t min = b.temp_min_dc;
    switch (mode) {
        case MaxTemperature::as_measured:
            return {b.temp_max_dc, b.temp_min_dc};
        case MaxTemperature::plus_tenth:
            return {to_s16(max + 1), b.temp_min_dc};
        case MaxTemperature::guard_equal:
            break;
    }
    if (max > min) return {b.temp_max_dc, b.temp_min_dc};
    // A min at the top of the int16 range (never a real cell) leaves no room above: step it down.
    if (min >= 32767) return {32767, 32766};
    return {to_s16(min + 1), b.temp_min_dc};
}

}  // namespace

std::vector<CanFrame> encode(const Battery& b, const Options& options) {
    std::vector<CanFrame> out;
    out.reserve(6);

    out.push_back(limits_frame(b));  // Pylon's 0x351

    CanFrame soc = make_frame(0x355);
    store_le16(payload(soc), 0, b.soc_pct());
    store_le16(payload(soc), 2, b.soh_pct());
    store_le16(payload(soc), 4, b.cell_max_mv);
    store_le16(payload(soc), 6, b.cell_min_mv);
    out.push_back(soc);

    CanFrame measured = make_frame(0x356);
    store_le16s(payload(measured), 0, to_s16(round_div(b.voltage_mv, 10)));  // LV: 0.01 V
    store_le16s(payload(measured), 2, to_s16(round_div(b.current_ma, 100)));
    const TemperaturePair t = sent_temperatures(b, options.max_temperature);
    store_le16s(payload(measured), 4, t.max);
    store_le16s(payload(measured), 6, t.min);
    out.push_back(measured);

    CanFrame alarms = make_frame(0x359);
    // Luxpower V04 uses Pylon's protection and alarm bit table in bytes 0-3.
    const auto bits = pylon_can::alarm_bytes(b);
    std::copy(bits.begin(), bits.end(), alarms.data.begin());
    alarms.data[4] = b.packs_counted;
    // Capacity replaces Pylon's 'P' 'N': the full capacity of the counted packs, 1 Ah.
    const std::int64_t full_ah = round_div(b.full_mah, 1000);
    if (options.capacity_u16) {
        store_le16(payload(alarms), 5, to_u16(full_ah));
    } else {
        alarms.data[5] = static_cast<std::uint8_t>(std::clamp<std::int64_t>(full_ah, 0, 0xFF));
    }
    out.push_back(alarms);

    CanFrame requests = make_frame(0x35C);
    // Pylon's byte; its force charge II is the bit V04 calls b4 "forced charge request 1".
    requests.data[0] = pylon_can::request_flags(b);
    store_le16(payload(requests), 2, to_u16(b.cycles));
    out.push_back(requests);

    CanFrame name = make_frame(0x35E);
    put_text(name, options.name, ' ');
    out.push_back(name);
    return out;
}

std::string describe(const CanFrame& f) {
    const std::span<const std::uint8_t> d{f.data.data(), f.data.size()};
    switch (f.id) {
        case 0x351:  // the same layouts as Pylon's
        case 0x35E:
            return pylon_can::describe(f);
        case 0x355:
            return format_text("SOC %u %% SOH %u %% max cell %u mV min cell %u mV", load_le16(d, 0),
                               load_le16(d, 2), load_le16(d, 4), load_le16(d, 6));
        case 0x356:
            return format_text("%.2f V %.1f A max %.1f degC min %.1f degC",
                               load_le16s(d, 0) / 100.0, load_le16s(d, 2) / 10.0,
                               load_le16s(d, 4) / 10.0, load_le16s(d, 6) / 10.0);
        case 0x359:
            return format_text("protection %02X %02X alarm %02X %02X, %u modules, %u Ah", d[0],
                               d[1], d[2], d[3], d[4], load_le16(d, 5));
        case 0x35C:
            return format_text(
                "charge %s, discharge %s%s%s, %u cycles", (d[0] & kRChargeEnable) ? "on" : "off",
                (d[0] & kRDischargeEnable) ? "on" : "off",
                (d[0] & (kRForceCharge1 | kRForceCharge2)) ? ", force charge" : "",
                (d[0] & kRFullChargeRequest) ? ", full charge requested" : "", load_le16(d, 2));
    }
    return describe_unknown(f);
}

}  // namespace packbridge::protocol::lux_can
