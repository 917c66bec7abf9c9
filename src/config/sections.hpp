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

// Standard serial rates accepted for both RS485 links.
inline constexpr std::initializer_list<std::uint32_t> kSerialBauds = {1200,  2400,  4800,  9600,
                                                                      19200, 38400, 57600, 115200};

}  // namespace packbridge::config_detail
