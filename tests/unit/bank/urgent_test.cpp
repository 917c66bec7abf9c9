// SPDX-License-Identifier: Apache-2.0
#include "packbridge/bank/urgent.hpp"

#include <catch2/catch.hpp>

using namespace packbridge;

namespace {

Battery running() {
    Battery b;
    b.safe_state = false;
    b.transmit = true;
    b.packs_counted = 16;
    b.charge_current.value = 800'000;
    b.discharge_current.value = 1'600'000;
    b.charge_voltage.value = 56'000;
    b.discharge_voltage.value = 48'000;
    b.charge_enable = true;
    b.discharge_enable = true;
    return b;
}

}  // namespace

TEST_CASE("a snapshot that only measures differently is not urgent") {
    auto next = running();
    next.voltage_mv = 53'000;
    next.current_ma = 12'000;
    next.soc_centi = 5000;
    CHECK_FALSE(bank::urgent(running(), next));
}

TEST_CASE("a limit that drops, an enable that goes off, a pack that stops counting is urgent") {
    auto next = running();
    next.charge_current.value -= 1;
    CHECK(bank::urgent(running(), next));
    next = running();
    next.discharge_current.value -= 1;
    CHECK(bank::urgent(running(), next));
    next = running();
    next.charge_voltage.value -= 10;
    CHECK(bank::urgent(running(), next));
    next = running();
    next.discharge_voltage.value += 10;
    CHECK(bank::urgent(running(), next));
    next = running();
    next.charge_enable = false;
    CHECK(bank::urgent(running(), next));
    next = running();
    next.discharge_enable = false;
    CHECK(bank::urgent(running(), next));
    next = running();
    next.packs_counted = 15;
    CHECK(bank::urgent(running(), next));
    next = running();
    next.safe_state = true;
    CHECK(bank::urgent(running(), next));
    next = running();
    next.transmit = false;
    CHECK(bank::urgent(running(), next));
}

TEST_CASE("leaving the safe state is not urgent: the limits ramp up from the next tick") {
    auto safe = running();
    safe.safe_state = true;
    safe.charge_current.value = 0;
    safe.discharge_current.value = 0;
    safe.charge_enable = false;
    safe.discharge_enable = false;
    auto next = running();
    next.charge_current.value = 10'000;
    next.discharge_current.value = 10'000;
    CHECK_FALSE(bank::urgent(safe, next));
}

TEST_CASE("a new warning or protection is urgent, a cleared one is not") {
    auto next = running();
    next.protections.set(Alarm::cell_over_voltage);
    CHECK(bank::urgent(running(), next));
    CHECK_FALSE(bank::urgent(next, running()));
    next = running();
    next.warnings.set(Alarm::charge_over_temperature);
    CHECK(bank::urgent(running(), next));
}

TEST_CASE("limits that rise are not urgent: they ramp at the tick") {
    auto next = running();
    next.charge_current.value += 50'000;
    next.packs_counted = 16;
    CHECK_FALSE(bank::urgent(running(), next));
}
