// SPDX-License-Identifier: Apache-2.0
#include "packbridge/bank/urgent.hpp"

namespace packbridge::bank {

namespace {

bool gained(const AlarmSet& before, const AlarmSet& after) {
    return (after.bits() & ~before.bits()) != 0;
}

}  // namespace

bool urgent(const Battery& shown, const Battery& next) {
    return (next.safe_state && !shown.safe_state) || (shown.transmit && !next.transmit) ||
           next.charge_current.value < shown.charge_current.value ||
           next.discharge_current.value < shown.discharge_current.value ||
           next.charge_voltage.value < shown.charge_voltage.value ||
           next.discharge_voltage.value > shown.discharge_voltage.value ||
           (shown.charge_enable && !next.charge_enable) ||
           (shown.discharge_enable && !next.discharge_enable) ||
           next.packs_counted < shown.packs_counted || gained(shown.warnings, next.warnings) ||
           gained(shown.protections, next.protections);
}

}  // namespace packbridge::bank
