// SPDX-License-Identifier: Apache-2.0
// docs/inverter-alarms.md lists every row of every inverter alarm table, as the code has it.
#include <catch2/catch.hpp>
#include <fstream>
#include <sstream>

#include "alarm_spec_rows.hpp"
#include "packbridge/protocol/inverter/can/growatt_can.hpp"
#include "packbridge/protocol/inverter/can/pylon_can.hpp"
#include "packbridge/protocol/inverter/can/sma_can.hpp"
#include "packbridge/protocol/inverter/rs485/growatt_rs485.hpp"
#include "packbridge/protocol/inverter/rs485/pylon_rs485.hpp"
#include "packbridge/protocol/inverter/rs485/srne_rs485.hpp"
#include "packbridge/protocol/inverter/rs485/voltronic_rs485.hpp"

using namespace packbridge;
using namespace packbridge::protocol;
using namespace packbridge::testing;

namespace {

std::vector<std::span<const alarm_table::Field>> every_table() {
    return {pylon_can::alarm_fields(),    pylon_can::alarm_fields(pylon_can::Variant::sol_ark),
            sma_can::alarm_fields(),      growatt_can::alarm_fields(),
            pylon_rs485_status1_fields(), pylon_rs485_system_alarm_fields(),
            voltronic_alarm_fields(),     growatt_rs485_alarm_fields(),
            pace_modbus_alarm_fields()};
}

}  // namespace

TEST_CASE("docs/inverter-alarms.md lists every row of every inverter alarm table",
          "[alarms][docs]") {
    std::ifstream in(std::string(PACKBRIDGE_SOURCE_DIR) + "/docs/inverter-alarms.md");
    REQUIRE(in.good());
    std::stringstream text;
    text << in.rdbuf();
    const std::string doc = text.str();
    for (const auto& table : every_table()) {
        for (const auto& field : table) {
            for (const auto& bit : field.bits) {
                const auto row = doc_row(field, bit);
                INFO(row);
                CHECK(doc.find(row + "\n") != std::string::npos);
            }
        }
    }
}
