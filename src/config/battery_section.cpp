// SPDX-License-Identifier: Apache-2.0
// The "battery" section: limits and the safety policy the bank applies.
#include "config/sections.hpp"

namespace packbridge::config_detail {
namespace {

void read_curve(const Section& s, std::string_view key, std::vector<TaperPoint>& out) {
    const auto* v = s.raw(key);
    if (v == nullptr) return;
    const std::string form =
        "a list of {\"temp_c\": -40..80, \"factor\": 0..1} points in rising temp_c order";
    if (!v->is_array() || v->empty()) s.fail(key, "must be " + form);
    std::vector<TaperPoint> points;
    for (std::size_t i = 0; i < v->size(); ++i) {
        const Section point(s.context(), &(*v)[i], s.path(key) + "/" + std::to_string(i),
                            {"temp_c", "factor"});
        if (point.raw("temp_c") == nullptr || point.raw("factor") == nullptr)
            config_detail::fail(s.context(), point.path(),
                                "needs both temp_c and factor (" + form + ")");
        TaperPoint p{0.0, 0.0};
        point.read_double("temp_c", p.temp_c, -40.0, 80.0);
        point.read_double("factor", p.factor, 0.0, 1.0);
        if (!points.empty() && p.temp_c <= points.back().temp_c)
            point.fail("temp_c", format_number(p.temp_c) +
                                     " must be greater than the previous point's " +
                                     format_number(points.back().temp_c) + " (" + form + ")");
        points.push_back(p);
    }
    out = std::move(points);
    s.mark_given(key);
}

// The plain settings, in read order. 16S LFP: 2.5..3.65 V per cell; the voltage ranges leave
// room for 15S packs.
constexpr Field<BatteryConfig> kFields[] = {
    {"charge_voltage_v", &BatteryConfig::charge_voltage_v, 40.0, 58.4},
    {"discharge_voltage_v", &BatteryConfig::discharge_voltage_v, 36.0, 56.0},
    {"pack_charge_current_a", &BatteryConfig::pack_charge_current_a, 0.0, 500.0},
    {"pack_discharge_current_a", &BatteryConfig::pack_discharge_current_a, 0.0, 500.0},
    {"max_charge_current_a", &BatteryConfig::max_charge_current_a, 1.0, 5000.0},
    {"max_discharge_current_a", &BatteryConfig::max_discharge_current_a, 1.0, 5000.0},
    {"min_packs", &BatteryConfig::min_packs, 1, 16},
    {"stale_after_s", &BatteryConfig::stale_after_s, 1.0, 3600.0},
    {"comms_loss_s", &BatteryConfig::comms_loss_s, 1.0, 3600.0},
    {"cell_charge_taper_start_mv", &BatteryConfig::cell_charge_taper_start_mv, 3000, 3650},
    {"cell_max_mv", &BatteryConfig::cell_max_mv, 3000, 3650},
    {"cell_discharge_taper_start_mv", &BatteryConfig::cell_discharge_taper_start_mv, 2500, 3300},
    {"cell_min_mv", &BatteryConfig::cell_min_mv, 2500, 3300},
    {"ramp_a_per_s", &BatteryConfig::ramp_a_per_s, 0.1, 10000.0},
    {"force_charge_soc_pct", &BatteryConfig::force_charge_soc_pct, 0.0, 100.0},
    {"force_charge_release_soc_pct", &BatteryConfig::force_charge_release_soc_pct, 0.0, 100.0},
    {"full_charge_request", &BatteryConfig::full_charge_request},
    {"full_charge_soc_pct", &BatteryConfig::full_charge_soc_pct, 50.0, 100.0},
    {"full_charge_interval_days", &BatteryConfig::full_charge_interval_days, 1.0, 365.0},
};

}  // namespace

std::span<const Field<BatteryConfig>> battery_fields() {
    return kFields;
}

void read_battery(const Section& root, BatteryConfig& out) {
    const auto s =
        root.child("battery", allowed_keys({}, kFields,
                                           {"on_comms_loss", "on_pack_block", "charge_temperature",
                                            "discharge_temperature"}));
    read_fields(s, kFields, out);
    s.read_enum("on_comms_loss", out.on_comms_loss,
                {{"zero", OnCommsLoss::zero}, {"silence", OnCommsLoss::silence}});
    s.read_enum("on_pack_block", out.on_pack_block,
                {{"exclude", OnPackBlock::exclude}, {"stop_all", OnPackBlock::stop_all}});
    read_curve(s, "charge_temperature", out.charge_temperature);
    read_curve(s, "discharge_temperature", out.discharge_temperature);

    // Rules between fields: each message names the field the user most likely got wrong.
    if (out.discharge_voltage_v >= out.charge_voltage_v)
        s.fail("discharge_voltage_v", format_number(out.discharge_voltage_v) +
                                          " must be less than /battery/charge_voltage_v (" +
                                          format_number(out.charge_voltage_v) + ")");
    if (out.cell_charge_taper_start_mv >= out.cell_max_mv)
        s.fail("cell_charge_taper_start_mv", std::to_string(out.cell_charge_taper_start_mv) +
                                                 " must be less than /battery/cell_max_mv (" +
                                                 std::to_string(out.cell_max_mv) + ")");
    if (out.cell_min_mv >= out.cell_discharge_taper_start_mv)
        s.fail("cell_discharge_taper_start_mv", std::to_string(out.cell_discharge_taper_start_mv) +
                                                    " must be greater than /battery/cell_min_mv (" +
                                                    std::to_string(out.cell_min_mv) + ")");
    if (out.force_charge_release_soc_pct <= out.force_charge_soc_pct)
        s.fail("force_charge_release_soc_pct",
               format_number(out.force_charge_release_soc_pct) +
                   " must be greater than /battery/force_charge_soc_pct (" +
                   format_number(out.force_charge_soc_pct) + ")");
    if (out.stale_after_s > out.comms_loss_s)
        s.fail("stale_after_s", format_number(out.stale_after_s) +
                                    " must not exceed /battery/comms_loss_s (" +
                                    format_number(out.comms_loss_s) + ")");
    const double cell_max_v = out.cell_max_mv / 1000.0;
    // The charge voltage must be reachable without a cell passing cell_max_mv in a balanced 16S
    // pack.
    if (out.charge_voltage_v > 16.0 * cell_max_v + 1e-9)
        s.fail("charge_voltage_v", format_number(out.charge_voltage_v) +
                                       " V exceeds 16 x /battery/cell_max_mv (" +
                                       format_number(16.0 * cell_max_v) + " V)");
}

}  // namespace packbridge::config_detail
