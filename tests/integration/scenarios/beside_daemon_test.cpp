// SPDX-License-Identifier: Apache-2.0
// What an installer does beside a running daemon: `packbridge scan` on the same port, and a trace
// log piped into `packbridge decode`. Neither may change what the inverter receives.
#include <sys/wait.h>

#include <catch2/catch.hpp>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <thread>

#include "../../../src/cli/scan_command.hpp"
#include "bridge.hpp"
#include "packbridge/io/serial.hpp"
#include "support/paths.hpp"

using namespace std::chrono_literals;
using namespace packbridge::testing;

namespace {

int scan(const std::vector<std::string>& args, std::string& out_text, std::string& err_text) {
    std::ostringstream out;
    std::ostringstream err;
    const int rc = packbridge::cli::scan_command(args, out, err);
    out_text = out.str();
    err_text = err.str();
    return rc;
}

// Runs a shell pipeline and returns its stdout and exit status.
std::pair<std::string, int> shell(const std::string& command) {
    FILE* pipe = ::popen(command.c_str(), "r");
    REQUIRE(pipe != nullptr);
    std::string out;
    char buf[4096];
    for (std::size_t n; (n = std::fread(buf, 1, sizeof buf, pipe)) > 0;)
        out.append(buf, n);
    const int status = ::pclose(pipe);
    return {out, WIFEXITED(status) ? WEXITSTATUS(status) : -1};
}

}  // namespace

TEST_CASE(
    "scan beside a running daemon shows the daemon's live table and leaves the line and the "
    "inverter's frames alone",
    "[scenarios][bus]") {
    BridgeConfig config;
    config.addresses = "0-3";
    // What is proved here is that scan leaves the line alone: a pack disturbed by it misses
    // replies and goes offline (2 misses), which drops it from the frames at once; staleness is
    // not part of it.
    config.stale_after_s = 10;
    config.comms_loss_s = 12;  // the config requires comms_loss_s >= stale_after_s
    Bridge bridge(config);
    bridge.wait_steady();
    const auto status = bridge.status();
    REQUIRE(status.contains("pid"));
    const int pid = status["pid"].get<int>();
    // The daemon holds the port exclusively (flock), and /proc/locks names it.
    CHECK(packbridge::io::lock_holder(bridge.sim().device()) == pid);

    const double t0 = wall_now();
    std::string out;
    std::string err;
    const auto status_file = (bridge.dir() / "status.json").string();
    // Three scans in a row, with a short listen, as an installer retrying would.
    for (int i = 0; i < 3; ++i) {
        const int rc = scan({"--device", bridge.sim().device(), "--status-file", status_file,
                             "--timeout-ms", "200", "--listen-ms", "100"},
                            out, err);
        INFO(out << err);
        CHECK(rc == 0);
    }
    INFO(out << err);
    CHECK(out.find("packbridge is running on " + bridge.sim().device() + " (pid " +
                   std::to_string(pid) + ")") != std::string::npos);
    CHECK(out.find("4 pack(s) counted by the daemon") != std::string::npos);
    CHECK(out.find("ADR  ANSWER") == std::string::npos);  // no survey of its own

    // The inverter keeps getting all four packs with their full limits, with no pack dropped.
    std::this_thread::sleep_for(3s);
    SCENARIO_LOG(bridge);
    const auto sets = bridge.sets_since(t0);
    REQUIRE(sets.size() > 8);
    for (const auto& set : sets) {
        CHECK(set.modules == 4);
        CHECK(set.ccl == 4 * kCclPerPack);
        CHECK(set.dcl == 4 * kDclPerPack);
    }
    CHECK(bridge.log_count("offline") == 0);
    CHECK(bridge.log_count("another master") == 0);
    // The simulated packs heard only the daemon: no request frame came from anyone else.
    CHECK(bridge.status()["bus"]["foreign_requests"] == 0);
}

TEST_CASE("scan refuses a port the daemon holds when its status file cannot be read",
          "[scenarios][bus]") {
    Bridge bridge;
    bridge.wait_steady();
    std::string out;
    std::string err;
    CHECK(scan({"--device", bridge.sim().device(), "--status-file",
                (bridge.dir() / "missing.json").string()},
               out, err) == 2);
    CHECK(err.find(bridge.sim().device() + " is in use by another process (pid ") !=
          std::string::npos);
    CHECK(err.find("`packbridge status`") != std::string::npos);
    CHECK(out.empty());
}

TEST_CASE("a trace log of the daemon piped into packbridge decode decodes every pack-bus frame",
          "[scenarios][bus]") {
    BridgeConfig config;
    config.addresses = "0-1";
    config.log_level = "trace";
    Bridge bridge(config);
    bridge.wait_steady();
    bridge.daemon().terminate();

    const auto log = bridge.dir() / "stderr";
    REQUIRE(bridge.log_count("bus: tx ~") > 10);
    REQUIRE(bridge.log_count("bus: rx ~") > 10);
    // CAN frames at trace level, in candump form.
    CHECK(bridge.log_count("inverter: tx dry-run 351#") > 0);

    const auto decode = packbridge_binary().string() + " decode";
    const auto [json, rc] = shell("grep -E 'bus: (tx|rx) ~' " + log.string() + " | " + decode);
    INFO(json);
    CHECK(rc == 0);
    int frames = 0;
    int valid = 0;
    std::istringstream lines(json);
    for (std::string line; std::getline(lines, line);) {
        const auto j = nlohmann::json::parse(line);
        ++frames;
        valid += j.value("valid", false) ? 1 : 0;
    }
    CHECK(frames == bridge.log_count("bus: tx ~") + bridge.log_count("bus: rx ~"));
    CHECK(valid == frames);
    CHECK(json.find("\"cells_mv\"") != std::string::npos);
    CHECK(json.find("\"status\"") != std::string::npos);
}
