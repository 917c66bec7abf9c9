// SPDX-License-Identifier: Apache-2.0
// The journal fields each bank event is logged with: what `journalctl PACKBRIDGE_PACK=3` and
// `journalctl PACKBRIDGE_EVENT=limit_changed` find.
#include "packbridge/service/battery_event_fields.hpp"

#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "packbridge/bank/changes.hpp"

using namespace packbridge;
using logging::Event;

namespace {

Battery running() {
    Battery b;
    b.safe_state = false;
    b.transmit = true;
    b.packs_counted = 4;
    b.packs_known = 4;
    b.charge_current = {200000, {{LimitReason::Kind::pack_sum, 0xFF, 0, 4}}};
    b.discharge_current = {400000, {{LimitReason::Kind::pack_sum, 0xFF, 0, 4}}};
    return b;
}

bank::BatteryEvent only(const std::vector<bank::BatteryEvent>& events) {
    REQUIRE(events.size() == 1);
    return events.front();
}

}  // namespace

TEST_CASE("a limit held back by a pack names the pack and the reason", "[journal][bank]") {
    const Battery before = running();
    Battery after = before;
    after.charge_current = {
        150000,
        {{LimitReason::Kind::pack_mosfet_off, 3, 0, 0, LimitReason::Side::charge},
         {LimitReason::Kind::cell_voltage_taper, 1, 5, 3550, LimitReason::Side::none}}};
    const auto e = only(bank::changes(before, after));
    const auto fields = service::event_fields(e);
    CHECK(fields.event == Event::limit_changed);
    CHECK(fields.packs == std::vector<std::uint8_t>{1, 3});  // ascending, once each
    CHECK(fields.reason == "CCL 150.0 A: pack 3 charge MOSFET off; pack 1 cell 5 3.550 V taper");
    CHECK(fields.link.empty());

    // When it clears, the pack it no longer concerns is still named: "what happened to pack 3"
    // includes that it stopped holding the limit.
    const auto back = only(bank::changes(after, before));
    CHECK(service::event_fields(back).packs == std::vector<std::uint8_t>{1, 3});
    CHECK(service::event_fields(back).reason == "CCL 200.0 A: limit of 4 packs");
}

TEST_CASE("safe state, output, alarm and flag events get their names", "[journal][bank]") {
    const Battery ok = running();
    Battery safe = ok;
    safe.safe_state = true;
    safe.charge_enable = ok.charge_enable;
    safe.charge_current = {0, {{LimitReason::Kind::quorum_lost, 0xFF, 0, 1}}};
    safe.discharge_current = ok.discharge_current;
    auto events = bank::changes(ok, safe);
    REQUIRE_FALSE(events.empty());
    CHECK(service::event_fields(events[0]).event == Event::safe_state_entered);
    CHECK(service::event_fields(events[0]).reason == "CCL 0.0 A: quorum lost (1 fresh pack)");
    events = bank::changes(safe, ok);
    REQUIRE_FALSE(events.empty());
    CHECK(service::event_fields(events[0]).event == Event::safe_state_left);
    CHECK(service::event_fields(events[0]).reason == "4 of 4 packs fresh");

    Battery silent = ok;
    silent.transmit = false;
    CHECK(service::event_fields(only(bank::changes(ok, silent))).event == Event::output_silenced);
    CHECK(service::event_fields(only(bank::changes(silent, ok))).event == Event::output_resumed);

    Battery alarm = ok;
    alarm.protections.set(Alarm::cell_over_voltage);
    const auto raised = service::event_fields(only(bank::changes(ok, alarm)));
    CHECK(raised.event == Event::alarm_raised);
    CHECK(raised.reason == "protection cell_over_voltage");
    CHECK(service::event_fields(only(bank::changes(alarm, ok))).event == Event::alarm_cleared);

    Battery flag = ok;
    flag.force_charge = !ok.force_charge;
    CHECK(service::event_fields(only(bank::changes(ok, flag))).event == Event::flag_changed);
}
