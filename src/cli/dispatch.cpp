#include "cli/dispatch.hpp"

#include <iostream>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "cli/status_command.hpp"
#include "packbridge/version.hpp"

namespace packbridge::cli {
namespace {

using Command = int (*)(std::span<const std::string>, std::ostream&, std::ostream&);

struct Entry {
    std::string_view name;
    std::string_view summary;
    Command run;
};

// One line per subcommand.
constexpr Entry kCommands[] = {
    {"status", "show the running daemon's packs, aggregate, limits and link health",
     status_command},
};

void usage(std::ostream& out) {
    out << "usage: packbridge <subcommand> [options]\n\n"
           "packbridge bridges up to 16 parallel LiFePO4 packs to a solar/hybrid inverter.\n\n"
           "subcommands:\n";
    for (const auto& c : kCommands)
        out << "  " << c.name << std::string(14 - c.name.size(), ' ') << c.summary << "\n";
    out << "\n'packbridge <subcommand> --help' describes each one; --version prints the version.\n";
}

}  // namespace

int dispatch(int argc, char** argv) {
    const std::vector<std::string> words(argv + 1, argv + argc);
    if (words.empty()) {
        usage(std::cerr);
        return 2;
    }
    if (words[0] == "--help" || words[0] == "-h" || words[0] == "help") {
        usage(std::cout);
        return 0;
    }
    if (words[0] == "--version") {
        std::cout << "packbridge " << kVersion << "\n";
        return 0;
    }
    for (const auto& c : kCommands) {
        if (words[0] == c.name) return c.run(std::span(words).subspan(1), std::cout, std::cerr);
    }
    std::cerr << "packbridge: unknown subcommand \"" << words[0] << "\"\n";
    usage(std::cerr);
    return 2;
}

}  // namespace packbridge::cli
