// SPDX-License-Identifier: Apache-2.0
#pragma once

// Option values that more than one command line takes (packbridge's subcommands and
// packbridge-sim): their defaults and their checks, in one place so `scan --baud` and
// `packbridge-sim --baud` accept what the config's bus.baud accepts. Free of CLI11: the parsers
// (cli/command_line.cpp, sim/sim_cli.cpp) wrap these checks as validators.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace packbridge::cli::arg_values {

// Defaults, the same as the config's (a command line without the option behaves like the daemon).
std::string default_config_path();  // /etc/packbridge/packbridge.json
std::string default_device();       // bus.device
std::uint32_t default_baud();       // bus.baud
std::string default_status_path();  // status.path

// Each check returns the problem in words (without the option's name), or "" when the value is
// fine. The parser prefixes the option: "--baud: 921600 is not supported (...)".
std::string baud_problem(std::string_view text);         // one of kSerialBauds
std::string serial_port_problem(std::string_view text);  // a device path
std::string config_path_problem(std::string_view text);  // a file path
std::string address_problem(std::string_view text);      // a pack address 0-15
std::string pack_count_problem(std::string_view text);   // 1-16 packs
std::string log_level_problem(std::string_view text);    // trace | debug | info | warn | error

// "0,1,5" or "0-15" or "0-3,9": sorted, without duplicates; nullopt with `problem` set otherwise.
std::optional<std::vector<std::uint8_t>> parse_address_list(std::string_view text,
                                                            std::string& problem);
// One byte in hex, with or without 0x ("25", "0x25", "C1"); nullopt otherwise.
std::optional<std::uint8_t> parse_hex_byte(std::string_view text);

}  // namespace packbridge::cli::arg_values
