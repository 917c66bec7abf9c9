// SPDX-License-Identifier: Apache-2.0
// The status file: JSON rendering of a real bank output, the atomic writer, and the
// `packbridge status` command reading it back (missing, fresh, stale, invalid).

#include "packbridge/status/status.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <vector>

#include "cli/status_command.hpp"  // src/ is private to the core; the CLI header lives there
#include "packbridge/bank/bank.hpp"
#include "support/example_state.hpp"
#include "support/paths.hpp"

using namespace packbridge;
namespace fs = std::filesystem;

namespace {

fs::path scratch_dir(const std::string& name) {
    const fs::path d =
        testing::binary_dir() / "test-scratch" / (name + "-" + std::to_string(::getpid()));
    fs::remove_all(d);
    fs::create_directories(d);
    return d;
}

// The example state with a fourth, stale pack next to the three counted ones.
status::Snapshot example_snapshot(const Battery& battery) {
    status::Snapshot s;
    s.now = TimePoint{} + seconds(30);
    s.battery = battery;
    s.bus_mode = "master";
    s.bus.noise_bytes = 7;
    s.bus.foreign_requests = 2;
    s.version = "test";
    s.inverter = {"can", "pylon", "up", milliseconds(800), 1234, 1200, 0, ""};
    for (std::uint8_t a = 1; a <= 4; ++a) {
        PackHealth h;
        h.online = a != 4;
        h.polls = 100;
        h.replies = a == 4 ? 60 : 100;
        h.timeouts = a == 4 ? 40 : 0;
        h.last_latency = milliseconds(120);
        h.last_seen = s.now - (a == 4 ? seconds(25) : milliseconds(400));
        s.packs[a] = h;
        s.reading_at[a] = *h.last_seen;
    }
    return s;
}

struct Run {
    int code;
    std::string out;
    std::string err;
};

Run run_status(std::vector<std::string> args) {
    std::ostringstream out, err;
    const int code = cli::status_command(args, out, err);
    return {code, out.str(), err.str()};
}

bool contains(const std::string& hay, const std::string& needle) {
    return hay.find(needle) != std::string::npos;
}

}  // namespace

TEST_CASE("The status JSON carries the aggregate, limits with reasons, flags and every pack") {
    const Battery b = testing::example_battery(123);
    const nlohmann::json j = status::to_json(example_snapshot(b));
    CHECK(j["schema"] == status::kSchemaVersion);
    const auto& jb = j["battery"];
    CHECK(jb["safe_state"] == false);
    CHECK(jb["voltage_mv"] == 52100);
    CHECK(jb["current_ma"] == -12300);
    CHECK(jb["soc_centi"] == 6700);
    CHECK(jb["cells"]["max_at"]["global"] == 7);
    CHECK(jb["cells"]["spread_mv"] == 11);
    CHECK(jb["temperature"]["mean_dc"] == 253);
    CHECK(jb["limits"]["ccl"]["value_ma"] == 100000);
    CHECK(jb["limits"]["ccl"]["text"] == "CCL 100.0 A: charge limit of 3 packs; config 100.0 A");
    CHECK(jb["limits"]["ccl"]["reasons"][1]["kind"] == "config_ceiling");
    CHECK(jb["limits"]["ccl"]["reasons"][0]["pack"].is_null());
    CHECK(jb["limits"]["cvl"]["value_mv"] == 56000);
    CHECK(jb["flags"]["charge_enable"] == true);
    CHECK(jb["protections"].empty());
    REQUIRE(j["packs"].size() == 4);
    CHECK(j["packs"][0]["address"] == 1);
    CHECK(j["packs"][0]["counted"] == true);
    CHECK(j["packs"][0]["reading_age_s"] == 0.4);
    CHECK(j["packs"][0]["values"]["voltage_mv"] == 52100);
    CHECK(j["packs"][3]["counted"] == false);
    CHECK(j["packs"][3]["timeouts"] == 40);
    CHECK(j["packs"][3]["values"].is_null());  // a pack that does not count shows no values
    CHECK(j["inverter"]["state"] == "up");
    CHECK(j["inverter"]["since_heard_s"] == 0.8);
    CHECK(j["bus"]["mode"] == "master");
    CHECK(j["bus"]["noise_bytes"] == 7);
    CHECK(j["bus"]["foreign_requests"] == 2);
    CHECK(j["bus"]["sweeps"] == 0);
}

TEST_CASE("The status JSON says what each pack is once its identity is read, null before") {
    const Battery b = testing::example_battery(123);
    auto snap = example_snapshot(b);
    PackIdentity seplos;
    seplos.family = "seplos";
    seplos.model = "1101-SP15";
    seplos.firmware = "16.5";
    snap.identities[2] = seplos;
    const nlohmann::json j = status::to_json(snap);
    REQUIRE(j["packs"].size() == 4);
    CHECK(j["packs"][0]["identity"].is_null());  // pack 1: not read yet
    const auto& id = j["packs"][1]["identity"];  // pack 2
    CHECK(id["family"] == "seplos");
    CHECK(id["model"] == "1101-SP15");
    CHECK(id["firmware"] == "16.5");
    CHECK(id["serial"] == "");
}

TEST_CASE(
    "A pack that names itself with quotes, control bytes or non-ASCII bytes keeps the "
    "status document valid JSON") {
    const Battery b = testing::example_battery(123);
    auto snap = example_snapshot(b);
    PackIdentity odd;
    odd.family = "pace";
    odd.model = std::string("P16S\"100A\n") + '\x00' + '\xB0';
    snap.identities[2] = odd;
    const std::string text = status::to_text(snap);
    const auto j = nlohmann::json::parse(text);
    CHECK(j["packs"][1]["identity"]["model"] == std::string("P16S\"100A\n") + '\x00' + "\xC2\xB0");
}

TEST_CASE("The status text is rewritten in place into the same buffer, tick after tick") {
    const Battery b = testing::example_battery(123);
    const auto snap = example_snapshot(b);
    std::string buffer = "left over from the last tick";
    status::write_text(snap, buffer);
    CHECK(buffer == status::to_text(snap));
    CHECK(nlohmann::json::parse(buffer) == status::to_json(snap));
}

TEST_CASE("The atomic writer replaces the file whole and leaves no temporary behind") {
    const fs::path dir = scratch_dir("atomic");
    const std::string path = (dir / "status.json").string();
    REQUIRE(status::write_atomic(path, "first").ok());
    REQUIRE(status::write_atomic(path, "second, longer").ok());
    std::ifstream in(path);
    std::stringstream text;
    text << in.rdbuf();
    CHECK(text.str() == "second, longer");
    CHECK(std::distance(fs::directory_iterator(dir), fs::directory_iterator{}) == 1);

    const auto bad = status::write_atomic((dir / "no-such-dir" / "status.json").string(), "x");
    REQUIRE_FALSE(bad.ok());
    CHECK(bad.error().code == Errc::io);
    CHECK(contains(bad.error().detail, "no-such-dir"));
}

TEST_CASE("packbridge status prints a readable table of a fresh status file") {
    const fs::path dir = scratch_dir("table");
    const std::string path = (dir / "status.json").string();
    auto snap = example_snapshot(testing::example_battery(0));
    PackIdentity pace;
    pace.family = "pace";
    snap.identities[1] = pace;
    REQUIRE(status::write_atomic(path, status::to_text(snap)).ok());
    const Run r = run_status({"--file", path});
    INFO(r.out << r.err);
    CHECK(r.code == 0);
    CHECK(r.err.empty());
    CHECK(contains(r.out, "Battery: ok, 3 of 3 packs counted"));
    CHECK(contains(r.out, "52.10 V  -12.3 A  SOC 67.0 %  SOH 98.0 %  201.0 / 300.0 Ah"));
    CHECK(
        contains(r.out, "cells 3.251 V (pack 3 cell 12) .. 3.262 V (pack 1 cell 7), spread 11 mV"));
    CHECK(contains(r.out, "temperature 24.1 .. 26.0 °C, mean 25.3 °C"));
    CHECK(contains(r.out, "CCL 100.0 A: charge limit of 3 packs; config 100.0 A"));
    CHECK(contains(r.out, "DVL 48.0 V: config 48.0 V"));
    CHECK(contains(r.out, "Flags: charge on, discharge on"));
    CHECK(contains(r.out, "Alarms: protections none; warnings none"));
    CHECK(contains(r.out,
                   "  1    counted  pace      0.4s   52.10   -4.1    67.0   3.256..3.262  100     "
                   "100     0        0    120 ms"));
    CHECK(contains(r.out, "  4    offline  -         25.0s  -"));
    CHECK(contains(r.out, "Inverter: pylon on can: up, heard 0.8s ago, 1234 frames sent"));
    CHECK(contains(r.out, "Bus: master"));
}

TEST_CASE("packbridge status --json prints the file's JSON") {
    const fs::path dir = scratch_dir("json");
    const std::string path = (dir / "status.json").string();
    const nlohmann::json j = status::to_json(example_snapshot(testing::example_battery(0)));
    REQUIRE(status::write_atomic(path, j.dump()).ok());
    const Run r = run_status({"--json", "--file", path});
    CHECK(r.code == 0);
    CHECK(nlohmann::json::parse(r.out) == j);
}

TEST_CASE("packbridge status shows the safe state and a silenced inverter output") {
    auto cfg = testing::example_battery_config();
    cfg.on_comms_loss = OnCommsLoss::silence;
    bank::Bank b(cfg);
    const auto readings = testing::example_readings(0, TimePoint{});  // all stale 60 s later
    const Battery safe = b.update(TimePoint{} + seconds(60), readings);
    const fs::path dir = scratch_dir("safe");
    const std::string path = (dir / "status.json").string();
    REQUIRE(status::write_atomic(path, status::to_json(example_snapshot(safe)).dump()).ok());
    const Run r = run_status({"--file", path});
    CHECK(r.code == 0);
    CHECK(contains(r.out, "Battery: SAFE STATE (inverter output silenced), 0 of 3 packs counted"));
    CHECK(contains(r.out, "CCL 0.0 A: quorum lost (0 fresh packs)"));
    CHECK(contains(r.out, "Alarms: protections quorum_lost; warnings pack_lost"));
}

TEST_CASE("packbridge status says the daemon is not running when the file is missing") {
    const fs::path dir = scratch_dir("missing");
    const Run r = run_status({"--file", (dir / "status.json").string()});
    CHECK(r.code == 1);
    CHECK(r.out.empty());
    CHECK(contains(r.err, (dir / "status.json").string() +
                              ": cannot open the status file: No such file or directory"));
    CHECK(contains(r.err, "is the daemon running?"));
}

TEST_CASE("packbridge status names a directory given as the status file as such") {
    const fs::path dir = scratch_dir("directory");
    const Run r = run_status({"--file", dir.string()});
    CHECK(r.code == 1);
    CHECK(contains(r.err, dir.string() + ": cannot read the status file: it is a directory"));
    CHECK_FALSE(contains(r.err, "not a packbridge status file"));
}

TEST_CASE("the status file is world-readable even under the unit's UMask=0077") {
    const fs::path dir = scratch_dir("umask");
    const std::string path = (dir / "status.json").string();
    const mode_t old = ::umask(0077);
    const auto written = status::write_atomic(path, "{}");
    ::umask(old);
    REQUIRE(written.ok());
    struct stat st {};
    REQUIRE(::stat(path.c_str(), &st) == 0);
    CHECK((st.st_mode & 07777) == 0644);
}

TEST_CASE("a status file that cannot be written says where and what the OS said") {
    const fs::path dir = scratch_dir("unwritable");
    // A directory where the temporary file would go does not exist: ENOENT, whoever runs this.
    const std::string path = (dir / "missing-dir" / "status.json").string();
    const auto written = status::write_atomic(path, "{}");
    REQUIRE_FALSE(written.ok());
    CHECK(contains(written.error().detail, (dir / "missing-dir").string()));
    CHECK(contains(written.error().detail, "No such file or directory"));
}

TEST_CASE("packbridge status warns that an old file is stale") {
    const fs::path dir = scratch_dir("stale");
    const fs::path path = dir / "status.json";
    REQUIRE(
        status::write_atomic(path.string(),
                             status::to_json(example_snapshot(testing::example_battery(0))).dump())
            .ok());
    fs::last_write_time(path, fs::file_time_type::clock::now() - std::chrono::seconds(60));
    const Run r = run_status({"--file", path.string()});
    CHECK(r.code == 1);
    CHECK(contains(r.out, "Battery: ok"));  // still shown, flagged as not current
    CHECK(contains(r.err, "is stale (60 s old)"));
}

TEST_CASE("packbridge status rejects a file that is not a status file, and unknown arguments") {
    const fs::path dir = scratch_dir("invalid");
    const std::string path = (dir / "status.json").string();
    REQUIRE(status::write_atomic(path, "{ not json").ok());
    Run r = run_status({"--file", path});
    CHECK(r.code == 1);
    CHECK(contains(r.err, "is not a packbridge status file"));

    r = run_status({"--verbose"});
    CHECK(r.code == 2);
    CHECK(contains(r.err, "unknown option '--verbose'"));
    CHECK(contains(r.err, "packbridge status --help"));
}
