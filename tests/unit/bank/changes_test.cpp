// SPDX-License-Identifier: Apache-2.0
// The change detector: journal events between two consecutive bank outputs.

#include "packbridge/bank/changes.hpp"

#include <catch2/catch.hpp>
#include <vector>

#include "pack_builder.hpp"
#include "packbridge/bank/bank.hpp"

using namespace packbridge;
using packbridge::testing::at_s;
using packbridge::testing::healthy_pack;
using packbridge::testing::plain_config;
using Ev = bank::BatteryEvent::Kind;

namespace {
std::vector<std::string> texts(const std::vector<bank::BatteryEvent>& events) {
    std::vector<std::string> out;
    for (const auto& e : events)
        out.push_back(e.text);
    return out;
}
}  // namespace

TEST_CASE("Entering and leaving the safe state are reported once each with the reason") {
    auto cfg = plain_config();
    cfg.on_comms_loss = OnCommsLoss::silence;
    bank::Bank b(cfg);
    auto a = healthy_pack(0, at_s(0));
    const Battery ok = b.update(at_s(0), std::vector<PackReading>{a});
    const Battery lost = b.update(at_s(11), std::vector<PackReading>{a});
    const Battery lost_again = b.update(at_s(12), std::vector<PackReading>{a});
    a.at = at_s(13);
    const Battery back = b.update(at_s(13), std::vector<PackReading>{a});

    const auto down = bank::changes(ok, lost);
    CHECK(texts(down) == std::vector<std::string>{
                             "safe state entered: CCL 0.0 A: quorum lost (0 fresh packs)",
                             "inverter output silenced (on_comms_loss silence)",
                             "protection raised: quorum_lost",
                             "warning raised: pack_lost",
                             "CCL reasons changed: CCL 0.0 A: quorum lost (0 fresh packs)",
                             "DCL reasons changed: DCL 0.0 A: quorum lost (0 fresh packs)",
                             "charge enable off",
                             "discharge enable off",
                         });
    CHECK(down.front().kind == Ev::safe_state_entered);
    CHECK(down.front().warning);
    CHECK(bank::changes(lost, lost_again).empty());

    const auto up = bank::changes(lost_again, back);
    REQUIRE_FALSE(up.empty());
    CHECK(up.front().kind == Ev::safe_state_left);
    CHECK(up.front().text == "safe state left: 1 of 1 packs fresh");
    CHECK_FALSE(up.front().warning);
    CHECK(up[1].text == "inverter output resumed");
    CHECK(up[2].text == "protection cleared: quorum_lost");
}

TEST_CASE("A taper whose value drifts is not a change, a new binding pack is") {
    bank::Bank b(plain_config());
    auto p = healthy_pack(0, at_s(0));
    p.analog.cell_mv[3] = 3500;
    const Battery one = b.update(at_s(0), std::vector<PackReading>{p});
    p.analog.cell_mv[3] = 3510;
    p.at = at_s(1);
    const Battery two = b.update(at_s(1), std::vector<PackReading>{p});
    CHECK(one.charge_current.value != two.charge_current.value);
    CHECK(bank::changes(one, two).empty());

    p.analog.cell_mv[3] = 3300;
    p.analog.cell_mv[9] = 3510;  // now cell 10 binds
    p.at = at_s(2);
    const Battery three = b.update(at_s(2), std::vector<PackReading>{p});
    const auto ev = bank::changes(two, three);
    REQUIRE(ev.size() == 1);
    CHECK(ev[0].kind == Ev::limit_reasons_changed);
    CHECK(ev[0].text ==
          "CCL reasons changed: CCL 30.0 A: charge limit of 1 pack; pack 0 cell 10 3.510 V taper");
}

TEST_CASE("Pack alarms and request flags are reported as they change") {
    Battery before;
    before.safe_state = false;
    Battery after = before;
    after.warnings.set(Alarm::cell_imbalance);
    after.force_charge = true;
    before.protections.set(Alarm::short_circuit);
    CHECK(texts(bank::changes(before, after)) == std::vector<std::string>{
                                                     "protection cleared: short_circuit",
                                                     "warning raised: cell_imbalance",
                                                     "force-charge request on",
                                                 });
}
