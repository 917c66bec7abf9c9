// SPDX-License-Identifier: Apache-2.0
// Every command line has the same shape (cli/parser.hpp): --help exits 0 with "usage:" and the
// options; a wrong command line is one line on stderr naming the option, exit 2.
#include <catch2/catch.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "cli_run.hpp"
#include "packbridge/sim/sim_cli.hpp"
#include "support/paths.hpp"

using Catch::Contains;
using Catch::StartsWith;
using cli_test::call;
using cli_test::Run;

namespace {

// packbridge-sim in-process: every case here ends before it opens a pty.
Run sim(std::vector<std::string> args) {
    std::ostringstream out;
    std::ostringstream err;
    const int code = packbridge::sim::run_sim(args, out, err);
    return {code, out.str(), err.str()};
}

std::size_t lines(const std::string& text) {
    std::size_t n = 0;
    for (const char c : text)
        n += c == '\n' ? 1 : 0;
    return n;
}

// A usage error: exit 2, nothing on stdout, exactly one line on stderr that starts with the
// program and names `what`.
void check_usage_error(const Run& r, const std::string& program, const std::string& what) {
    INFO("stderr: " << r.err);
    CHECK(r.code == 2);
    CHECK(r.out.empty());
    CHECK(lines(r.err) == 1);
    CHECK_THAT(r.err, StartsWith(program + ": ") && Contains(what));
}

struct Command {
    std::string name;
    std::vector<std::string> options;
};

const std::vector<Command> kCommands{
    {"run", {"--config FILE", "--dry-run", "--log-level LEVEL"}},
    {"check-config", {"--config FILE"}},
    {"wiring", {"BRAND"}},
    {"status", {"--json", "--file PATH"}},
    {"scan",
     {"--device PATH", "--baud BAUD", "--ver V", "--timeout-ms T", "--listen-ms L",
      "--status-file PATH"}},
    {"decode", {"--as CID2", "FRAME"}},
};

}  // namespace

TEST_CASE("each subcommand's --help exits 0 with its usage line and every option", "[cli]") {
    for (const auto& c : kCommands) {
        for (const char* flag : {"--help", "-h"}) {
            INFO(c.name << " " << flag);
            const auto r = call({c.name, flag});
            CHECK(r.code == 0);
            CHECK(r.err.empty());
            CHECK_THAT(r.out, StartsWith("usage: packbridge " + c.name));
            for (const auto& o : c.options)
                CHECK_THAT(r.out, Contains(o));
            CHECK_THAT(r.out, Contains("-h,--help"));
        }
    }
}

TEST_CASE("an unknown option is one line naming it, exit 2, for every subcommand", "[cli]") {
    for (const auto& c : kCommands) {
        INFO(c.name);
        check_usage_error(call({c.name, "--frobnicate"}), "packbridge " + c.name,
                          "unknown option '--frobnicate'");
    }
    check_usage_error(call({"status", "extra"}), "packbridge status",
                      "unexpected argument 'extra'");
    check_usage_error(call({"frobnicate"}), "packbridge", "unknown subcommand \"frobnicate\"");
}

TEST_CASE("an option given without its value is one line naming the option, exit 2", "[cli]") {
    const std::vector<std::vector<std::string>> cases{
        {"run", "--config"},      {"run", "--log-level"}, {"check-config", "--config"},
        {"status", "--file"},     {"scan", "--device"},   {"scan", "--baud"},
        {"scan", "--timeout-ms"}, {"decode", "--as"},
    };
    for (const auto& args : cases) {
        const auto& option = args[1];
        INFO(args[0] << " " << option);
        check_usage_error(call(args), "packbridge " + args[0], option + " needs a value");
    }
}

TEST_CASE("a bad value is one line naming the option and what is wrong with it, exit 2", "[cli]") {
    check_usage_error(call({"scan", "--baud", "921600"}), "packbridge scan",
                      "--baud: 921600 is not supported (allowed: 1200, 2400, 4800, 9600, 19200, "
                      "38400, 57600, 115200, as for bus.baud)");
    check_usage_error(call({"scan", "--ver", "XYZ"}), "packbridge scan",
                      "--ver: \"XYZ\" is not one hex byte");
    check_usage_error(call({"scan", "--timeout-ms", "soon"}), "packbridge scan",
                      "--timeout-ms: \"soon\" is not a whole number");
    check_usage_error(call({"scan", "--device", ""}), "packbridge scan",
                      "--device: needs a device path");
    // The next word is taken as the value, as by any parser; a path that looks like an option
    // is refused by name.
    check_usage_error(call({"scan", "--device", "--baud", "9600"}), "packbridge scan",
                      "--device: \"--baud\" is not a device path (value missing?)");
    check_usage_error(call({"run", "--config", "--dry-run"}), "packbridge run",
                      "--config: \"--dry-run\" is not a file path");
    check_usage_error(call({"run", "--log-level", "loud"}), "packbridge run",
                      "--log-level: unknown level \"loud\" (trace, debug, info, warn, error)");
    check_usage_error(call({"check-config", "--config", ""}), "packbridge check-config",
                      "--config: needs a file path");
    check_usage_error(call({"decode", "--as", "XYZ"}), "packbridge decode",
                      "--as: \"XYZ\" is not a one-byte hex command code");
}

TEST_CASE("the config file is given as --config FILE, --config=FILE or -c FILE", "[cli]") {
    const std::string config = std::string(PACKBRIDGE_SOURCE_DIR) + "/config/packbridge.json";
    for (const auto& args :
         std::vector<std::vector<std::string>>{{"check-config", "--config", config},
                                               {"check-config", "--config=" + config},
                                               {"check-config", "-c", config}}) {
        const auto r = call(args);
        INFO(args[1] << "\n" << r.err);
        CHECK(r.code == 0);
        CHECK_THAT(r.out, StartsWith(config + ": valid"));
    }
}

TEST_CASE("packbridge-sim --help exits 0 and lists every option and the control commands",
          "[cli][sim]") {
    const auto r = sim({"--help"});
    CHECK(r.code == 0);
    CHECK_THAT(r.out, StartsWith("usage: packbridge-sim [options]"));
    for (const char* o :
         {"--device PATH",    "--link PATH",        "--baud BAUD",          "--ver V",
          "--latency-ms N",   "--packs N",          "--addresses LIST",     "--tail TAIL",
          "--evolve-ms N",    "--seed N",           "--host ADR",           "--host-period-ms N",
          "--silent ADR",     "--bad-checksum ADR", "--garbage-before ADR", "--duplicate ADR",
          "--error ADR",      "--delay ADR",        "--scenario FILE",      "--control FIFO",
          "--dump-state FILE"})
        CHECK_THAT(r.out, Contains(o));
    // The control commands (BusSim::command_help) follow the options.
    CHECK_THAT(r.out, Contains("silence"));
}

TEST_CASE("packbridge-sim refuses a bad command line with one line naming the option, exit 2",
          "[cli][sim]") {
    check_usage_error(sim({"--frobnicate"}), "packbridge-sim", "unknown option '--frobnicate'");
    check_usage_error(sim({"--packs"}), "packbridge-sim", "--packs needs a value");
    check_usage_error(sim({"--packs", "17"}), "packbridge-sim",
                      "--packs: \"17\" is not a pack count (1-16)");
    check_usage_error(sim({"--addresses", "0-16"}), "packbridge-sim",
                      "--addresses: \"0-16\" is not an address or range within 0-15");
    check_usage_error(sim({"--host", "16"}), "packbridge-sim",
                      "--host: \"16\" is not a pack address (0-15)");
    check_usage_error(sim({"--error", "x:4"}), "packbridge-sim", "--error: \"x\"");
    check_usage_error(sim({"--baud", "12345"}), "packbridge-sim", "--baud: 12345 is not supported");
    check_usage_error(sim({"--ver", "0x123"}), "packbridge-sim", "--ver");
}

TEST_CASE("the built programs exit 0 for --help and 2 for a usage error", "[cli]") {
    const auto help = cli_test::exec("scan --help");
    CHECK(help.code == 0);
    CHECK_THAT(help.out, StartsWith("usage: packbridge scan"));
    const auto bad = cli_test::exec("status --file");
    CHECK(bad.code == 2);
    CHECK(bad.out == "packbridge status: --file needs a value (see packbridge status --help)\n");

    const std::string sim_binary = packbridge::testing::sim_binary().string();
    CHECK(std::system((sim_binary + " --help >/dev/null").c_str()) == 0);
    const int status = std::system((sim_binary + " --packs 0 2>/dev/null").c_str());
    CHECK(WIFEXITED(status));
    CHECK(WEXITSTATUS(status) == 2);
}
