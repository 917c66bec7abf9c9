// SPDX-License-Identifier: Apache-2.0
#include "packbridge/bank/limits.hpp"

#include <algorithm>
#include <cmath>

#include "packbridge/bank/aggregate.hpp"

namespace packbridge::bank {
namespace {

using Kind = LimitReason::Kind;
using Side = LimitReason::Side;

constexpr std::uint8_t kNoPack = 0xFF;

std::uint32_t scale(std::uint64_t value, double factor) {
    return static_cast<std::uint32_t>(std::floor(static_cast<double>(value) * factor));
}

// The sum of per-pack limits over the packs that accept this side, with the excluded packs named.
Limit pack_sum(const BatteryConfig& cfg, std::span<const PackReading* const> counted, Side side) {
    const bool charge = side == Side::charge;
    const std::uint32_t per_pack =
        to_milli(charge ? cfg.pack_charge_current_a : cfg.pack_discharge_current_a);
    Limit out;
    std::vector<LimitReason> blockers;
    std::uint32_t accepting = 0;
    for (const PackReading* r : counted) {
        const bool mosfet_on = charge ? r->status.charge_mosfet_on : r->status.discharge_mosfet_on;
        const AlarmSet prot =
            charge ? charge_side(r->status.protections) : discharge_side(r->status.protections);
        if (!mosfet_on) {
            blockers.push_back({Kind::pack_mosfet_off, r->address, 0, 0, side});
        } else if (prot.any()) {
            blockers.push_back({Kind::pack_protection, r->address, 0,
                                static_cast<std::int32_t>(prot.bits()), side});
        } else {
            ++accepting;
        }
    }
    if (cfg.on_pack_block == OnPackBlock::stop_all && !blockers.empty()) {
        for (LimitReason& b : blockers) {
            b.value = static_cast<std::int32_t>(b.kind == Kind::pack_protection ? b.value : 0);
            b.kind = Kind::pack_blocks_all;
        }
        out.value = 0;
        out.reasons = std::move(blockers);
        return out;
    }
    out.value = static_cast<std::uint32_t>(
        std::min<std::uint64_t>(std::uint64_t{accepting} * per_pack, UINT32_MAX));
    out.reasons.push_back({Kind::pack_sum, kNoPack, 0, static_cast<std::int32_t>(accepting), side});
    out.reasons.insert(out.reasons.end(), blockers.begin(), blockers.end());
    return out;
}

void apply_temperature(Limit& limit, std::span<const TaperPoint> table, const Battery& m,
                       bool have_temps, Side side) {
    if (!have_temps) return;
    const double f_low = taper_factor(table, m.temp_min_dc / 10.0);
    const double f_high = taper_factor(table, m.temp_max_dc / 10.0);
    const double f = std::min(f_low, f_high);
    const std::int16_t binding = f_low <= f_high ? m.temp_min_dc : m.temp_max_dc;
    const Location& at = f_low <= f_high ? m.temp_min_at : m.temp_max_at;
    if (f >= 1.0) return;
    limit.value = scale(limit.value, f);
    limit.reasons.push_back({f <= 0.0 ? Kind::temperature_block : Kind::temperature_taper, at.pack,
                             at.index, binding, side});
}

void apply_cell(Limit& limit, double f, std::uint16_t cell_mv, const Location& at, Side side) {
    if (f >= 1.0) return;
    limit.value = scale(limit.value, f);
    limit.reasons.push_back({f <= 0.0 ? Kind::cell_voltage_block : Kind::cell_voltage_taper,
                             at.pack, at.index, cell_mv, side});
}

void apply_ceiling(Limit& limit, const std::optional<double>& ceiling_a, Side side) {
    if (!ceiling_a) return;
    const std::uint32_t ceiling = to_milli(*ceiling_a);
    if (limit.value < ceiling) return;
    limit.value = ceiling;
    limit.reasons.push_back(
        {Kind::config_ceiling, kNoPack, 0, static_cast<std::int32_t>(ceiling), side});
}

}  // namespace

std::uint32_t to_milli(double units) {
    if (!(units > 0.0)) return 0;
    return static_cast<std::uint32_t>(
        std::min(std::llround(units * 1000.0), static_cast<long long>(UINT32_MAX)));
}

double taper_factor(std::span<const TaperPoint> table, double temp_c) {
    if (table.empty()) return 1.0;
    double f = 0;
    if (temp_c <= table.front().temp_c) {
        f = table.front().factor;
    } else if (temp_c >= table.back().temp_c) {
        f = table.back().factor;
    } else {
        for (std::size_t i = 1; i < table.size(); ++i) {
            const TaperPoint& lo = table[i - 1];
            const TaperPoint& hi = table[i];
            if (temp_c <= hi.temp_c) {
                const double span = hi.temp_c - lo.temp_c;
                f = span <= 0 ? hi.factor
                              : lo.factor + (hi.factor - lo.factor) * (temp_c - lo.temp_c) / span;
                break;
            }
        }
    }
    return std::clamp(f, 0.0, 1.0);
}

double cell_charge_factor(std::uint32_t cell_mv, std::uint32_t start_mv, std::uint32_t end_mv) {
    if (cell_mv >= end_mv) return 0.0;
    if (cell_mv <= start_mv) return 1.0;
    return static_cast<double>(end_mv - cell_mv) / static_cast<double>(end_mv - start_mv);
}

double cell_discharge_factor(std::uint32_t cell_mv, std::uint32_t start_mv, std::uint32_t end_mv) {
    if (cell_mv <= end_mv) return 0.0;
    if (cell_mv >= start_mv) return 1.0;
    return static_cast<double>(cell_mv - end_mv) / static_cast<double>(start_mv - end_mv);
}

Targets compute_targets(const BatteryConfig& cfg, const Battery& m,
                        std::span<const PackReading* const> counted) {
    Targets t;
    t.charge_voltage.value = to_milli(cfg.charge_voltage_v);
    t.charge_voltage.reasons.push_back({Kind::config_ceiling, kNoPack, 0,
                                        static_cast<std::int32_t>(t.charge_voltage.value),
                                        Side::charge});
    t.discharge_voltage.value = to_milli(cfg.discharge_voltage_v);
    t.discharge_voltage.reasons.push_back({Kind::config_ceiling, kNoPack, 0,
                                           static_cast<std::int32_t>(t.discharge_voltage.value),
                                           Side::discharge});

    bool have_temps = false;
    bool have_cells = false;
    for (const PackReading* r : counted) {
        have_temps = have_temps || !r->analog.cell_temp_dc.empty();
        have_cells = have_cells || !r->analog.cell_mv.empty();
    }

    t.charge_current = pack_sum(cfg, counted, Side::charge);
    apply_temperature(t.charge_current, cfg.charge_temperature, m, have_temps, Side::charge);
    if (have_cells) {
        apply_cell(
            t.charge_current,
            cell_charge_factor(m.cell_max_mv, cfg.cell_charge_taper_start_mv, cfg.cell_max_mv),
            m.cell_max_mv, m.cell_max_at, Side::charge);
    }
    apply_ceiling(t.charge_current, cfg.max_charge_current_a, Side::charge);

    t.discharge_current = pack_sum(cfg, counted, Side::discharge);
    apply_temperature(t.discharge_current, cfg.discharge_temperature, m, have_temps,
                      Side::discharge);
    if (have_cells) {
        apply_cell(t.discharge_current,
                   cell_discharge_factor(m.cell_min_mv, cfg.cell_discharge_taper_start_mv,
                                         cfg.cell_min_mv),
                   m.cell_min_mv, m.cell_min_at, Side::discharge);
    }
    apply_ceiling(t.discharge_current, cfg.max_discharge_current_a, Side::discharge);
    return t;
}

}  // namespace packbridge::bank
