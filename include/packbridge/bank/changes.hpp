// SPDX-License-Identifier: Apache-2.0
#pragma once

// What changed between two consecutive bank outputs, as journal-ready events. Pure: the service
// calls it every cycle and logs whatever comes back, so the journal shows each transition once
// ("safe state entered: ...", "protection raised: cell_over_voltage", "CCL reasons changed: ...")
// rather than a line per cycle.

#include <cstdint>
#include <string>
#include <vector>

#include "packbridge/battery.hpp"

namespace packbridge::bank {

struct BatteryEvent {
    enum class Kind {
        safe_state_entered,
        safe_state_left,
        transmit_changed,  // the inverter output goes silent / resumes
        alarm_raised,      // warning or protection (the text says which)
        alarm_cleared,
        limit_reasons_changed,
        flag_changed,  // charge/discharge enable, force charge, full-charge request
    };
    Kind kind;
    bool warning = false;  // journal priority: true = warning (safe state, alarm raised, silenced)
    std::string text;
    // For structured logging: the packs the event concerns (a limit's reasons before and after,
    // in address order, no repeats) and the why in short ("CCL 100.0 A: pack 3 charge MOSFET
    // off", "cell_over_voltage"); empty when there is nothing more to say than `text`.
    std::vector<std::uint8_t> packs;
    std::string reason;
};

// Events in a stable order: safe state, transmit, alarms, limits, flags. Reason values that
// drift every cycle (a taper's temperature or cell voltage, a ramp's target, seconds since the
// last fresh pack) do not count as a change; kinds, packs, cells and counts do.
std::vector<BatteryEvent> changes(const Battery& before, const Battery& after);

}  // namespace packbridge::bank
