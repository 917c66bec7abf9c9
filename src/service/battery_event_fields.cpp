// SPDX-License-Identifier: Apache-2.0
#include "packbridge/service/battery_event_fields.hpp"

namespace packbridge::service {
namespace {

using Kind = bank::BatteryEvent::Kind;
using logging::Event;

Event name_of(const bank::BatteryEvent& e) {
    switch (e.kind) {
        case Kind::safe_state_entered:
            return Event::safe_state_entered;
        case Kind::safe_state_left:
            return Event::safe_state_left;
        case Kind::transmit_changed:
            // The bank marks the silencing as the warning, the resumption as information.
            return e.warning ? Event::output_silenced : Event::output_resumed;
        case Kind::alarm_raised:
            return Event::alarm_raised;
        case Kind::alarm_cleared:
            return Event::alarm_cleared;
        case Kind::limit_reasons_changed:
            return Event::limit_changed;
        case Kind::flag_changed:
            return Event::flag_changed;
    }
    return Event::none;
}

}  // namespace

logging::EventFields event_fields(const bank::BatteryEvent& event) {
    logging::EventFields fields;
    fields.event = name_of(event);
    fields.packs = event.packs;
    fields.reason = event.reason;
    return fields;
}

}  // namespace packbridge::service
