// SPDX-License-Identifier: Apache-2.0
#include "packbridge/bank/reasons.hpp"

#include <cstdio>
#include <cstdlib>

namespace packbridge {
namespace {

std::string side_word(LimitReason::Side side) {
    switch (side) {
        case LimitReason::Side::charge:
            return "charge";
        case LimitReason::Side::discharge:
            return "discharge";
        case LimitReason::Side::none:
            break;
    }
    return "";
}

std::string with_side(LimitReason::Side side, const std::string& text) {
    const std::string s = side_word(side);
    return s.empty() ? text : s + " " + text;
}

std::string fixed(std::int64_t value, int divisor_digits, int decimals) {
    // Integer-only rendering: no binary floating point between the bank and the text.
    std::int64_t out_div = 1;
    for (int i = 0; i < divisor_digits - decimals; ++i)
        out_div *= 10;
    const bool neg = value < 0;
    std::int64_t mag = neg ? -value : value;
    mag = (mag + out_div / 2) / out_div;  // round half away from zero to `decimals`
    std::int64_t unit = 1;
    for (int i = 0; i < decimals; ++i)
        unit *= 10;
    // Appended piece by piece: GCC 12 at -O3 sees `"literal" + std::string` (an insert at the
    // front) as a possibly overlapping memcpy and warns (-Wrestrict, a known false positive).
    std::string s;
    if (neg && mag != 0) s += '-';
    s += std::to_string(mag / unit);
    if (decimals > 0) {
        const std::string frac = std::to_string(mag % unit);  // < unit: at most `decimals` digits
        s += '.';
        s.append(static_cast<std::size_t>(decimals) - frac.size(), '0');
        s += frac;
    }
    return s;
}

std::string pack_prefix(const LimitReason& r) {
    std::string s = "pack " + std::to_string(r.pack);
    return s;
}

}  // namespace

std::string to_string(const LimitReason& r, bool is_voltage) {
    using Kind = LimitReason::Kind;
    const std::string unit = is_voltage ? " V" : " A";
    switch (r.kind) {
        case Kind::config_ceiling:
            return "config " + fixed(r.value, 3, 1) + unit;
        case Kind::pack_sum:
            return with_side(r.side, "limit of " + std::to_string(r.value) +
                                         (r.value == 1 ? " pack" : " packs"));
        case Kind::pack_mosfet_off:
            return pack_prefix(r) + " " + with_side(r.side, "MOSFET off");
        case Kind::pack_protection: {
            AlarmSet which;
            for (std::size_t i = 0; i < kAlarmCount; ++i) {
                if ((static_cast<std::uint32_t>(r.value) >> i) & 1U)
                    which.set(static_cast<Alarm>(i));
            }
            const std::string list = which.to_string();
            return pack_prefix(r) + " " + with_side(r.side, "protection") +
                   (list.empty() ? "" : " (" + list + ")");
        }
        case Kind::pack_blocks_all:
            return pack_prefix(r) + " blocks " +
                   (r.side == LimitReason::Side::none ? std::string("it") : side_word(r.side)) +
                   " (on_pack_block stop_all)";
        case Kind::temperature_taper:
        case Kind::temperature_block: {
            std::string where = r.pack == 0xFF
                                    ? std::string()
                                    : pack_prefix(r) + " sensor " + std::to_string(r.cell) + " ";
            return where + fixed(r.value, 1, 1) + " °C " +
                   (r.kind == Kind::temperature_block ? "blocks" : "taper");
        }
        case Kind::cell_voltage_taper:
        case Kind::cell_voltage_block:
            return pack_prefix(r) + " cell " + std::to_string(r.cell) + " " + fixed(r.value, 3, 3) +
                   " V " + (r.kind == Kind::cell_voltage_block ? "at limit" : "taper");
        case Kind::ramp:
            return "ramping up to " + fixed(r.value, 3, 1) + unit;
        case Kind::quorum_lost:
            return "quorum lost (" + std::to_string(r.value) +
                   (r.value == 1 ? " fresh pack)" : " fresh packs)");
        case Kind::comms_lost:
            return "no fresh pack for " + std::to_string(r.value) + " s";
        case Kind::full:
            return "battery full";
    }
    return "unknown reason";
}

namespace bank {

std::string format_milli(std::uint32_t milli, bool is_voltage) {
    return fixed(static_cast<std::int64_t>(milli), 3, 1) + (is_voltage ? " V" : " A");
}

std::string to_string(std::string_view name, const Limit& limit, bool is_voltage) {
    std::string s = std::string(name) + " " + format_milli(limit.value, is_voltage);
    for (std::size_t i = 0; i < limit.reasons.size(); ++i) {
        s += (i == 0 ? ": " : "; ");
        s += packbridge::to_string(limit.reasons[i], is_voltage);
    }
    return s;
}

}  // namespace bank
}  // namespace packbridge

namespace packbridge::bank {

const char* to_string(LimitReason::Kind kind) {
    using Kind = LimitReason::Kind;
    switch (kind) {
        case Kind::config_ceiling:
            return "config_ceiling";
        case Kind::pack_sum:
            return "pack_sum";
        case Kind::pack_mosfet_off:
            return "pack_mosfet_off";
        case Kind::pack_protection:
            return "pack_protection";
        case Kind::pack_blocks_all:
            return "pack_blocks_all";
        case Kind::temperature_taper:
            return "temperature_taper";
        case Kind::temperature_block:
            return "temperature_block";
        case Kind::cell_voltage_taper:
            return "cell_voltage_taper";
        case Kind::cell_voltage_block:
            return "cell_voltage_block";
        case Kind::ramp:
            return "ramp";
        case Kind::quorum_lost:
            return "quorum_lost";
        case Kind::comms_lost:
            return "comms_lost";
        case Kind::full:
            return "full";
    }
    return "unknown";
}

const char* to_string(LimitReason::Side side) {
    switch (side) {
        case LimitReason::Side::charge:
            return "charge";
        case LimitReason::Side::discharge:
            return "discharge";
        case LimitReason::Side::none:
            break;
    }
    return "none";
}

}  // namespace packbridge::bank
