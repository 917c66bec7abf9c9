// SPDX-License-Identifier: Apache-2.0
// Pylon LV RS485 (DIP 32 Voltronic/MPP "PYL", SRNE variant "pylon") over the socat pty pair: a
// python3-serial master (py/pylon_master.py, its own frame and checksum code) sends every
// request of inverter-rs485.md 1.5 to the running service; the replies must verify and decode
// to the Battery the service answers from. Then hostile ASCII traffic from raw bytes.
//
// The "~...\r" stream is cut by the pack codec's protocol::ascii::Assembler (one implementation
// for both buses).

#include <algorithm>
#include <catch2/catch.hpp>
#include <thread>

#include "harness.hpp"

using namespace packbridge;
using namespace packbridge::testing;
using namespace std::chrono_literals;

TEST_CASE("a python3-serial Pylon master gets every section 1.5 command answered from the battery",
          "[rs485][e2e][pylon]") {
    Rs485Line line(rs485_inverter(Protocol::voltronic));
    const Battery b = line.battery();
    const auto r = run_python("pylon_master.py", {line.master_port()}, 60s);
    INFO(r.dump(1));
    for (const auto& [name, entry] : r.items()) {
        INFO(name);
        CHECK_FALSE(entry.contains("error"));
        CHECK(entry["rtn"] == 0);  // RTN 00, never the CID2 (pitfall 1)
        CHECK(entry["adr"] == 2);
    }
    // 0x4F: the version travels in VER; VER 0x20 by default whatever the request carried.
    CHECK(r["4F"]["ver"] == 0x20);
    CHECK(r["4F-ver28"]["ver"] == 0x20);

    const auto& m = r["42-02"]["decoded"]["modules"][0];
    CHECK(m["voltage_mv"] == b.voltage_mv);
    CHECK(m["current_da"] == b.current_ma / 100);
    CHECK(m["remaining_mah"] == b.remaining_mah);
    CHECK(m["full_mah"] == b.full_mah);
    CHECK(m["cycles"] == b.cycles);
    CHECK(m["cells_mv"].size() == 16);
    CHECK(*std::max_element(m["cells_mv"].begin(), m["cells_mv"].end()) == b.cell_max_mv);
    CHECK(*std::min_element(m["cells_mv"].begin(), m["cells_mv"].end()) == b.cell_min_mv);

    const auto& all = r["42-FF"]["decoded"]["modules"];
    REQUIRE(all.size() == b.modules.size());
    for (std::size_t i = 0; i < b.modules.size(); ++i) {
        CHECK(all[i]["current_da"] == b.modules[i].current_ma / 100);
        CHECK(all[i]["remaining_mah"] == b.modules[i].remaining_mah);
        CHECK(all[i]["full_mah"] == b.modules[i].full_mah);
    }

    const auto& mgmt = r["92-02"]["decoded"];
    CHECK(mgmt["cvl_mv"] == b.charge_voltage.value);
    CHECK(mgmt["dvl_mv"] == b.discharge_voltage.value);
    CHECK(mgmt["ccl_da"] == static_cast<int>(b.charge_current.value / 100));
    CHECK(mgmt["dcl_da"] == -static_cast<int>(b.discharge_current.value / 100));  // negative
    CHECK(mgmt["status"] == 0xC0);

    const auto& sys = r["61"]["decoded"];
    CHECK(sys["voltage_mv"] == b.voltage_mv);
    CHECK(sys["current_10ma"] == b.current_ma / 10);
    CHECK(sys["soc"] == b.soc_pct());
    CHECK(sys["soh_min"] == b.soh_pct());
    CHECK(sys["cell_max_mv"] == b.cell_max_mv);
    CHECK(sys["cell_min_mv"] == b.cell_min_mv);
    CHECK(sys["temp_max_dk"] == b.temp_max_dc + 2731);
    CHECK(sys["temp_min_dk"] == b.temp_min_dc + 2731);

    const auto& lim = r["63"]["decoded"];
    CHECK(lim["cvl_mv"] == b.charge_voltage.value);
    CHECK(lim["ccl"] == static_cast<int>(b.charge_current.value / 100));
    CHECK(lim["dcl"] == static_cast<int>(b.discharge_current.value / 100));
    CHECK(lim["status"] == 0xC0);
    CHECK(r["62"]["decoded"]["alarm1"] == 0);
    CHECK(r["60"]["decoded"]["barcodes"].size() == b.modules.size());

    const auto c = line.counters();
    CHECK(c.answers == r.size());
    CHECK(c.exceptions == 0);
}

TEST_CASE("the Pylon answers in the safe state carry zero limits and cleared enable bits",
          "[rs485][e2e][pylon][safe]") {
    Rs485Line line(rs485_inverter(Protocol::voltronic), rs485_lost_battery(OnCommsLoss::zero));
    const auto r = run_python("pylon_master.py", {line.master_port(), "--only", "92-02,63"});
    INFO(r.dump(1));
    CHECK(r["92-02"]["decoded"]["ccl_da"] == 0);
    CHECK(r["92-02"]["decoded"]["dcl_da"] == 0);
    CHECK(r["92-02"]["decoded"]["status"] == 0);
    CHECK(r["63"]["decoded"]["ccl"] == 0);
    CHECK(r["63"]["decoded"]["status"] == 0);
}

TEST_CASE("with on_comms_loss = silence the Pylon master gets no reply at all",
          "[rs485][e2e][pylon][safe]") {
    Rs485Line line(rs485_inverter(Protocol::voltronic), rs485_lost_battery(OnCommsLoss::silence));
    const auto r = run_python("pylon_master.py",
                              {line.master_port(), "--only", "61,92-02", "--timeout", "0.5"});
    CHECK(r["61"]["error"] == "timeout");
    CHECK(r["92-02"]["error"] == "timeout");
    CHECK(line.counters().silenced == 2);
}

TEST_CASE(
    "bad CHKSUM, another ADR, garbage and a frame without CR do not stop valid Pylon "
    "requests from being answered",
    "[rs485][e2e][pylon][adv]") {
    Rs485Line line(rs485_inverter(Protocol::voltronic));
    LineEnd master(line.master_port());
    const std::string r63 = "~200246630000FDA9\r";                         // inverter-rs485.md 1.5
    const std::string expected = "~20024600D012DAC0BB8003E805DCC0F978\r";  // R-63, 0.1 A

    master.write("~200246630000FDA8\r");  // CHKSUM off by one
    CHECK(master.read_until_quiet(50ms, 400ms).empty());
    master.write("~201246630000FDA8\r");  // ADR 0x12: another group's battery
    CHECK(master.read_until_quiet(50ms, 400ms).empty());
    master.write("\x01\xFFnoise" + r63 + "zz\r" + r63);  // garbage around two valid requests
    CHECK(master.read(2 * expected.size(), 1500ms) == expected + expected);
    master.write("~2002466");            // a frame whose CR never comes...
    std::this_thread::sleep_for(700ms);  // ...is dropped after 500 ms of quiet
    master.write(r63);
    CHECK(master.read(expected.size(), 1000ms) == expected);

    const auto c = line.counters();
    CHECK(c.answers == 3);
    CHECK(c.wrong_address == 1);
    CHECK(c.bad_checksum >= 1);
    CHECK(c.malformed >= 3);  // bad CHKSUM, the garbage run, the stale partial frame
}
