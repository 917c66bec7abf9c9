// SPDX-License-Identifier: Apache-2.0
// `packbridge check-config` and the dispatcher: exit codes, output, every shipped config.
#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "cli_run.hpp"
#include "packbridge/catalogue.hpp"
#include "packbridge/config/load.hpp"
#include "packbridge/version.hpp"

using Catch::Contains;
using cli_test::call;
using cli_test::exec;
namespace fs = std::filesystem;

namespace {

std::vector<fs::path> shipped_configs() {
    const auto dir = packbridge::testing::source_dir() / "config";
    std::vector<fs::path> out;
    for (const auto& e : fs::recursive_directory_iterator(dir))
        if (e.path().extension() == ".json") out.push_back(e.path());
    std::sort(out.begin(), out.end());
    return out;
}

fs::path write_temp(const std::string& name, const std::string& text) {
    const auto path =
        fs::temp_directory_path() / ("packbridge-test-" + std::to_string(::getpid()) + "-" + name);
    std::ofstream(path) << text;
    return path;
}

// `err` without check-config's "does not exist now" warning lines.
std::string without_device_warnings(const std::string& err) {
    std::istringstream in(err);
    std::string rest;
    for (std::string line; std::getline(in, line);) {
        if (line.find(": warning: ") == std::string::npos ||
            line.find("does not exist now") == std::string::npos)
            rest += line + "\n";
    }
    return rest;
}

// The shipped config with its pack-bus device replaced.
std::string shipped_config_with_device(const std::string& device) {
    std::ifstream in(packbridge::testing::source_dir() / "config" / "packbridge.json");
    std::stringstream text;
    text << in.rdbuf();
    std::string s = text.str();
    const std::string from = "\"/dev/ttyUSB0\"";
    const auto at = s.find(from);
    REQUIRE(at != std::string::npos);
    return s.replace(at, from.size(), "\"" + device + "\"");
}

}  // namespace

TEST_CASE("check-config warns, without failing, that a configured device does not exist now",
          "[cli]") {
    const auto path =
        write_temp("absent-device.json", shipped_config_with_device("/nonexistent/ttyUSB9"));
    const auto r = call({"check-config", "--config", path.string()});
    CHECK(r.code == 0);
    CHECK_THAT(r.out, Contains(path.string() + ": valid"));
    CHECK_THAT(r.err, Contains("packbridge check-config: warning: /bus/device "
                               "\"/nonexistent/ttyUSB9\" does not exist now (No such file or "
                               "directory); the daemon will start anyway and wait for it"));
    // A device that exists gets no warning.
    const auto present = write_temp("present-device.json", shipped_config_with_device("/dev/null"));
    const auto p = call({"check-config", "--config", present.string()});
    CHECK(p.code == 0);
    CHECK(p.err.empty());
    fs::remove(path);
    fs::remove(present);
}

TEST_CASE("every config shipped in config/ passes check-config, in-process and as the binary",
          "[cli]") {
    const auto files = shipped_configs();
    CHECK(files.size() ==
          22);  // packbridge.json, one example per seed brand, monitoring, goodwe-sma
    for (const auto& f : files) {
        INFO(f);
        const auto r = call({"check-config", "--config", f.string()});
        CHECK(r.code == 0);
        // The only thing allowed on stderr: the adapters named in the examples are not plugged
        // into this machine (see the missing-device test).
        CHECK(without_device_warnings(r.err).empty());
        CHECK_THAT(r.out, Contains(f.string() + ": valid"));
        const auto b = exec("check-config --config '" + f.string() + "'");
        CHECK(b.code == 0);
        CHECK_THAT(b.out, Contains(": valid"));
    }
}

TEST_CASE("each brand example resolves to its brand", "[cli]") {
    for (const auto& b : packbridge::catalogue::brands()) {
        INFO(b.key);
        const auto path = packbridge::testing::source_dir() / "config" / "examples" /
                          (std::string(b.key) + ".json");
        const auto c = packbridge::load_config_file(path);
        REQUIRE(c.inverter.brand.has_value());
        CHECK(*c.inverter.brand == b.key);
        CHECK(c.inverter.link == b.link);
    }
}

TEST_CASE("check-config prints link, protocol, DIP switches, brands, cable and marks defaults",
          "[cli]") {
    const auto r = call(
        {"check-config", "--config",
         (packbridge::testing::source_dir() / "config" / "examples" / "victron.json").string()});
    REQUIRE(r.code == 0);
    CHECK_THAT(r.out, Contains("Inverter link: can\n"));
    CHECK_THAT(
        r.out,
        Contains("Protocol: sma_victron (the BMS manual's DIP table: \"Victron SMA,SOFAR\""));
    CHECK_THAT(r.out, Contains("Variant: victron\n"));
    CHECK_THAT(r.out, Contains("DIP value: 16, switches #5/#6: \"ON OFF\"\n"));
    CHECK_THAT(r.out, Contains("Brands on this protocol: Sofar, SMA, Victron\n"));
    CHECK_THAT(r.out, Contains("  BMS pin 4 (CANH) -> inverter pin 7\n"));
    CHECK_THAT(r.out,
               Contains("  /inverter/link = \"can\"   (from /inverter/brand \"victron\")\n"));
    CHECK_THAT(r.out, Contains("  /inverter/brand = \"victron\"\n"));
    CHECK_THAT(r.out, Contains("  /bus/baud = 9600   (default)\n"));
    CHECK_THAT(r.out, Contains("  /battery/charge_voltage_v = 56.0\n"));
    CHECK_THAT(r.out, Contains("  /bus/near_limit_poll_ms = 800   (default)\n"));
    // What adaptive polling counts as near a limit, from the battery section's numbers.
    CHECK_THAT(r.out, Contains("Adaptive polling: a pack near a limit is polled again within 800 "
                               "ms: highest cell >= 3400 mV or lowest <= 3100 mV, a warning or "
                               "protection, or current >= 80 % of the pack's limit\n"));
}

TEST_CASE("an invalid config exits 1 with the error on stderr", "[cli]") {
    const auto path = write_temp("bad.json", R"({"inverter": {"link": "rs485", "protocol": 16}})");
    const auto r = call({"check-config", "--config=" + path.string()});
    CHECK(r.code == 1);
    CHECK(r.out.empty());
    CHECK_THAT(r.err,
               Contains(path.string() +
                        ": /inverter/protocol: DIP 16 (\"ON OFF\") does not exist on rs485"));
    const auto b = exec("check-config --config '" + path.string() + "'");
    CHECK(b.code == 1);
    CHECK_THAT(b.out, Contains("/inverter/protocol: DIP 16"));
    fs::remove(path);
    const auto missing = call({"check-config", "--config", "/nonexistent.json"});
    CHECK(missing.code == 1);
    CHECK_THAT(missing.err, Contains("/nonexistent.json: cannot open the config file"));
}

TEST_CASE("--help and --version work globally and for each subcommand", "[cli]") {
    CHECK(call({"--version"}).out == "packbridge " + std::string(packbridge::kVersion) + "\n");
    CHECK(call({"wiring", "--version"}).out == call({"--version"}).out);
    CHECK(call({"check-config", "--version"}).out == call({"--version"}).out);
    const auto help = call({"--help"});
    CHECK(help.code == 0);
    CHECK_THAT(help.out, Contains("  check-config  ") && Contains("  wiring  "));
    CHECK_THAT(call({"check-config", "--help"}).out,
               Contains("usage: packbridge check-config [--config FILE]"));
    CHECK_THAT(call({"wiring", "--help"}).out, Contains("usage: packbridge wiring [BRAND]"));
    const auto b = exec("--version");
    CHECK(b.code == 0);
    CHECK(b.out == "packbridge " + std::string(packbridge::kVersion) + "\n");
}

TEST_CASE("an unknown subcommand or option is a usage error (exit 2)", "[cli]") {
    const auto r = call({"frobnicate"});
    CHECK(r.code == 2);
    CHECK_THAT(r.err, Contains("unknown subcommand \"frobnicate\""));
    CHECK(call({}).code == 2);
    CHECK(call({"check-config", "--bogus"}).code == 2);
    CHECK(call({"wiring", "--bogus"}).code == 2);
    CHECK(exec("").code == 2);
}
