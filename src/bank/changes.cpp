// SPDX-License-Identifier: Apache-2.0
#include "packbridge/bank/changes.hpp"

#include <algorithm>

#include "packbridge/bank/reasons.hpp"

namespace packbridge::bank {
namespace {

using Kind = LimitReason::Kind;

bool value_is_identity(Kind k) {
    switch (k) {
        case Kind::temperature_taper:
        case Kind::temperature_block:
        case Kind::cell_voltage_taper:
        case Kind::cell_voltage_block:
        case Kind::ramp:
        case Kind::comms_lost:
            return false;
        default:
            return true;
    }
}

bool same_reason(const LimitReason& a, const LimitReason& b) {
    return a.kind == b.kind && a.pack == b.pack && a.cell == b.cell && a.side == b.side &&
           (!value_is_identity(a.kind) || a.value == b.value);
}

bool same_reasons(const Limit& a, const Limit& b) {
    if (a.reasons.size() != b.reasons.size()) return false;
    for (std::size_t i = 0; i < a.reasons.size(); ++i) {
        if (!same_reason(a.reasons[i], b.reasons[i])) return false;
    }
    return true;
}

void alarms(std::vector<BatteryEvent>& out, AlarmSet before, AlarmSet after, const char* level) {
    for (std::size_t i = 0; i < kAlarmCount; ++i) {
        const auto a = static_cast<Alarm>(i);
        if (before.test(a) == after.test(a)) continue;
        const bool raised = after.test(a);
        out.push_back(
            {raised ? BatteryEvent::Kind::alarm_raised : BatteryEvent::Kind::alarm_cleared,
             raised,
             std::string(level) + (raised ? " raised: " : " cleared: ") + packbridge::to_string(a),
             {},
             std::string(level) + " " + packbridge::to_string(a)});
    }
}

void flag(std::vector<BatteryEvent>& out, bool before, bool after, const char* name) {
    if (before == after) return;
    out.push_back({BatteryEvent::Kind::flag_changed,
                   false,
                   std::string(name) + (after ? " on" : " off"),
                   {},
                   {}});
}

// The packs named by a limit's reasons before or after the change, ascending, once each.
std::vector<std::uint8_t> packs_of(const Limit& before, const Limit& after) {
    std::vector<std::uint8_t> packs;
    for (const Limit* l : {&before, &after}) {
        for (const auto& r : l->reasons) {
            if (r.pack == 0xFF) continue;
            const auto at = std::lower_bound(packs.begin(), packs.end(), r.pack);
            if (at == packs.end() || *at != r.pack) packs.insert(at, r.pack);
        }
    }
    return packs;
}

}  // namespace

std::vector<BatteryEvent> changes(const Battery& before, const Battery& after) {
    std::vector<BatteryEvent> out;
    if (!before.safe_state && after.safe_state) {
        const std::string why = to_string("CCL", after.charge_current, false);
        out.push_back({BatteryEvent::Kind::safe_state_entered, true, "safe state entered: " + why,
                       packs_of(after.charge_current, after.charge_current), why});
    } else if (before.safe_state && !after.safe_state) {
        const std::string fresh = std::to_string(after.packs_counted) + " of " +
                                  std::to_string(after.packs_known) + " packs fresh";
        out.push_back(
            {BatteryEvent::Kind::safe_state_left, false, "safe state left: " + fresh, {}, fresh});
    }
    if (before.transmit != after.transmit) {
        out.push_back({BatteryEvent::Kind::transmit_changed,
                       !after.transmit,
                       after.transmit ? "inverter output resumed"
                                      : "inverter output silenced (on_comms_loss silence)",
                       {},
                       {}});
    }
    alarms(out, before.protections, after.protections, "protection");
    alarms(out, before.warnings, after.warnings, "warning");

    struct Named {
        const char* name;
        const Limit& before;
        const Limit& after;
        bool is_voltage;
    };
    const Named limits[] = {{"CVL", before.charge_voltage, after.charge_voltage, true},
                            {"DVL", before.discharge_voltage, after.discharge_voltage, true},
                            {"CCL", before.charge_current, after.charge_current, false},
                            {"DCL", before.discharge_current, after.discharge_current, false}};
    for (const Named& l : limits) {
        if (!same_reasons(l.before, l.after)) {
            const std::string now = to_string(l.name, l.after, l.is_voltage);
            out.push_back({BatteryEvent::Kind::limit_reasons_changed, false,
                           std::string(l.name) + " reasons changed: " + now,
                           packs_of(l.before, l.after), now});
        }
    }
    flag(out, before.charge_enable, after.charge_enable, "charge enable");
    flag(out, before.discharge_enable, after.discharge_enable, "discharge enable");
    flag(out, before.force_charge, after.force_charge, "force-charge request");
    flag(out, before.full_charge_request, after.full_charge_request, "full-charge request");
    return out;
}

}  // namespace packbridge::bank
