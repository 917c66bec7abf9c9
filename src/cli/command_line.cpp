// SPDX-License-Identifier: Apache-2.0
// Every packbridge subcommand's parser, in one translation unit: CLI11 is a large header and
// compiling it once here (and once in sim/sim_cli.cpp) keeps the build fast.
#include "cli/command_line.hpp"

#include "cli/arg_values.hpp"
#include "cli/parser.hpp"

namespace packbridge::cli {
namespace {

namespace values = arg_values;
using parser::check;
using parser::parse;
using parser::shape;

// Hex-byte options (scan --ver, decode --as) are read as text, checked, then converted.
std::uint8_t hex_byte(const std::string& text) {
    return *values::parse_hex_byte(text);
}

}  // namespace

std::optional<int> parse_run(Args args, RunArgs& parsed, std::ostream& out, std::ostream& err) {
    CLI::App app(
        "Runs the gateway: polls the packs, aggregates them into one battery and speaks the\n"
        "configured inverter protocol. Meant to run under systemd (Type=notify).",
        "packbridge run");
    shape(app, "packbridge run [--config FILE] [--dry-run] [--log-level LEVEL]");
    parsed.config = values::default_config_path();
    parser::add_config(app, parsed.config);
    app.add_flag("--dry-run", parsed.dry_run,
                 "do not send CAN frames: log them in candump format with a summary");
    app.add_option("--log-level", parsed.log_level,
                   "trace | debug | info | warn | error (overrides log.level)")
        ->type_name("LEVEL")
        ->check(check(values::log_level_problem, ""));
    app.footer(
        "Signals: SIGTERM/SIGINT stop cleanly; SIGHUP re-reads the config (an invalid one is\n"
        "logged and the running config is kept).");
    return parse(app, "packbridge run", args, out, err);
}

std::optional<int> parse_check_config(Args args, CheckConfigArgs& parsed, std::ostream& out,
                                      std::ostream& err) {
    CLI::App app(
        "Validates the config and prints what it resolves to: link, protocol, DIP switches,\n"
        "the brands that covers, the cable, and every value (marked when defaulted).\n"
        "Exit 0 when valid, 1 with the error on stderr otherwise.",
        "packbridge check-config");
    shape(app, "packbridge check-config [--config FILE]");
    parsed.config = values::default_config_path();
    parser::add_config(app, parsed.config);
    return parse(app, "packbridge check-config", args, out, err);
}

std::optional<int> parse_wiring(Args args, WiringArgs& parsed, std::ostream& out,
                                std::ostream& err) {
    CLI::App app(
        "Without BRAND: the pack's RJ45 pinouts, the DIP tables and the whole brand table.\n"
        "With BRAND: that inverter's pins, the cable to make pin by pin, and the DIP switches "
        "to set.",
        "packbridge wiring");
    shape(app, "packbridge wiring [BRAND]");
    std::vector<std::string> words;
    app.add_option("BRAND", words,
                   "a name from the table (case-insensitive), e.g. victron, \"Growatt-SPF 485\", "
                   "\"MPP Sola\"");
    if (auto exit = parse(app, "packbridge wiring", args, out, err)) return exit;
    parsed.brand.clear();
    for (const auto& w : words)
        parsed.brand += (parsed.brand.empty() ? "" : " ") + w;  // `wiring MPP Sola` unquoted
    return std::nullopt;
}

std::optional<int> parse_status(Args args, StatusArgs& parsed, std::ostream& out,
                                std::ostream& err) {
    CLI::App app(
        "Shows the running daemon's packs, aggregate, limits and link health from its status\n"
        "file. Exit 0 for a fresh status, 1 when there is none or it is stale.",
        "packbridge status");
    shape(app, "packbridge status [--json] [--file PATH]");
    parsed.file = values::default_status_path();
    app.add_flag("--json", parsed.json, "print the status file as JSON instead of a table");
    app.add_option("--file", parsed.file,
                   "status file to read (default " + values::default_status_path() + ")")
        ->type_name("PATH");
    return parse(app, "packbridge status", args, out, err);
}

std::optional<int> parse_scan(Args args, ScanArgs& parsed, std::ostream& out, std::ostream& err) {
    CLI::App app(
        "Listens L ms for another master, then asks addresses 0-15 for analog values (0x42)\n"
        "and identity (0xC1/0xC2) and prints one line per address. Exit 0 when a pack answered.\n"
        "When a running packbridge holds the device, scan does not touch the line: it prints\n"
        "the daemon's live per-address table from its status file.",
        "packbridge scan");
    shape(app,
          "packbridge scan [--device PATH] [--baud BAUD] [--ver V] [--timeout-ms T]\n"
          "                       [--listen-ms L] [--status-file PATH]");
    parsed.device = values::default_device();
    parsed.baud = values::default_baud();
    parsed.status_file = values::default_status_path();
    std::string ver = "25";
    parser::add_device(app, parsed.device,
                       "pack bus serial port (default " + values::default_device() + ")");
    parser::add_baud(
        app, parsed.baud,
        "pack bus speed, as bus.baud (default " + std::to_string(values::default_baud()) + ")");
    app.add_option("--ver", ver, "VER byte of the requests in hex: 25 (PACE), 20 (Seplos v2)")
        ->type_name("V")
        ->check(check(
            [](const std::string& t) {
                return values::parse_hex_byte(t) ? std::string()
                                                 : "\"" + t + "\" is not one hex byte (25 or 20)";
            },
            ""));
    app.add_option("--timeout-ms", parsed.timeout_ms, "how long to wait for each reply (500)")
        ->type_name("T");
    app.add_option("--listen-ms", parsed.listen_ms,
                   "how long to listen for another master first (500)")
        ->type_name("L");
    app.add_option("--status-file", parsed.status_file,
                   "the daemon's status file (default " + values::default_status_path() + ")")
        ->type_name("PATH");
    if (auto exit = parse(app, "packbridge scan", args, out, err)) return exit;
    parsed.ver = hex_byte(ver);
    return std::nullopt;
}

std::optional<int> parse_decode(Args args, DecodeArgs& parsed, std::ostream& out,
                                std::ostream& err) {
    CLI::App app(
        "Decodes pack-bus frames (\"~25014642E00201FD30\", one per argument or per input line;\n"
        "text before the '~' such as a log timestamp is ignored) and prints one JSON object per\n"
        "frame. A reply is decoded as the answer to the last request seen for its address.\n"
        "Exit 0 when every frame is valid, 1 when one is not.",
        "packbridge decode");
    shape(app,
          "packbridge decode [--as CID2] FRAME...\n"
          "       packbridge decode [--as CID2] < frames.txt");
    std::string as;
    app.add_option("--as", as,
                   "what a reply answers when the request is not in the input: 42|44|C1|C2|51")
        ->type_name("CID2")
        ->check(check(
            [](const std::string& t) {
                return values::parse_hex_byte(t)
                           ? std::string()
                           : "\"" + t +
                                 "\" is not a one-byte hex command code (42, 44, C1, C2, 51)";
            },
            ""));
    app.add_option("FRAME", parsed.frames, "frames; without any, lines are read from stdin");
    if (auto exit = parse(app, "packbridge decode", args, out, err)) return exit;
    if (!as.empty()) parsed.as = hex_byte(as);
    return std::nullopt;
}

}  // namespace packbridge::cli
