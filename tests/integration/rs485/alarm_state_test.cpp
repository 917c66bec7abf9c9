// SPDX-License-Identifier: Apache-2.0
// Alarms and per-cell state end to end (issue 17): pack readings with a cell over-voltage
// protection (module 1, its highest cell 7) and a cell under-voltage warning (module 3, its
// lowest cell 12) go through the real bank; the RS485 service answers from that Battery over the
// socat pty pair; the inverter is played by python3-serial (Pylon RS485) and pymodbus
// (Voltronic-485 with standard Modbus lengths). The expected frames were computed apart from
// packbridge with inverter-rs485.md 1.2's LCHKSUM/CHKSUM rules.

#include <catch2/catch.hpp>

#include "harness.hpp"
#include "packbridge/bank/bank.hpp"
#include "support/example_state.hpp"

using namespace packbridge;
using namespace packbridge::testing;
using namespace std::chrono_literals;

namespace {

Battery alarmed_battery() {
    bank::Bank bank(example_battery_config());
    const TimePoint start{};
    Battery out;
    for (int s = 0; s <= 30; ++s) {
        const TimePoint now = start + seconds(s);
        auto readings = example_readings(123, now);
        readings[0].status.protections.set(Alarm::cell_over_voltage);  // module 1: cell 7 high
        readings[2].status.warnings.set(Alarm::cell_under_voltage);    // module 3: cell 12 low
        out = bank.update(now, readings);
    }
    return out;
}

}  // namespace

TEST_CASE(
    "a python3-serial Pylon master reads Status1-5, cell states and 0x62 from the bank's "
    "alarms, byte-exact",
    "[rs485][e2e][pylon][alarms]") {
    const Battery b = alarmed_battery();
    REQUIRE(b.modules.size() == 3);
    REQUIRE(b.modules[0].cells_high_mask == 1U << 6);
    REQUIRE(b.modules[2].cells_low_mask == 1U << 11);
    Rs485Line line(rs485_inverter(Protocol::voltronic), b);
    // Not const: a missing key (a garbled reply) must fail a CHECK, not index a const json.
    auto r = run_python("pylon_master.py", {line.master_port(), "--only", "44-02,44-FF,62"});
    INFO(r.dump(1));

    // The aggregate: cell 7 above (02), cell 12 below (01); Status1 b0 module over-voltage (from
    // the cell protection), Status2 0x0E, Status3 0x40 (discharging), Status4 b6 = cell 7,
    // Status5 b3 = cell 12.
    CHECK(r["44-02"]["reply"] ==
          "~20024600A04200021000000000000002000000000100000000050000000000000000010E404008F10A\r");
    auto& agg = r["44-02"]["decoded"]["modules"][0];
    CHECK(agg["status"] == nlohmann::json::array({0x01, 0x0E, 0x40, 0x40, 0x08}));

    // Per module: each carries its own cell, its own Status1 and its own Status4/5.
    CHECK(r["44-FF"]["reply"] ==
          "~2002460070BE00031000000000000002000000000000000000050000000000000000010E4040001000000"
          "000000000000000000000000000050000000000000000000E4000001000000000000000000000000100000"
          "000050000000000000000000E400008D974\r");
    auto& mods = r["44-FF"]["decoded"]["modules"];
    REQUIRE(mods.size() == 3);
    CHECK(mods[0]["status"] == nlohmann::json::array({0x01, 0x0E, 0x40, 0x40, 0x00}));
    CHECK(mods[1]["status"] == nlohmann::json::array({0x00, 0x0E, 0x40, 0x00, 0x00}));
    CHECK(mods[2]["status"] == nlohmann::json::array({0x00, 0x0E, 0x40, 0x00, 0x08}));

    // 0x62: alarm1 b4 cell under-voltage (warning), protect1 b5 cell over-voltage.
    CHECK(r["62"]["reply"] == "~20024600800810002000FC1F\r");
}

TEST_CASE(
    "a pymodbus master reads the Voltronic-485 state pairs and alarm registers from the "
    "bank's alarms",
    "[rs485][e2e][voltronic][alarms]") {
    auto inverter = rs485_inverter(Protocol::voltronic, "voltronic-485");
    inverter.rs485.voltronic.length = VoltronicLength::standard;  // what pymodbus parses
    Rs485Line line(inverter, alarmed_battery());

    auto pairs = run_python("modbus_master.py", {line.master_port(), "read", "3", "0x40", "0x16"});
    INFO(pairs.dump());
    REQUIRE(pairs["ok"] == true);
    std::vector<int> want(0x16, 0);
    want[0x43 - 0x40] = 0x0200;  // cells 7|8: cell 7 over
    want[0x45 - 0x40] = 0x0001;  // cells 11|12: cell 12 under
    CHECK(pairs["registers"] == nlohmann::json(want));

    auto alarms = run_python("modbus_master.py", {line.master_port(), "read", "3", "0x37", "6"});
    INFO(alarms.dump());
    REQUIRE(alarms["ok"] == true);
    // 0x0038 b3 cell low voltage (warning); 0x0039 b10 cell OV (protection).
    CHECK(alarms["registers"] == nlohmann::json::array({0x0000, 0x0008, 0x0400, 0, 0, 0}));
}
