// SPDX-License-Identifier: Apache-2.0
// Every command line's parser (packbridge's subcommands and packbridge-sim), in one translation
// unit: CLI11 is a large header, compiled once here keeps the build fast.
#include "cli/command_line.hpp"

#include "cli/arg_values.hpp"
#include "cli/parser.hpp"

namespace packbridge::cli {
namespace {

namespace values = arg_values;
using parser::check;
using parser::Command;

// Hex-byte options (scan --ver, decode --as, sim --ver) are read as text, checked, converted.
std::uint8_t hex_byte(const std::string& text) {
    return *values::parse_hex_byte(text);
}
std::string one_hex_byte_problem(const std::string& text) {
    return values::parse_hex_byte(text) ? std::string()
                                        : "\"" + text + "\" is not one hex byte (25 or 20)";
}

// A fault option's value "A" (on) or "A:V" as the control command "<cmd> A on" / "<cmd> A V".
std::string fault_command(const std::string& cmd, const std::string& value) {
    const auto colon = value.find(':');
    return cmd + " " +
           (colon == std::string::npos ? value + " on"
                                       : value.substr(0, colon) + " " + value.substr(colon + 1));
}

// "A" or "A:V" with A a pack address; V is checked by the simulator's command.
std::string fault_problem(const std::string& text) {
    return values::address_problem(text.substr(0, text.find(':')));
}

// A number option whose default lives elsewhere (SimOptions): set only when given.
template <class T>
CLI::Option* add_optional(CLI::App& app, const std::string& name, std::optional<T>& target,
                          const std::string& what) {
    return app.add_option_function<T>(
        name, [&target](const T& value) { target = value; }, what);
}

}  // namespace

std::optional<int> parse_run(Args args, RunArgs& parsed, std::ostream& out, std::ostream& err) {
    Command command(
        "packbridge run", "[--config FILE] [--dry-run] [--log-level LEVEL]",
        "Runs the gateway: polls the packs, aggregates them into one battery and speaks the\n"
        "configured inverter protocol. Meant to run under systemd (Type=notify).");
    auto& app = command.app();
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
    return command.parse(args, out, err);
}

std::optional<int> parse_check_config(Args args, CheckConfigArgs& parsed, std::ostream& out,
                                      std::ostream& err) {
    Command command(
        "packbridge check-config", "[--config FILE]",
        "Validates the config and prints what it resolves to: link, protocol, DIP switches,\n"
        "the brands that covers, the cable, and every value (marked when defaulted).\n"
        "Exit 0 when valid, 1 with the error on stderr otherwise.");
    parser::add_config(command.app(), parsed.config);
    return command.parse(args, out, err);
}

std::optional<int> parse_wiring(Args args, WiringArgs& parsed, std::ostream& out,
                                std::ostream& err) {
    Command command(
        "packbridge wiring", "[BRAND]",
        "Without BRAND: the pack's RJ45 pinouts, the DIP tables and the whole brand table.\n"
        "With BRAND: that inverter's pins, the cable to make pin by pin, and the DIP switches "
        "to set.");
    std::vector<std::string> words;
    command.app().add_option(
        "BRAND", words,
        "a name from the table (case-insensitive), e.g. victron, \"Growatt-SPF 485\", "
        "\"MPP Sola\"");
    if (auto exit = command.parse(args, out, err)) return exit;
    parsed.brand.clear();
    for (const auto& w : words)
        parsed.brand += (parsed.brand.empty() ? "" : " ") + w;  // `wiring MPP Sola` unquoted
    return std::nullopt;
}

std::optional<int> parse_status(Args args, StatusArgs& parsed, std::ostream& out,
                                std::ostream& err) {
    Command command(
        "packbridge status", "[--json] [--file PATH]",
        "Shows the running daemon's packs, aggregate, limits and link health from its status\n"
        "file. Exit 0 for a fresh status, 1 when there is none or it is stale.");
    auto& app = command.app();
    parsed.file = values::default_status_path();
    app.add_flag("--json", parsed.json, "print the status file as JSON instead of a table");
    app.add_option("--file", parsed.file,
                   "status file to read (default " + values::default_status_path() + ")")
        ->type_name("PATH");
    return command.parse(args, out, err);
}

std::optional<int> parse_scan(Args args, ScanArgs& parsed, std::ostream& out, std::ostream& err) {
    Command command(
        "packbridge scan",
        "[--device PATH] [--baud BAUD] [--ver V] [--timeout-ms T]\n"
        "                       [--listen-ms L] [--status-file PATH]",
        "Listens L ms for another master, then asks addresses 0-15 for analog values (0x42)\n"
        "and identity (0xC1/0xC2) and prints one line per address. Exit 0 when a pack answered.\n"
        "When a running packbridge holds the device, scan does not touch the line: it prints\n"
        "the daemon's live per-address table from its status file.");
    auto& app = command.app();
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
        ->check(check(one_hex_byte_problem, ""));
    app.add_option("--timeout-ms", parsed.timeout_ms, "how long to wait for each reply (500)")
        ->type_name("T");
    app.add_option("--listen-ms", parsed.listen_ms,
                   "how long to listen for another master first (500)")
        ->type_name("L");
    app.add_option("--status-file", parsed.status_file,
                   "the daemon's status file (default " + values::default_status_path() + ")")
        ->type_name("PATH");
    if (auto exit = command.parse(args, out, err)) return exit;
    parsed.ver = hex_byte(ver);
    return std::nullopt;
}

std::optional<int> parse_decode(Args args, DecodeArgs& parsed, std::ostream& out,
                                std::ostream& err) {
    Command command(
        "packbridge decode",
        "[--as CID2] FRAME...\n"
        "       packbridge decode [--as CID2] < frames.txt",
        "Decodes pack-bus frames (\"~25014642E00201FD30\", one per argument or per input line;\n"
        "text before the '~' such as a log timestamp is ignored) and prints one JSON object per\n"
        "frame. A reply is decoded as the answer to the last request seen for its address.\n"
        "Exit 0 when every frame is valid, 1 when one is not.");
    auto& app = command.app();
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
    if (auto exit = command.parse(args, out, err)) return exit;
    if (!as.empty()) parsed.as = hex_byte(as);
    return std::nullopt;
}

std::optional<int> parse_sim(Args args, SimArgs& parsed, std::string_view control_commands,
                             std::ostream& out, std::ostream& err) {
    Command command(
        "packbridge-sim", "[options]",
        "Simulates PACE packs on an RS485 bus: on a new pseudo-terminal (default; prints\n"
        "\"PTY <path>\") or on --device. Prints \"READY\" when live. Stops on SIGINT/SIGTERM\n"
        "or the quit command.");
    auto& app = command.app();

    // --help lists the options by group: each group's options follow its option_defaults() line
    // (CLI11 gives every option added after it that group).
    app.option_defaults()->group("Line");
    parser::add_device(app, parsed.device, "use a real serial device instead of a pty");
    app.add_option("--link", parsed.link, "also make PATH a symlink to the pty slave")
        ->type_name("PATH");
    std::uint32_t baud = 0;
    auto* baud_option =
        parser::add_baud(app, baud, "line speed, 9600 (bytes are paced at 10 bits each)");
    std::string ver;
    app.add_option("--ver", ver, "VER byte in replies, in hex: 25 (default) or 20")
        ->type_name("V")
        ->check(check(one_hex_byte_problem, ""));
    add_optional(app, "--latency-ms", parsed.latency_ms, "request end -> first reply byte, 20")
        ->type_name("N");

    app.option_defaults()->group("Packs");
    std::string packs;
    std::string addresses;
    app.add_option("--packs", packs, "packs at addresses 0..N-1 (default 1)")
        ->type_name("N")
        ->check(check(values::pack_count_problem, ""));
    app.add_option("--addresses", addresses, "e.g. 0,1,5 or 0-15 (overrides --packs)")
        ->type_name("LIST")
        ->check(check(
            [](const std::string& t) {
                std::string problem;
                values::parse_address_list(t, problem);
                return problem;
            },
            ""));
    app.add_option("--tail", parsed.tail,
                   "record tail for every pack: p3|p2soc|p9 (default: by address)")
        ->type_name("TAIL");
    app.add_option("--family", parsed.family,
                   "pack family: pace (default), seplos, pylontech, eg4 for every pack, or per "
                   "address, e.g. 0-1=pace,2=seplos,3=pylontech,4=eg4")
        ->type_name("FAMILY");
    add_optional(app, "--evolve-ms", parsed.evolve_ms,
                 "values evolve every N ms (SOC follows current); 0 = frozen (default)")
        ->type_name("N");
    add_optional(app, "--seed", parsed.seed, "values differ per seed, 1")->type_name("N");
    unsigned host = 0;
    auto* host_option =
        parser::add_address(app, "--host", host, "pack ADR is a host polling the others");
    add_optional(app, "--host-period-ms", parsed.host_period_ms,
                 "host idle time between sweeps, 1000")
        ->type_name("N");

    // Faults, also control commands; each may be given more than once.
    struct Fault {
        const char* option;
        const char* command;
        const char* what;
        std::vector<std::string> values;
    };
    std::vector<Fault> faults{
        {"--silent", "silence", "pack ADR does not answer", {}},
        {"--bad-checksum", "bad-checksum", "pack ADR answers with a wrong checksum", {}},
        {"--garbage-before", "garbage-before", "pack ADR sends noise before each reply", {}},
        {"--duplicate", "duplicate", "a second pack answers at ADR (collisions)", {}},
        {"--error", "error", "pack ADR answers with error code RTN (ADR:RTN)", {}},
        {"--delay", "delay", "pack ADR answers MS late (ADR:MS)", {}},
    };
    app.option_defaults()->group("Faults (also as control commands)");
    for (auto& f : faults) {
        app.add_option(f.option, f.values, f.what)
            ->type_name("ADR")
            ->allow_extra_args(false)
            ->check(check(fault_problem, ""));
    }

    app.option_defaults()->group("Control and state");
    app.add_option("--scenario", parsed.scenario,
                   "JSON {\"packs\":[{\"address\":0,\"tail\":\"p9\",\"current_ma\":-5000,\n"
                   "\"soc_pct\":40,\"firmware\":\"..\",\"serial\":\"..\",\"silent\":false}],\n"
                   "\"timeline\":[{\"at_ms\":1000,\"cmd\":\"silence 3\"}]}")
        ->type_name("FILE");
    app.add_option("--control", parsed.control,
                   "read control commands, one per line, from FIFO (created)")
        ->type_name("FIFO");
    app.add_option("--dump-state", parsed.dump_state,
                   "write the exact simulated state and counters as JSON (at start,\n"
                   "on the dump command, at exit; replaced atomically, \"seq\" counts)")
        ->type_name("FILE");
    app.footer(std::string(control_commands));

    if (auto exit = command.parse(args, out, err)) return exit;
    if (baud_option->count() > 0) parsed.baud = baud;
    if (!ver.empty()) parsed.ver = hex_byte(ver);
    if (host_option->count() > 0) parsed.host = static_cast<std::uint8_t>(host);
    std::string problem;  // both checked above
    if (!addresses.empty()) {
        parsed.addresses = *values::parse_address_list(addresses, problem);
    } else if (!packs.empty()) {
        parsed.addresses =
            *values::parse_address_list("0-" + std::to_string(std::stoi(packs) - 1), problem);
    }
    for (const auto& f : faults) {
        // --silent A is the command "silence A"; the others take on/off or a value (A:V).
        for (const auto& v : f.values)
            parsed.commands.push_back(std::string_view(f.command) == "silence"
                                          ? "silence " + v
                                          : fault_command(f.command, v));
    }
    return std::nullopt;
}

}  // namespace packbridge::cli
