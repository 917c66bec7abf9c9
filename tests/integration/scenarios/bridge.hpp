// SPDX-License-Identifier: Apache-2.0
#pragma once

// The fault-injection scenarios' rig: packbridge-sim on a pty (the pack bus) -> `packbridge run
// --dry-run` -> what the inverter side receives (the candump lines on the daemon's stdout, or the
// RS485 replies), with the status file and the log to check how the daemon saw it.
//
// Values are made predictable by the config: 50 A charge and 100 A discharge per pack, ceilings
// far above that, and a ramp so steep that limits follow the packs within one frame set. In the
// Pylon frames (0.1 A units) one pack is CCL 500 and DCL 1000.

#include <chrono>
#include <filesystem>
#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "support/daemon_process.hpp"
#include "support/dry_run_frames.hpp"
#include "support/sim_process.hpp"

namespace packbridge::testing {

inline constexpr unsigned kCclPerPack = 500;   // 50 A in 0.1 A
inline constexpr unsigned kDclPerPack = 1000;  // 100 A in 0.1 A
inline constexpr double kStaleAfterS = 2.5;
inline constexpr double kCommsLossS = 3.0;
inline constexpr double kPeriodS = 0.25;

struct BridgeConfig {
    std::string addresses = "0-3";  // simulated and configured
    std::string mode = "master";
    std::string on_comms_loss = "zero";
    std::string charge_voltage_v = "56.0";
    // The "inverter" object; empty = Pylon (Deye) over dry-run CAN every 250 ms.
    std::string inverter;
    // bus.reprobe_interval_s: 1 s keeps the fault scenarios short; the default is 60 s.
    unsigned reprobe_interval_s = 1;
    std::string log_level = "info";
    // The simulator's pty behind a fixed symlink (<dir>/bus), so a new simulator can replace it.
    bool link = false;
    // battery.stale_after_s. A test that proves something about the line (not about staleness)
    // sets it higher, so that a machine slowed by sanitizers or load cannot age a reading out
    // between two polls; a pack taken offline by missed replies still drops out at once.
    double stale_after_s = kStaleAfterS;
    double comms_loss_s = kCommsLossS;  // battery.comms_loss_s: at least stale_after_s
};

// The whole config file text for `device` and `status`.
std::string config_text(const BridgeConfig& c, const std::string& device,
                        const std::filesystem::path& status);

// The newest CAN frame set as far as the scenarios read it (zeros before the first one).
struct FrameSet {
    double at = 0;          // wall-clock seconds of the newest 0x351
    unsigned cvl = 0;       // 0.1 V
    unsigned ccl = 0;       // 0.1 A
    unsigned dcl = 0;       // 0.1 A
    int modules = -1;       // 0x359 module count
    double volts = 0;       // 0x356 mean voltage
    std::string flags;      // 0x35C first byte, hex ("C0" = charge and discharge enabled)
    std::size_t count = 0;  // 0x351 frames so far
};

class Bridge {
  public:
    explicit Bridge(BridgeConfig config = {});
    ~Bridge();
    Bridge(const Bridge&) = delete;
    Bridge& operator=(const Bridge&) = delete;

    [[nodiscard]] SimProcess& sim() { return *sim_; }
    [[nodiscard]] DaemonProcess& daemon() { return *daemon_; }
    [[nodiscard]] const std::filesystem::path& dir() const { return dir_.path; }
    [[nodiscard]] const std::filesystem::path& config_path() const { return config_; }
    [[nodiscard]] const BridgeConfig& settings() const { return settings_; }
    [[nodiscard]] std::size_t pack_count() const { return packs_; }

    // Stops the simulator (the pack bus adapter is unplugged) / starts a new one with the same
    // arguments (with `link` the daemon finds it again on the same path).
    void unplug();
    void plug_in();

    // Waits until every pack answered, its identity was read (the slow first sweep is over) and
    // the frames count all of them with the full per-pack limits. REQUIREs it.
    void wait_steady(std::chrono::milliseconds timeout = std::chrono::seconds(15));

    [[nodiscard]] std::vector<DryRunFrame> frames() const;
    [[nodiscard]] FrameSet latest() const;
    // Every 0x351 sent at or after `since` (wall seconds), with the 0x359 sent with it.
    [[nodiscard]] std::vector<FrameSet> sets_since(double since) const;
    [[nodiscard]] std::string log() const;
    [[nodiscard]] int log_count(const std::string& needle) const;
    // The status file (null until written).
    [[nodiscard]] nlohmann::json status() const;
    // The status file's entry for pack `address` (null when absent).
    [[nodiscard]] nlohmann::json pack_status(int address) const;

  private:
    BridgeConfig settings_;
    TempDir dir_;
    std::filesystem::path config_;
    std::unique_ptr<SimProcess> sim_;
    std::unique_ptr<DaemonProcess> daemon_;
    std::size_t packs_ = 0;
};

// Wall-clock seconds, comparable with the dry-run stamps.
double wall_now();
bool eventually(const std::function<bool()>& done, std::chrono::milliseconds timeout);
int occurrences(const std::string& text, const std::string& needle);

}  // namespace packbridge::testing

// The daemon's log as failure context, taken where the macro stands (Catch's INFO captures its
// text when it runs, so place it after the steps whose log lines matter).
#define SCENARIO_LOG(bridge) INFO("daemon stderr:\n" << (bridge).log())

// REQUIRE that `condition` becomes true within `timeout`, with the daemon's log at that moment
// as the failure context.
#define REQUIRE_EVENTUALLY(bridge, condition, timeout)                             \
    do {                                                                           \
        const bool became_true =                                                   \
            ::packbridge::testing::eventually([&] { return condition; }, timeout); \
        SCENARIO_LOG(bridge);                                                      \
        REQUIRE(became_true);                                                      \
    } while (false)
