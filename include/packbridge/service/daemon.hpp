// SPDX-License-Identifier: Apache-2.0
#pragma once

// The daemon: wires the pack bus poller, the bank and the inverter side on one io_context,
// and does the once-per-second housekeeping (journal events and summary, status file, systemd
// watchdog). Data flows one way: poller -> readings/health -> bank -> Battery -> inverter side.

#include <array>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "packbridge/asio.hpp"
#include "packbridge/bank/bank.hpp"
#include "packbridge/battery.hpp"
#include "packbridge/config.hpp"
#include "packbridge/io/notify.hpp"
#include "packbridge/monitor/monitor.hpp"
#include "packbridge/pack_reading.hpp"
#include "packbridge/service/inverter_side.hpp"
#include "packbridge/service/pack_poller.hpp"
#include "packbridge/service/serial_transport.hpp"
#include "packbridge/service/status_line.hpp"
#include "packbridge/service/timers.hpp"

namespace packbridge::service {

struct DaemonOptions {
    bool dry_run = false;  // CAN frames are logged (candump format) instead of sent
};

// Builds the inverter side for a config; the daemon calls it at start and when a reload
// changes the inverter section. Returns nullptr with a logged reason on failure.
using InverterFactory = std::function<std::unique_ptr<InverterSide>(
    boost::asio::io_context&, const Config&, const DaemonOptions&, const Battery&)>;

class Daemon {
  public:
    Daemon(boost::asio::io_context& io, Config config, DaemonOptions options,
           InverterFactory factory);
    ~Daemon();
    Daemon(const Daemon&) = delete;
    Daemon& operator=(const Daemon&) = delete;

    // Opens both sides. Device errors are logged and retried in the background; they never
    // stop the daemon. READY=1 goes out once the inverter output runs (its first frame set is
    // already out by then), in the safe state if no pack answers yet and even while the pack-bus
    // adapter is missing; STATUS= then says what it waits for (status_line.hpp).
    void start();
    void stop();
    // Applies a new, already validated config and reopens only what changed: a bus change
    // restarts the poller, an inverter change rebuilds the inverter side, anything else
    // (battery, log, status) applies in place without touching either device.
    void apply(Config next);

    // This tick's snapshot: the bank stepped once per tick (and at start and after a reload).
    // The status file, the journal, STATUS= and every frame of the tick are built from it, so
    // they agree exactly. The inverter side holds a reference to it.
    [[nodiscard]] const Battery& battery() const { return battery_; }
    [[nodiscard]] const Config& config() const { return config_; }
    // READY=1 has been sent (a reload acknowledges with READY=1 only after that).
    [[nodiscard]] bool ready() const { return ready_sent_; }
    // Ends a reload for systemd: READY=1 with the current STATUS= line, if READY=1 went out
    // before (earlier it would be a lie; the first one follows as usual).
    void acknowledge_reload();

  private:
    void start_bus();
    void stop_bus();
    void start_inverter();
    [[nodiscard]] bool replace_inverter(const Config& next);
    void on_reading(const PackReading& reading);
    void on_health(std::uint8_t address, const PackHealth& health);
    // Runs the bank once over the current readings into battery_ and writes the status file.
    void step();
    [[nodiscard]] Battery compute();
    // After a reading or a pack going offline: a snapshot that the inverter must see now
    // (bank::urgent) becomes this tick's snapshot at once, on file and sent; others wait for
    // the tick. The journal's change lines stay with the tick.
    void react();
    void on_tick();
    void arm_tick();
    void maybe_ready();
    void send_status(const Battery& battery);
    [[nodiscard]] BusLinkState bus_link() const;
    void arm_watchdog();
    void log_changes(const Battery& battery);
    [[nodiscard]] bool starting_up() const;
    void write_status(const Battery& battery);
    [[nodiscard]] bool bus_progressing();

    boost::asio::io_context& io_;
    Config config_;
    DaemonOptions options_;
    InverterFactory factory_;
    AsioTimers timers_;
    io::Notifier notifier_;
    std::unique_ptr<bank::Bank> bank_;
    std::unique_ptr<SerialTransport> transport_;
    std::unique_ptr<PackPoller> poller_;
    std::unique_ptr<InverterSide> inverter_;
    std::array<std::optional<PackReading>, kMaxPacks> readings_{};
    std::array<std::optional<PackHealth>, kMaxPacks> health_{};
    std::array<std::optional<PackIdentity>, kMaxPacks> identities_{};  // status.json, the page
    BusMode bus_mode_ = BusMode::auto_;
    Battery battery_;                // this tick's snapshot (step())
    std::optional<Battery> logged_;  // the last Battery whose changes were logged
    TimePoint started_{};
    boost::asio::steady_timer tick_;
    boost::asio::steady_timer watchdog_;  // WATCHDOG=1 at half WATCHDOG_USEC, when systemd asks
    TimePoint last_summary_{};
    std::uint64_t last_requests_ = 0;
    TimePoint last_bus_progress_{};
    StatusLineGate status_gate_;  // STATUS= only when the line changes
    monitor::Monitor monitor_;    // MQTT and /metrics: fed the status document of each tick
    bool ready_sent_ = false;
    bool status_error_logged_ = false;
    std::string status_text_;  // the tick's status document; its capacity is kept
    bool running_ = false;
};

}  // namespace packbridge::service
