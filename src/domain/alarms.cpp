// SPDX-License-Identifier: Apache-2.0
#include "packbridge/alarms.hpp"

namespace packbridge {

const char* to_string(Alarm alarm) {
    switch (alarm) {
        case Alarm::cell_over_voltage:
            return "cell_over_voltage";
        case Alarm::cell_under_voltage:
            return "cell_under_voltage";
        case Alarm::pack_over_voltage:
            return "pack_over_voltage";
        case Alarm::pack_under_voltage:
            return "pack_under_voltage";
        case Alarm::charge_over_current:
            return "charge_over_current";
        case Alarm::discharge_over_current:
            return "discharge_over_current";
        case Alarm::charge_over_temperature:
            return "charge_over_temperature";
        case Alarm::charge_under_temperature:
            return "charge_under_temperature";
        case Alarm::discharge_over_temperature:
            return "discharge_over_temperature";
        case Alarm::discharge_under_temperature:
            return "discharge_under_temperature";
        case Alarm::mosfet_over_temperature:
            return "mosfet_over_temperature";
        case Alarm::ambient_over_temperature:
            return "ambient_over_temperature";
        case Alarm::ambient_under_temperature:
            return "ambient_under_temperature";
        case Alarm::short_circuit:
            return "short_circuit";
        case Alarm::cell_imbalance:
            return "cell_imbalance";
        case Alarm::low_soc:
            return "low_soc";
        case Alarm::internal_fault:
            return "internal_fault";
        case Alarm::pack_lost:
            return "pack_lost";
        case Alarm::bus_lost:
            return "bus_lost";
        case Alarm::quorum_lost:
            return "quorum_lost";
        case Alarm::count_:
            break;
    }
    return "unknown";
}

std::string AlarmSet::to_string() const {
    std::string out;
    for (const char* name : alarm_names(*this)) {
        if (!out.empty()) out += ", ";
        out += name;
    }
    return out;
}

std::vector<const char*> alarm_names(AlarmSet set) {
    std::vector<const char*> out;
    for (std::size_t i = 0; i < kAlarmCount; ++i) {
        const auto a = static_cast<Alarm>(i);
        if (set.test(a)) out.push_back(to_string(a));
    }
    return out;
}

std::optional<Alarm> alarm_from_name(std::string_view name) {
    for (std::size_t i = 0; i < kAlarmCount; ++i) {
        const auto a = static_cast<Alarm>(i);
        if (name == to_string(a)) return a;
    }
    return std::nullopt;
}

}  // namespace packbridge
