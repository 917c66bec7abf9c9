// SPDX-License-Identifier: Apache-2.0
#include <catch2/catch.hpp>
#include <sstream>

#include "../../../src/cli/scan_command.hpp"
#include "packbridge/config.hpp"
#include "support/sim_process.hpp"

using packbridge::testing::SimProcess;

namespace {

int scan(const SimProcess& sim, std::string& out_text, std::string& err_text,
         std::vector<std::string> extra = {}) {
    std::vector<std::string> args{"--device",     sim.device(), "--baud",      "115200",
                                  "--timeout-ms", "80",         "--listen-ms", "150"};
    args.insert(args.end(), extra.begin(), extra.end());
    std::ostringstream out;
    std::ostringstream err;
    const int rc = packbridge::cli::scan_command(args, out, err);
    out_text = out.str();
    err_text = err.str();
    return rc;
}

std::string line_for(const std::string& table, int address) {
    std::istringstream in(table);
    std::string line;
    std::getline(in, line);  // header
    while (std::getline(in, line)) {
        std::istringstream words(line);
        int adr = -1;
        if (words >> adr && adr == address) {
            return line;
        }
    }
    return {};
}

}  // namespace

TEST_CASE("scan lists the packs that answer with VER, cell count and identity") {
    SimProcess sim({"--addresses", "0,3,9", "--baud", "115200", "--latency-ms", "2"});
    std::string out;
    std::string err;
    CHECK(scan(sim, out, err) == 0);
    INFO(out << err);
    const auto state = sim.state();
    for (const auto& p : state["packs"]) {
        const auto line = line_for(out, p["address"].get<int>());
        CHECK(line.find("yes") != std::string::npos);
        CHECK(line.find(" 25 ") != std::string::npos);
        CHECK(line.find(" 16 ") != std::string::npos);
        CHECK(line.find(p["firmware"].get<std::string>()) != std::string::npos);
        CHECK(line.find(p["serial"].get<std::string>()) != std::string::npos);
        CHECK(line.find(" ms") != std::string::npos);
    }
    CHECK(line_for(out, 1).find("no") != std::string::npos);
    CHECK(out.find("3 pack(s) found") != std::string::npos);
    CHECK(out.find("another master") == std::string::npos);
}

TEST_CASE("scan flags a duplicate address, an error reply and a foreign master") {
    SimProcess sim({"--packs", "4", "--baud", "115200", "--latency-ms", "2", "--duplicate", "2",
                    "--error", "3:4", "--host", "0", "--host-period-ms", "100"});
    std::string out;
    std::string err;
    scan(sim, out, err);
    INFO(out << err);
    CHECK(line_for(out, 2).find("garbled reply") != std::string::npos);
    CHECK(line_for(out, 3).find("error reply RTN 0x04") != std::string::npos);
    CHECK(out.find("WARNING: another master") != std::string::npos);
}

TEST_CASE("scan exits 1 when no pack answers and 2 when the device is missing") {
    SimProcess sim({"--packs", "1", "--baud", "115200", "--silent", "0"});
    std::string out;
    std::string err;
    CHECK(scan(sim, out, err) == 1);
    CHECK(out.find("0 pack(s) found") != std::string::npos);
    std::ostringstream o;
    std::ostringstream e;
    const std::vector<std::string> args{"--device", "/dev/nope-ttyZ"};
    CHECK(packbridge::cli::scan_command(args, o, e) == 2);
    CHECK(e.str().find("/dev/nope-ttyZ") != std::string::npos);
}

TEST_CASE("scan accepts exactly the baud rates the config accepts for bus.baud") {
    for (const auto baud : packbridge::kSerialBauds) {
        std::ostringstream o;
        std::ostringstream e;
        const std::vector<std::string> args{"--device", "/dev/nope-ttyZ", "--baud",
                                            std::to_string(baud)};
        CHECK(packbridge::cli::scan_command(args, o, e) == 2);
        CHECK(e.str().find("not supported") == std::string::npos);  // refused for the device
    }
    std::ostringstream o;
    std::ostringstream e;
    const std::vector<std::string> args{"--device", "/dev/nope-ttyZ", "--baud", "921600"};
    CHECK(packbridge::cli::scan_command(args, o, e) == 2);
    CHECK(e.str().find("--baud: 921600 is not supported (allowed: 1200, 2400, 4800, 9600, 19200, "
                       "38400, 57600, 115200, as for bus.baud)") != std::string::npos);
}
