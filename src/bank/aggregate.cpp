// SPDX-License-Identifier: Apache-2.0
#include "packbridge/bank/aggregate.hpp"

#include <algorithm>
#include <cstdint>
#include <limits>

namespace packbridge::bank {
namespace {

AlarmSet only(AlarmSet from, std::initializer_list<Alarm> kinds) {
    AlarmSet out;
    for (Alarm a : kinds) {
        if (from.test(a)) out.set(a);
    }
    return out;
}

std::uint16_t centi_ratio(std::uint64_t part, std::uint64_t whole) {
    if (whole == 0) return 0;
    const std::uint64_t c = (part * 10000 + whole / 2) / whole;
    return static_cast<std::uint16_t>(std::min<std::uint64_t>(c, 10000));
}

// A pack's own SOH: what its BMS says when it says it, else full / design capacity.
std::uint32_t pack_soh_centi(const PackAnalog& a) {
    if (a.soh_pct) return std::min<std::uint32_t>(*a.soh_pct, 100U) * 100U;
    if (a.design_mah == 0) return 10000;
    return centi_ratio(a.full_mah, a.design_mah);
}

std::uint16_t pack_soc_centi(const PackAnalog& a) {
    if (a.full_mah == 0)
        return a.soc_pct ? static_cast<std::uint16_t>(std::min<unsigned>(*a.soc_pct, 100U) * 100U)
                         : 0;
    return centi_ratio(a.remaining_mah, a.full_mah);
}

constexpr std::size_t kMaskCells = 32;

// Which cells a pack's cell over- (high) or under-voltage alarm is about: the BMS reports the
// kind, not the cell, so the cells at the pack's highest (lowest) voltage carry it.
std::uint32_t extreme_cells(const std::vector<std::uint16_t>& cells, AlarmSet alarms, bool high) {
    if (!alarms.test(high ? Alarm::cell_over_voltage : Alarm::cell_under_voltage) || cells.empty())
        return 0;
    const auto extreme = high ? *std::max_element(cells.begin(), cells.end())
                              : *std::min_element(cells.begin(), cells.end());
    std::uint32_t mask = 0;
    for (std::size_t i = 0; i < cells.size() && i < kMaskCells; ++i) {
        if (cells[i] == extreme) mask |= std::uint32_t{1} << i;
    }
    return mask;
}

Module to_module(const PackReading& r) {
    const PackAnalog& a = r.analog;
    Module m;
    m.address = r.address;
    m.voltage_mv = a.voltage_mv;
    m.current_ma = a.current_ma;
    m.remaining_mah = a.remaining_mah;
    m.full_mah = a.full_mah;
    m.design_mah = a.design_mah;
    m.soc_centi = pack_soc_centi(a);
    m.soh_centi = static_cast<std::uint16_t>(pack_soh_centi(a));
    m.cycles = a.cycles;
    m.cell_mv = a.cell_mv;
    m.cell_temp_dc = a.cell_temp_dc;
    m.has_mosfet_temp = a.mosfet_temp_dc.has_value();
    m.mosfet_temp_dc = a.mosfet_temp_dc.value_or(0);
    m.warnings = r.status.warnings;
    m.protections = r.status.protections;
    m.charge_mosfet_on = r.status.charge_mosfet_on;
    m.discharge_mosfet_on = r.status.discharge_mosfet_on;
    m.blocks_charge = !m.charge_mosfet_on || charge_side(m.protections).any();
    m.blocks_discharge = !m.discharge_mosfet_on || discharge_side(m.protections).any();
    m.balancing_mask = r.status.balancing_mask;
    m.cells_high_mask = extreme_cells(a.cell_mv, m.warnings | m.protections, true);
    m.cells_low_mask = extreme_cells(a.cell_mv, m.warnings | m.protections, false);
    m.fully_charged = r.status.fully_charged || m.soc_centi >= 10000;
    return m;
}

}  // namespace

bool is_fresh(const PackReading& reading, TimePoint now, Duration stale_after) {
    if (reading.at >= now) return true;
    return now - reading.at < stale_after;
}

AlarmSet charge_side(AlarmSet p) {
    return only(p, {Alarm::cell_over_voltage, Alarm::pack_over_voltage, Alarm::charge_over_current,
                    Alarm::charge_over_temperature, Alarm::charge_under_temperature,
                    Alarm::mosfet_over_temperature, Alarm::short_circuit, Alarm::internal_fault});
}

AlarmSet discharge_side(AlarmSet p) {
    return only(
        p, {Alarm::cell_under_voltage, Alarm::pack_under_voltage, Alarm::discharge_over_current,
            Alarm::discharge_over_temperature, Alarm::discharge_under_temperature,
            Alarm::mosfet_over_temperature, Alarm::short_circuit, Alarm::internal_fault});
}

void aggregate(std::span<const PackReading* const> counted, Battery& out) {
    out.packs_counted = static_cast<std::uint8_t>(counted.size());
    out.voltage_mv = 0;
    out.current_ma = 0;
    out.soc_centi = 0;
    out.soh_centi = 0;
    out.remaining_mah = 0;
    out.full_mah = 0;
    out.design_mah = 0;
    out.cycles = 0;
    out.temp_min_dc = out.temp_max_dc = out.temp_mean_dc = 0;
    out.temp_min_at = out.temp_max_at = Location{};
    out.mosfet_temp_max_dc = 0;
    out.has_mosfet_temp = false;
    out.ambient_temp_dc = 0;
    out.has_ambient_temp = false;
    out.cell_min_mv = out.cell_max_mv = 0;
    out.cell_min_at = out.cell_max_at = Location{};
    out.cells_total = 0;
    out.cells_per_module = 0;
    out.fully_charged = false;
    out.warnings = AlarmSet{};
    out.protections = AlarmSet{};
    out.modules.clear();
    if (counted.empty()) return;

    std::uint64_t voltage_sum = 0;
    std::int64_t current_sum = 0;
    std::uint64_t remaining = 0;
    std::uint64_t full = 0;
    std::uint64_t design = 0;
    std::uint64_t soh_weighted = 0;
    std::uint64_t soh_weight = 0;
    std::int64_t temp_sum = 0;
    std::size_t temp_n = 0;
    std::uint16_t cell_global = 0;
    std::uint16_t sensor_global = 0;
    bool have_cell = false;
    bool same_cells = true;

    for (const PackReading* r : counted) {
        const PackAnalog& a = r->analog;
        voltage_sum += a.voltage_mv;
        current_sum += a.current_ma;
        remaining += a.remaining_mah;
        full += a.full_mah;
        design += a.design_mah;
        // SOH weight: the nominal (design) capacity, else the full capacity, else 1.
        const std::uint64_t w = a.design_mah ? a.design_mah : (a.full_mah ? a.full_mah : 1);
        soh_weighted += w * pack_soh_centi(a);
        soh_weight += w;
        out.cycles = std::max(out.cycles, a.cycles);

        for (std::size_t i = 0; i < a.cell_mv.size(); ++i) {
            ++cell_global;
            const std::uint16_t v = a.cell_mv[i];
            const Location at{r->address, static_cast<std::uint16_t>(i + 1), cell_global};
            if (!have_cell || v > out.cell_max_mv) {
                out.cell_max_mv = v;
                out.cell_max_at = at;
            }
            if (!have_cell || v < out.cell_min_mv) {
                out.cell_min_mv = v;
                out.cell_min_at = at;
            }
            have_cell = true;
        }
        for (std::size_t i = 0; i < a.cell_temp_dc.size(); ++i) {
            ++sensor_global;
            const std::int16_t t = a.cell_temp_dc[i];
            const Location at{r->address, static_cast<std::uint16_t>(i + 1), sensor_global};
            if (temp_n == 0 || t > out.temp_max_dc) {
                out.temp_max_dc = t;
                out.temp_max_at = at;
            }
            if (temp_n == 0 || t < out.temp_min_dc) {
                out.temp_min_dc = t;
                out.temp_min_at = at;
            }
            temp_sum += t;
            ++temp_n;
        }
        if (a.mosfet_temp_dc) {
            out.mosfet_temp_max_dc = out.has_mosfet_temp
                                         ? std::max(out.mosfet_temp_max_dc, *a.mosfet_temp_dc)
                                         : *a.mosfet_temp_dc;
            out.has_mosfet_temp = true;
        }
        if (a.ambient_temp_dc) {
            // The hottest ambient: the one that matters for derating decisions made by a human.
            out.ambient_temp_dc = out.has_ambient_temp
                                      ? std::max(out.ambient_temp_dc, *a.ambient_temp_dc)
                                      : *a.ambient_temp_dc;
            out.has_ambient_temp = true;
        }
        if (a.cell_mv.size() != counted.front()->analog.cell_mv.size()) same_cells = false;

        out.warnings |= r->status.warnings;
        out.protections |= r->status.protections;
        out.modules.push_back(to_module(*r));
    }

    out.voltage_mv =
        static_cast<std::uint32_t>((voltage_sum + counted.size() / 2) / counted.size());
    out.current_ma = static_cast<std::int32_t>(
        std::clamp<std::int64_t>(current_sum, std::numeric_limits<std::int32_t>::min(),
                                 std::numeric_limits<std::int32_t>::max()));
    out.remaining_mah = static_cast<std::uint32_t>(std::min<std::uint64_t>(remaining, UINT32_MAX));
    out.full_mah = static_cast<std::uint32_t>(std::min<std::uint64_t>(full, UINT32_MAX));
    out.design_mah = static_cast<std::uint32_t>(std::min<std::uint64_t>(design, UINT32_MAX));
    out.soc_centi = centi_ratio(remaining, full);
    out.soh_centi = static_cast<std::uint16_t>(
        std::min<std::uint64_t>((soh_weighted + soh_weight / 2) / soh_weight, 10000));
    if (temp_n > 0) {
        // Round half away from zero so that -0.05 degC and +0.05 degC behave alike.
        const auto tn = static_cast<std::int64_t>(temp_n);
        const std::int64_t mean =
            temp_sum >= 0 ? (temp_sum + tn / 2) / tn : (temp_sum - tn / 2) / tn;
        out.temp_mean_dc = static_cast<std::int16_t>(mean);
    }
    out.fully_charged = std::all_of(out.modules.begin(), out.modules.end(),
                                    [](const Module& m) { return m.fully_charged; });
    out.cells_total = cell_global;
    out.cells_per_module =
        same_cells ? static_cast<std::uint16_t>(counted.front()->analog.cell_mv.size()) : 0;
}

}  // namespace packbridge::bank
