// SPDX-License-Identifier: Apache-2.0
#pragma once

// The parsed command line of each packbridge subcommand and of packbridge-sim. The parsers live in
// command_line.cpp, the only translation unit that compiles CLI11 (a large header: some 8 s of
// CPU per translation unit); the commands see plain structs.
// Each parse_* returns nullopt when the command should run, or the exit code to return at once:
// 0 after --help (printed to `out`), 2 after a one-line error on `err`.

#include <cstdint>
#include <optional>
#include <ostream>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace packbridge::cli {

struct RunArgs {
    std::string config;
    bool dry_run = false;
    std::string log_level;  // empty: the config's log.level; else checked as a level name
};
struct CheckConfigArgs {
    std::string config;
};
struct WiringArgs {
    std::string brand;  // the BRAND words joined by spaces ("MPP Sola" may come unquoted)
};
struct StatusArgs {
    bool json = false;
    std::string file;
};
struct ScanArgs {
    std::string device;
    std::uint32_t baud = 0;
    std::string status_file;
    std::uint8_t ver = 0x25;
    std::uint32_t timeout_ms = 500;
    std::uint32_t listen_ms = 500;
};
struct DecodeArgs {
    std::optional<std::uint8_t> as;
    std::vector<std::string> frames;
};

// packbridge-sim's command line. Only what was given is set: the simulator's own defaults
// (SimOptions) stay where they are.
struct SimArgs {
    std::string device;  // empty: a new pty
    std::string link;
    std::optional<std::uint32_t> baud;
    std::optional<std::uint8_t> ver;
    std::optional<std::uint32_t> latency_ms;
    std::vector<std::uint8_t> addresses;  // empty: pack 0 only
    std::string tail;
    std::string family;  // "eg4" for every pack, or "0-1=pace,2=seplos,3=pylontech,4=eg4"
    std::optional<std::uint32_t> evolve_ms;
    std::optional<std::uint32_t> seed;
    std::optional<std::uint8_t> host;
    std::optional<std::uint32_t> host_period_ms;
    std::vector<std::string> commands;  // the fault options as control commands ("silence 3")
    std::string scenario;
    std::string control;
    std::string dump_state;
};

using Args = std::span<const std::string>;
std::optional<int> parse_run(Args args, RunArgs& parsed, std::ostream& out, std::ostream& err);
std::optional<int> parse_check_config(Args args, CheckConfigArgs& parsed, std::ostream& out,
                                      std::ostream& err);
std::optional<int> parse_wiring(Args args, WiringArgs& parsed, std::ostream& out,
                                std::ostream& err);
std::optional<int> parse_status(Args args, StatusArgs& parsed, std::ostream& out,
                                std::ostream& err);
std::optional<int> parse_scan(Args args, ScanArgs& parsed, std::ostream& out, std::ostream& err);
std::optional<int> parse_decode(Args args, DecodeArgs& parsed, std::ostream& out,
                                std::ostream& err);
// `control_commands` (BusSim::command_help()) ends --help: cli/ does not include sim/.
std::optional<int> parse_sim(Args args, SimArgs& parsed, std::string_view control_commands,
                             std::ostream& out, std::ostream& err);

}  // namespace packbridge::cli
