// SPDX-License-Identifier: Apache-2.0
#pragma once

// One reader per top-level section; each checks its own keys, types, ranges and the rules
// between its own fields. Rules across sections live in load.cpp.

#include "config/reader.hpp"
#include "packbridge/config.hpp"

namespace packbridge::config_detail {

void read_bus(const Section& root, BusConfig& out);
void read_inverter(const Section& root, InverterConfig& out);
void read_battery(const Section& root, BatteryConfig& out);
void read_log(const Section& root, LogConfig& out);
void read_status(const Section& root, StatusConfig& out);
void read_mqtt(const Section& root, MqttConfig& out);
void read_metrics(const Section& root, MetricsConfig& out);

// The plain settings of the battery and bus sections (key, member, range): read and allowed by
// read_battery/read_bus, printed by config_to_json, so each key is written once.
std::span<const Field<BatteryConfig>> battery_fields();
std::span<const Field<BusConfig>> bus_fields();

// The serial rates both RS485 links accept are packbridge::kSerialBauds (config.hpp), shared
// with `packbridge scan`.

}  // namespace packbridge::config_detail
