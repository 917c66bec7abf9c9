// SPDX-License-Identifier: Apache-2.0
#include "packbridge/protocol/inverter/can/lux_can.hpp"

#include <algorithm>
#include <cstdio>

#include "packbridge/bytes.hpp"
#include "packbridge/protocol/wire_units.hpp"

namespace packbridge::protocol::lux_can {
namespace {

using bytes::load_le16;
using bytes::load_le16s;
using bytes::store_le16;
using bytes::store_le16s;
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

    CanFrame limits = make_frame(0x351);
    store_le16(payload(limits), 0, to_u16(round_div(b.charge_voltage.value, 100)));
    // Limits are positive magnitudes even though the fields are typed signed (spec section 0.2).
    store_le16s(payload(limits), 2, to_s16(round_div(b.charge_current.value, 100)));
    store_le16s(payload(limits), 4, to_s16(round_div(b.discharge_current.value, 100)));
    store_le16(payload(limits), 6, to_u16(round_div(b.discharge_voltage.value, 100)));
    out.push_back(limits);

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
    std::uint8_t r = 0;
    if (b.charge_enable) r |= kRChargeEnable;
    if (b.discharge_enable) r |= kRDischargeEnable;
    // Same bit as Pylon's recommended force charge II (V04 calls b4 "forced charge request 1").
    if (b.force_charge) r |= kRForceCharge2;
    if (b.full_charge_request) r |= kRFullChargeRequest;
    requests.data[0] = r;
    store_le16(payload(requests), 2, to_u16(b.cycles));
    out.push_back(requests);

    CanFrame name = make_frame(0x35E);
    name.data.fill(' ');
    std::copy_n(options.name.begin(), std::min<std::size_t>(options.name.size(), 8),
                name.data.begin());
    out.push_back(name);
    return out;
}

std::string describe(const CanFrame& f) {
    const std::span<const std::uint8_t> d{f.data.data(), f.data.size()};
    char buf[160];
    switch (f.id) {
        case 0x351:  // the same layouts as Pylon's
        case 0x35E:
            return pylon_can::describe(f);
        case 0x355:
            std::snprintf(buf, sizeof buf, "SOC %u %% SOH %u %% max cell %u mV min cell %u mV",
                          load_le16(d, 0), load_le16(d, 2), load_le16(d, 4), load_le16(d, 6));
            break;
        case 0x356:
            std::snprintf(buf, sizeof buf, "%.2f V %.1f A max %.1f degC min %.1f degC",
                          load_le16s(d, 0) / 100.0, load_le16s(d, 2) / 10.0,
                          load_le16s(d, 4) / 10.0, load_le16s(d, 6) / 10.0);
            break;
        case 0x359:
            std::snprintf(buf, sizeof buf,
                          "protection %02X %02X alarm %02X %02X, %u modules, %u Ah", d[0], d[1],
                          d[2], d[3], d[4], load_le16(d, 5));
            break;
        case 0x35C:
            std::snprintf(
                buf, sizeof buf, "charge %s, discharge %s%s%s, %u cycles",
                (d[0] & kRChargeEnable) ? "on" : "off", (d[0] & kRDischargeEnable) ? "on" : "off",
                (d[0] & (kRForceCharge1 | kRForceCharge2)) ? ", force charge" : "",
                (d[0] & kRFullChargeRequest) ? ", full charge requested" : "", load_le16(d, 2));
            break;
        default:
            std::snprintf(buf, sizeof buf, "id %03X", f.id);
            break;
    }
    return buf;
}

}  // namespace packbridge::protocol::lux_can
