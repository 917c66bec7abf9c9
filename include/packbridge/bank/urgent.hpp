// SPDX-License-Identifier: Apache-2.0
#pragma once

// Whether a new bank snapshot must reach the inverter now rather than at the next tick: it
// makes the inverter do less or know more about a danger. A limit that drops, an enable that
// goes off, a pack that stops counting, a new warning or protection, entering the safe state or
// going silent: yes. Limits that rise (they ramp anyway), leaving the safe state, measured
// values, cleared alarms: no, the tick will do.

#include "packbridge/battery.hpp"

namespace packbridge::bank {

[[nodiscard]] bool urgent(const Battery& shown, const Battery& next);

}  // namespace packbridge::bank
