// SPDX-License-Identifier: Apache-2.0
// /metrics of the running daemon, scraped with curl, validated with promtool, compared with
// status.json of the same tick.
#include <catch2/catch.hpp>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>
#include <thread>

#include "broker.hpp"
#include "support/daemon_process.hpp"
#include "support/sim_process.hpp"

using namespace packbridge::testing;
using namespace std::chrono_literals;
using nlohmann::json;
namespace fs = std::filesystem;

namespace {

std::string read_text(const fs::path& p) {
    std::ifstream in(p);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

std::map<std::string, double> samples(const std::string& text) {
    std::map<std::string, double> out;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) {
        if (line.empty() || line[0] == '#') continue;
        const auto space = line.rfind(' ');
        out[line.substr(0, space)] = std::stod(line.substr(space + 1));
    }
    return out;
}

}  // namespace

TEST_CASE("metrics are served on the configured address, pass promtool and equal status.json",
          "[metrics]") {
    TempDir dir;
    SimProcess sim({"--addresses", "0-2", "--evolve-ms", "300"});
    const auto port = std::to_string(free_port());
    const auto status = dir.path / "status.json";
    write_monitor_config(dir.path / "packbridge.json", sim.device(), status,
                         R"("metrics": {"listen": "127.0.0.1:)" + port + R"("})");
    DaemonProcess daemon(dir.path / "packbridge.json", dir.path);
    INFO("daemon log:\n" << daemon.stderr_text());
    const std::string url = "http://127.0.0.1:" + port + "/metrics";
    REQUIRE(wait_for(
        [&] {
            return run_process({"curl", "-sf", url}, 5000ms)
                       .out.find("packbridge_pack_cell_volts{pack=\"2\"") != std::string::npos;
        },
        10000ms));

    // status.json unchanged around the scrape: the scrape saw the same tick.
    bool compared = false;
    for (int i = 0; i < 30 && !compared; ++i) {
        const std::string before = read_text(status);
        const auto scrape = run_process({"curl", "-sf", url}, 5000ms);
        if (read_text(status) != before || before.empty()) continue;
        compared = true;
        REQUIRE(scrape.exit_code == 0);
        const json s = json::parse(before);
        const auto m = samples(scrape.out);
        CHECK(m.at("packbridge_inverter_frames_sent_total") ==
              s["inverter"]["frames_sent"].get<double>());
        CHECK(m.at("packbridge_bus_requests_total") == s["bus"]["requests_sent"].get<double>());
        CHECK(m.at("packbridge_bank_voltage_volts") ==
              Approx(s["battery"]["voltage_mv"].get<double>() / 1000));
        CHECK(m.at("packbridge_bank_limit_amperes{limit=\"dcl\"}") ==
              Approx(s["battery"]["limits"]["dcl"]["value_ma"].get<double>() / 1000));
        for (const auto& p : s["packs"]) {
            const std::string pack = "{pack=\"" + p["address"].dump() + "\"";
            CHECK(m.at("packbridge_pack_polls_total" + pack + "}") == p["polls"].get<double>());
            CHECK(m.at("packbridge_pack_replies_total" + pack + "}") == p["replies"].get<double>());
            CHECK(m.at("packbridge_pack_cell_volts" + pack + ",cell=\"16\"}") ==
                  Approx(p["values"]["cell_mv"][15].get<double>() / 1000));
        }
        // promtool reads the exposition from stdin.
        std::ofstream(dir.path / "scrape.txt") << scrape.out;
        const auto lint =
            run_process({"/bin/sh", "-c",
                         "promtool check metrics < '" + (dir.path / "scrape.txt").string() + "'"},
                        10000ms);
        INFO("promtool: " << lint.out << lint.err);
        CHECK(lint.exit_code == 0);
    }
    CHECK(compared);
    CHECK(run_process({"curl", "-s", "-o", "/dev/null", "-w", "%{http_code}",
                       "http://127.0.0.1:" + port + "/nope"},
                      5000ms)
              .out == "404");
    CHECK(run_process({"curl", "-s", "-o", "/dev/null", "-w", "%{http_code}", "-X", "DELETE", url},
                      5000ms)
              .out == "405");
}
