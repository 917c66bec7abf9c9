// SPDX-License-Identifier: Apache-2.0
#pragma once

// The journal fields of a bank event (bank/changes.hpp): PACKBRIDGE_EVENT= from its kind, the
// packs it concerns as PACKBRIDGE_PACK=, its short why as PACKBRIDGE_REASON=. Pure; the daemon
// logs every bank event with these.

#include "packbridge/bank/changes.hpp"
#include "packbridge/util/journal.hpp"

namespace packbridge::service {

logging::EventFields event_fields(const bank::BatteryEvent& event);

}  // namespace packbridge::service
