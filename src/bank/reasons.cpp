// SPDX-License-Identifier: Apache-2.0
#include "packbridge/bank/reasons.hpp"

#include <cstdio>
#include <cstdlib>

#include "packbridge/util/fixed_point.hpp"

namespace packbridge {
namespace {

// "charge limit of 2 packs"; no prefix for a reason that binds no side.
std::string with_side(LimitReason::Side side, const std::string& text) {
    if (side == LimitReason::Side::none) return text;
    std::string s = bank::to_string(side);
    s += ' ';
    s += text;
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
            return "config " + fixed_point(r.value, 3, 1) + unit;
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
                   (r.side == LimitReason::Side::none ? std::string("it")
                                                      : std::string(bank::to_string(r.side))) +
                   " (on_pack_block stop_all)";
        case Kind::temperature_taper:
        case Kind::temperature_block: {
            std::string where = r.pack == 0xFF
                                    ? std::string()
                                    : pack_prefix(r) + " sensor " + std::to_string(r.cell) + " ";
            return where + fixed_point(r.value, 1, 1) + " °C " +
                   (r.kind == Kind::temperature_block ? "blocks" : "taper");
        }
        case Kind::cell_voltage_taper:
        case Kind::cell_voltage_block:
            return pack_prefix(r) + " cell " + std::to_string(r.cell) + " " +
                   fixed_point(r.value, 3, 3) + " V " +
                   (r.kind == Kind::cell_voltage_block ? "at limit" : "taper");
        case Kind::ramp:
            return "ramping up to " + fixed_point(r.value, 3, 1) + unit;
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
    return fixed_point(static_cast<std::int64_t>(milli), 3, 1) + (is_voltage ? " V" : " A");
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
