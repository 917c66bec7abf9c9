// SPDX-License-Identifier: Apache-2.0
// Pylon LV RS485 (inverter-rs485.md section 1.4): 0x44 Status1 and 0x62 alarm1/alarm2/protect1/
// protect2 row by row, read back from the ASCII answers the responder really sends; and
// Status2-Status5 and the state bytes from real state, byte-exact.
#include <catch2/catch.hpp>

#include "alarm_spec_rows.hpp"
#include "packbridge/protocol/ascii/ascii_frame.hpp"
#include "packbridge/protocol/inverter/rs485/pylon_rs485.hpp"
#include "support/rs485_example.hpp"

using namespace packbridge;
using namespace packbridge::protocol;
using namespace packbridge::testing;

namespace {

std::vector<SpecBit> status1_spec() {
    using A = Alarm;
    constexpr auto P = From::protections;
    return {
        {0, 7, P, "module under-voltage", {A::pack_under_voltage}},
        {0,
         6,
         P,
         "charge over-temperature",
         {A::charge_over_temperature, A::mosfet_over_temperature}},
        {0,
         5,
         P,
         "discharge over-temperature",
         {A::discharge_over_temperature, A::mosfet_over_temperature}},
        {0, 4, P, "discharge over-current", {A::discharge_over_current, A::short_circuit}},
        {0, 2, P, "charge over-current", {A::charge_over_current}},
        {0, 1, P, "cell under-voltage", {A::cell_under_voltage}},
        {0, 0, P, "module over-voltage", {A::pack_over_voltage, A::cell_over_voltage}},
    };
}

std::vector<SpecBit> system_alarm_spec() {
    using A = Alarm;
    constexpr auto P = From::protections;
    constexpr auto W = From::warnings;
    const std::vector<Alarm> hot = {A::charge_over_temperature, A::discharge_over_temperature};
    const std::vector<Alarm> cold = {A::charge_under_temperature, A::discharge_under_temperature};
    return {
        {0, 7, W, "total over-voltage", {A::pack_over_voltage}},
        {0, 6, W, "total under-voltage", {A::pack_under_voltage}},
        {0, 5, W, "cell over-voltage", {A::cell_over_voltage}},
        {0, 4, W, "cell under-voltage", {A::cell_under_voltage}},
        {0, 3, W, "cell over-temperature", hot},
        {0, 2, W, "cell under-temperature", cold},
        {0, 0, W, "cell-difference", {A::cell_imbalance}},
        {1, 7, W, "temperature-difference", {}},
        {1, 6, W, "charge over-current", {A::charge_over_current}},
        {1, 5, W, "discharge over-current", {A::discharge_over_current}},
        {1, 4, W, "internal communication fail", {A::pack_lost}},
        {2, 7, P, "total over-voltage", {A::pack_over_voltage}},
        {2, 6, P, "total under-voltage", {A::pack_under_voltage}},
        {2, 5, P, "cell over-voltage", {A::cell_over_voltage}},
        {2, 4, P, "cell under-voltage", {A::cell_under_voltage}},
        {2, 3, P, "cell over-temperature", hot},
        {2, 2, P, "cell under-temperature", cold},
        {3, 6, P, "charge over-current", {A::charge_over_current}},
        {3, 5, P, "discharge over-current", {A::discharge_over_current}},
        {3,
         3,
         P,
         "other/system fault",
         {A::internal_fault, A::short_circuit, A::mosfet_over_temperature, A::quorum_lost,
          A::bus_lost}},
    };
}

// The INFO of the answer to a request.
std::vector<std::uint8_t> info(PylonRs485Responder& r, const Battery& b, std::string_view request) {
    const auto reply = r.answer(ascii_bytes(request), b, TimePoint{});
    REQUIRE(reply.has_value());
    const auto frame = ascii::decode(
        std::string_view(reinterpret_cast<const char*>(reply->data()), reply->size()));
    REQUIRE(static_cast<bool>(frame));
    return frame->info;
}

constexpr std::string_view k44 = "~20024644E00202FD31\r";     // 0x44, command 02 (the aggregate)
constexpr std::string_view k44All = "~20024644E002FFFD07\r";  // 0x44, command FF (every module)
constexpr std::string_view k62 = "~200246620000FDAA\r";

// 0x44 (command 02) INFO: DATAFLAG, command, M, M cell states, N, N temperature states, charge
// current, module voltage, discharge current, Status1..Status5.
struct Alarm44 {
    std::vector<std::uint8_t> cells;
    std::vector<std::uint8_t> temps;
    std::uint8_t charge_current, module_voltage, discharge_current;
    std::array<std::uint8_t, 5> status;
};
Alarm44 parse44(const std::vector<std::uint8_t>& in, std::size_t at = 2) {
    Alarm44 a{};
    const std::size_t m = in.at(at);
    a.cells.assign(in.begin() + static_cast<long>(at) + 1,
                   in.begin() + static_cast<long>(at + 1 + m));
    at += 1 + m;
    const std::size_t n = in.at(at);
    a.temps.assign(in.begin() + static_cast<long>(at) + 1,
                   in.begin() + static_cast<long>(at + 1 + n));
    at += 1 + n;
    a.charge_current = in.at(at);
    a.module_voltage = in.at(at + 1);
    a.discharge_current = in.at(at + 2);
    for (std::size_t i = 0; i < 5; ++i)
        a.status[i] = in.at(at + 3 + i);
    return a;
}

}  // namespace

TEST_CASE("every Pylon RS485 Status1 and 0x62 bit of the spec's lists is a row of the tables",
          "[alarms][pylon485]") {
    check_table_matches_spec(pylon_rs485_status1_fields(), status1_spec());
    check_table_matches_spec(pylon_rs485_system_alarm_fields(), system_alarm_spec());
}

TEST_CASE("each packbridge alarm alone raises exactly its Pylon RS485 0x44 Status1 bits",
          "[alarms][pylon485]") {
    PylonRs485Responder pylon;
    check_each_alarm_alone(status1_spec(), rs485_example_battery(), [&](const Battery& b) {
        return Words{{0, parse44(info(pylon, b, k44)).status[0]}};
    });
}

TEST_CASE("each packbridge alarm alone raises exactly its Pylon RS485 0x62 bits",
          "[alarms][pylon485]") {
    PylonRs485Responder pylon;
    check_each_alarm_alone(system_alarm_spec(), rs485_example_battery(), [&](const Battery& b) {
        const auto in = info(pylon, b, k62);
        REQUIRE(in.size() == 4);
        return Words{{0, in[0]}, {1, in[1]}, {2, in[2]}, {3, in[3]}};
    });
}

TEST_CASE("Pylon RS485 0x44 Status4/Status5 flag the bank's high and low cells, byte-exact",
          "[alarms][pylon485][state]") {
    Battery b = rs485_example_battery();
    b.modules[0].cells_high_mask = 1U << 6;  // module 1 cell 7 over
    b.modules[2].cells_low_mask = 1U << 11;  // module 3 cell 12 under
    b.modules[1].cells_low_mask = 1U << 15;  // module 2 cell 16 under
    b.protections.set(Alarm::cell_over_voltage);
    b.warnings.set(Alarm::cell_under_voltage);
    PylonRs485Responder pylon;
    const auto a = parse44(info(pylon, b, k44));
    std::vector<std::uint8_t> cells(16, 0x00);
    cells[6] = 0x02;
    cells[11] = 0x01;
    cells[15] = 0x01;
    CHECK(a.cells == cells);
    // Status1 b0 (module over-voltage from the cell protection); Status2 0x0E, Status3 0x40 as
    // in the spec's R-44; Status4 cells 1-8: cell 7 = b6; Status5 cells 9-16: 12 = b3, 16 = b7.
    CHECK(a.status == std::array<std::uint8_t, 5>{0x01, 0x0E, 0x40, 0x40, 0x88});
    // The whole reply, so the bytes around the new ones are held too (LCHKSUM and CHKSUM computed
    // apart from packbridge with section 1.2 rules: LENID 0x042 -> A042, CHKSUM F101).
    const auto reply = pylon.answer(ascii_bytes(k44), b, TimePoint{});
    REQUIRE(reply);
    CHECK(std::string(reply->begin(), reply->end()) ==
          "~20024600A04200021000000000000002000000000100000001050000000000000000010E404088F101\r");
}

TEST_CASE(
    "Pylon RS485 0x44 per module (command FF) carries each module's own cell flags, "
    "MOSFETs and fullness",
    "[alarms][pylon485][state]") {
    Battery b = rs485_example_battery();
    b.modules[1].cells_high_mask = (1U << 0) | (1U << 8);  // module 2 cells 1 and 9
    b.modules[1].charge_mosfet_on = false;
    b.modules[2].fully_charged = true;
    b.modules[2].current_ma = 0;
    PylonRs485Responder pylon;
    const auto in = info(pylon, b, k44All);
    REQUIRE(in.at(1) == 3);  // three modules
    // Each block: M(1) + 16 + N(1) + 5 + 3 + 5 = 31 bytes after DATAFLAG and the count.
    const auto m1 = parse44(in, 2);
    const auto m2 = parse44(in, 2 + 31);
    const auto m3 = parse44(in, 2 + 62);
    CHECK(m1.status == std::array<std::uint8_t, 5>{0x00, 0x0E, 0x40, 0x00, 0x00});
    CHECK(m2.cells[0] == 0x02);
    CHECK(m2.cells[8] == 0x02);
    // Charge MOSFET off (b1 clear); cell 1 in Status4 b0, cell 9 in Status5 b0.
    CHECK(m2.status == std::array<std::uint8_t, 5>{0x00, 0x0C, 0x40, 0x01, 0x01});
    // No current (neither b7 nor b6), fully charged b3.
    CHECK(m3.status == std::array<std::uint8_t, 5>{0x00, 0x0E, 0x08, 0x00, 0x00});
}

TEST_CASE("Pylon RS485 0x44 Status3 says fully charged only when the bank says every pack is",
          "[alarms][pylon485][state]") {
    Battery b = rs485_example_battery();
    PylonRs485Responder pylon;
    CHECK((parse44(info(pylon, b, k44)).status[2] & 0x08) == 0);
    b.fully_charged = true;
    CHECK((parse44(info(pylon, b, k44)).status[2] & 0x08) == 0x08);
}
