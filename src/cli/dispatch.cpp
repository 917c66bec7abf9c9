// SPDX-License-Identifier: Apache-2.0
// The subcommand table. Adding a subcommand = its <name>_command.{hpp,cpp} + one line in
// kSubcommands below; help text and --version handling follow from the table.
#include "cli/dispatch.hpp"

#include <iostream>
#include <vector>

#include "cli/check_config_command.hpp"
#include "cli/common.hpp"
#include "cli/decode_command.hpp"
#include "cli/run_command.hpp"
#include "cli/scan_command.hpp"
#include "cli/status_command.hpp"
#include "cli/wiring_command.hpp"

namespace packbridge::cli {
namespace {

using CommandFn = int (*)(std::span<const std::string> args, std::ostream& out, std::ostream& err);

struct Subcommand {
    std::string_view name;
    std::string_view summary;
    CommandFn run;
};

// clang-format off
const Subcommand kSubcommands[] = {
    {"check-config", "validate the config and print what it resolves to (link, protocol, DIP, cable)", check_config_command},
    {"wiring",       "cable and DIP switch guide from the BMS tables; with BRAND, that inverter's cable", wiring_command},
    {"status",       "show the running daemon's packs, aggregate, limits and link health", status_command},
    // One line per subcommand, e.g.:
    {"run",          "run the gateway daemon (systemd starts this; --dry-run prints the CAN frames)", run_command},
    {"scan",         "survey pack addresses 0-15: who answers, firmware, serial, reply latency", scan_command},
    {"decode",       "decode pack-bus frames from a log (arguments or stdin) to JSON, or say why invalid", decode_command},
};
// clang-format on

void print_usage(std::ostream& out) {
    out << "usage: packbridge <subcommand> [options]\n"
           "       packbridge <subcommand> --help\n"
           "       packbridge --version\n\n"
           "subcommands:\n";
    for (const auto& s : kSubcommands) {
        out << "  " << s.name;
        for (std::size_t i = s.name.size(); i < 14; ++i)
            out << ' ';
        out << s.summary << "\n";
    }
}

}  // namespace

int dispatch(std::span<const std::string> args, std::ostream& out, std::ostream& err) {
    if (args.empty()) {
        print_usage(err);
        return kExitUsage;
    }
    const auto& first = args.front();
    if (first == "--help" || first == "-h" || first == "help") {
        print_usage(out);
        return kExitOk;
    }
    if (first == "--version") {
        print_version(out);
        return kExitOk;
    }
    for (const auto& s : kSubcommands) {
        if (s.name != first) continue;
        const auto rest = args.subspan(1);
        if (wants_version(rest) && !wants_help(rest)) {
            print_version(out);
            return kExitOk;
        }
        return s.run(rest, out, err);
    }
    // One line, as the subcommands' own usage errors (cli/parser.hpp).
    err << "packbridge: unknown subcommand \"" << first << "\" (see packbridge --help)\n";
    return kExitUsage;
}

int dispatch(int argc, char** argv) {
    std::vector<std::string> args;
    for (int i = 1; i < argc; ++i)
        args.emplace_back(argv[i]);
    return dispatch(args, std::cout, std::cerr);
}

}  // namespace packbridge::cli
