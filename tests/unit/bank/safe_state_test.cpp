// SPDX-License-Identifier: Apache-2.0
// The safe state (issue 4): quorum loss and comms loss zero the limits, clear the flags, raise
// an alarm, optionally silence the inverter output, and recover only on fresh data.

#include <catch2/catch.hpp>
#include <vector>

#include "pack_builder.hpp"
#include "packbridge/bank/bank.hpp"
#include "packbridge/bank/reasons.hpp"

using namespace packbridge;
using packbridge::testing::at_s;
using packbridge::testing::healthy_pack;
using packbridge::testing::plain_config;

namespace {
void require_safe(const Battery& b) {
    CHECK(b.safe_state);
    CHECK(b.charge_current.value == 0);
    CHECK(b.discharge_current.value == 0);
    CHECK_FALSE(b.charge_enable);
    CHECK_FALSE(b.discharge_enable);
    CHECK_FALSE(b.force_charge);
}
}  // namespace

TEST_CASE("Quorum loss enters the safe state and fresh data from enough packs leaves it") {
    auto cfg = plain_config();
    cfg.min_packs = 2;
    bank::Bank b(cfg);
    auto a = healthy_pack(0, at_s(0));
    auto c = healthy_pack(1, at_s(0));

    Battery out = b.update(at_s(0), std::vector<PackReading>{a, c});
    CHECK_FALSE(out.safe_state);
    CHECK(out.charge_current.value == 100000);

    // Pack 1 goes stale: one fresh pack < min_packs 2.
    a.at = at_s(12);
    out = b.update(at_s(12), std::vector<PackReading>{a, c});
    require_safe(out);
    CHECK(out.protections.test(Alarm::quorum_lost));
    CHECK(out.warnings.test(Alarm::pack_lost));
    CHECK(out.transmit);  // on_comms_loss zero: keep sending zeros
    CHECK(bank::to_string("CCL", out.charge_current, false) ==
          "CCL 0.0 A: quorum lost (1 fresh pack)");
    // The measured values of the fresh pack still show; the stale one's do not.
    CHECK(out.packs_counted == 1);

    c.at = at_s(13);
    a.at = at_s(13);
    out = b.update(at_s(13), std::vector<PackReading>{a, c});
    CHECK_FALSE(out.safe_state);
    CHECK_FALSE(out.protections.test(Alarm::quorum_lost));
    CHECK(out.charge_current.value == 100000);
    CHECK(out.charge_enable);
}

TEST_CASE("Comms loss enters the safe state after comms_loss_s and recovers on fresh data") {
    auto cfg = plain_config();
    cfg.min_packs = 0;  // only comms loss can trip here
    cfg.comms_loss_s = 30.0;
    bank::Bank b(cfg);
    auto a = healthy_pack(0, at_s(0));
    Battery out = b.update(at_s(0), std::vector<PackReading>{a});
    CHECK_FALSE(out.safe_state);

    // Stale from t = 10; no fresh pack since t = 0. Not yet 30 s: no pack counts, limits are 0.
    out = b.update(at_s(29), std::vector<PackReading>{a});
    CHECK_FALSE(out.safe_state);
    CHECK(out.charge_current.value == 0);
    CHECK_FALSE(out.protections.test(Alarm::bus_lost));

    out = b.update(at_s(30), std::vector<PackReading>{a});
    require_safe(out);
    CHECK(out.protections.test(Alarm::bus_lost));
    CHECK(bank::to_string("DCL", out.discharge_current, false) ==
          "DCL 0.0 A: no fresh pack for 30 s");

    a.at = at_s(31);
    out = b.update(at_s(31), std::vector<PackReading>{a});
    CHECK_FALSE(out.safe_state);
    CHECK_FALSE(out.protections.test(Alarm::bus_lost));
    CHECK(out.discharge_current.value == 100000);
}

TEST_CASE("With min_packs 1, losing every pack trips at once and comms loss adds bus_lost later") {
    bank::Bank b(plain_config());
    const auto a = healthy_pack(0, at_s(0));
    (void)b.update(at_s(0), std::vector<PackReading>{a});
    Battery out = b.update(at_s(11), std::vector<PackReading>{a});
    require_safe(out);
    CHECK(out.protections.test(Alarm::quorum_lost));
    CHECK_FALSE(out.protections.test(Alarm::bus_lost));
    out = b.update(at_s(31), std::vector<PackReading>{a});
    CHECK(out.protections.test(Alarm::bus_lost));
    CHECK(out.protections.test(Alarm::quorum_lost));
}

TEST_CASE("Before the first reading the bank is in the safe state") {
    bank::Bank b(plain_config());
    const Battery out = b.update(at_s(0), std::span<const PackReading>{});
    require_safe(out);
    CHECK(out.protections.test(Alarm::quorum_lost));
}

TEST_CASE("on_comms_loss silence stops transmitting in the safe state, zero keeps sending zeros") {
    for (const auto policy : {OnCommsLoss::zero, OnCommsLoss::silence}) {
        auto cfg = plain_config();
        cfg.on_comms_loss = policy;
        bank::Bank b(cfg);
        auto a = healthy_pack(0, at_s(0));
        Battery out = b.update(at_s(0), std::vector<PackReading>{a});
        CHECK(out.transmit);  // healthy: always transmit
        out = b.update(at_s(40), std::vector<PackReading>{a});
        require_safe(out);
        CHECK(out.transmit == (policy == OnCommsLoss::zero));
        a.at = at_s(41);
        out = b.update(at_s(41), std::vector<PackReading>{a});
        CHECK(out.transmit);
    }
}

TEST_CASE("Limits ramp up again from zero after leaving the safe state") {
    auto cfg = plain_config();
    cfg.ramp_a_per_s = 10.0;
    bank::Bank b(cfg);
    auto a = healthy_pack(0, at_s(0));
    for (int t = 0; t <= 10; ++t) {
        a.at = at_s(t);
        (void)b.update(at_s(t), std::vector<PackReading>{a});
    }
    Battery out = b.update(at_s(25), std::vector<PackReading>{a});  // stale: safe
    require_safe(out);
    a.at = at_s(26);
    out = b.update(at_s(26), std::vector<PackReading>{a});
    CHECK(out.charge_current.value == 10000);  // 1 s after the safe state: 10 A, not 50 A
}
