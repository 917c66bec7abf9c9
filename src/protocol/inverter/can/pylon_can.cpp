// SPDX-License-Identifier: Apache-2.0
#include "packbridge/protocol/inverter/can/pylon_can.hpp"

#include <algorithm>
#include <cstdio>
#include <utility>

#include "packbridge/bytes.hpp"
#include "packbridge/protocol/inverter/can/limits_frame.hpp"
#include "packbridge/protocol/wire_units.hpp"
#include "pylon_can_internal.hpp"

namespace packbridge::protocol::pylon_can {
namespace {

using namespace bytes;  // the load_/store_ helpers of the byte layouts
using internal::frame;
using wire::round_div;
using wire::to_s16;

// 0x356 bytes 0-1 in mV per unit: 10 (0.01 V) for Pylon and Goodwe, Sol-Ark's option otherwise.
std::int64_t voltage_unit_mv(const Options& options) {
    if (options.variant == Variant::sol_ark &&
        options.sol_ark_voltage_scale == VoltageScale::decivolt)
        return 100;
    return 10;
}

}  // namespace

std::uint8_t request_flags(const Battery& b) {
    std::uint8_t r = 0;
    if (b.charge_enable) r |= kRChargeEnable;
    if (b.discharge_enable) r |= kRDischargeEnable;
    // Pylon recommends force charge II (charge before shutdown); the inverter adds its hysteresis.
    if (b.force_charge) r |= kRForceCharge2;
    if (b.full_charge_request) r |= kRFullChargeRequest;
    return r;
}

std::vector<CanFrame> encode(const Battery& b, const Options& options) {
    std::vector<CanFrame> out;
    out.reserve(14);

    out.push_back(limits_frame(b));

    CanFrame soc = frame(0x355, 4, options);
    store_le16(payload(soc), 0, b.soc_pct());
    store_le16(payload(soc), 2, b.soh_pct());
    out.push_back(soc);

    CanFrame measured = frame(0x356, 6, options);
    store_le16s(payload(measured), 0, to_s16(round_div(b.voltage_mv, voltage_unit_mv(options))));
    store_le16s(payload(measured), 2, to_s16(round_div(b.current_ma, 100)));
    store_le16s(payload(measured), 4, b.temp_mean_dc);
    out.push_back(measured);

    CanFrame alarms = frame(0x359, 7, options);
    const auto bits = alarm_bytes(b, options.variant);
    std::copy(bits.begin(), bits.end(), alarms.data.begin());
    alarms.data[4] = b.packs_counted;
    alarms.data[5] = 'P';
    alarms.data[6] = 'N';
    out.push_back(alarms);

    CanFrame requests = frame(0x35C, 2, options);
    requests.data[0] = request_flags(b);
    out.push_back(requests);

    CanFrame name = make_frame(0x35E);
    put_text(name, options.name, ' ');
    out.push_back(name);

    internal::append_variant_frames(b, options, out);
    return out;
}

std::string describe(const CanFrame& f, const Options& options) {
    if (auto text = internal::describe_variant_frame(f)) return *std::move(text);
    const std::span<const std::uint8_t> d{f.data.data(), f.data.size()};
    switch (f.id) {
        case 0x351:
            return describe_limits_frame(f);
        case 0x355:
            return format_text("SOC %u %% SOH %u %%", load_le16(d, 0), load_le16(d, 2));
        case 0x356:
            return format_text(
                "%.2f V %.1f A %.1f degC",
                static_cast<double>(load_le16s(d, 0) * voltage_unit_mv(options)) / 1000.0,
                load_le16s(d, 2) / 10.0, load_le16s(d, 4) / 10.0);
        case 0x359:
            return format_text("protection %02X %02X alarm %02X %02X, %u modules", d[0], d[1], d[2],
                               d[3], d[4]);
        case 0x35C:
            return format_text("charge %s, discharge %s%s%s",
                               (d[0] & kRChargeEnable) ? "on" : "off",
                               (d[0] & kRDischargeEnable) ? "on" : "off",
                               (d[0] & kRForceCharge2) ? ", force charge" : "",
                               (d[0] & kRFullChargeRequest) ? ", full charge requested" : "");
        case 0x35E: {
            std::string text(f.data.begin(), f.data.begin() + std::min<int>(f.dlc, 8));
            return format_text("name \"%s\"", text.c_str());
        }
    }
    return describe_unknown(f);
}

}  // namespace packbridge::protocol::pylon_can
