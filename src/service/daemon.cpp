// SPDX-License-Identifier: Apache-2.0
#include "packbridge/service/daemon.hpp"

#include <spdlog/spdlog.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <utility>
#include <vector>

#include "packbridge/bank/changes.hpp"
#include "packbridge/bank/reasons.hpp"
#include "packbridge/bank/urgent.hpp"
#include "packbridge/config/dump.hpp"
#include "packbridge/service/battery_event_fields.hpp"
#include "packbridge/status/status.hpp"
#include "packbridge/util/log_event.hpp"
#include "packbridge/version.hpp"

namespace packbridge::service {
namespace {

constexpr auto kTickPeriod = std::chrono::milliseconds(1000);
// The poller counts as stuck when it sent nothing for this long while the bus port is open.
constexpr auto kBusStallLimit = std::chrono::seconds(10);

std::string summary_line(const Battery& b) {
    char buf[256];
    std::snprintf(
        buf, sizeof buf, "SOC %.1f %%, %.2f V, %.1f A, packs %u/%u, CVL %s, CCL %s, DCL %s%s",
        b.soc_centi / 100.0, b.voltage_mv / 1000.0, b.current_ma / 1000.0, b.packs_counted,
        b.packs_known, bank::format_milli(b.charge_voltage.value, true).c_str(),
        bank::format_milli(b.charge_current.value, false).c_str(),
        bank::format_milli(b.discharge_current.value, false).c_str(),
        b.safe_state ? (b.transmit ? ", SAFE STATE (zeros)" : ", SAFE STATE (silent)") : "");
    return buf;
}

// What the poll plan needs of the battery settings to tell a pack near a limit.
PlanLimits plan_limits(const BatteryConfig& b) {
    PlanLimits limits;
    limits.charge_taper_start_mv = b.cell_charge_taper_start_mv;
    limits.cell_max_mv = b.cell_max_mv;
    limits.discharge_taper_start_mv = b.cell_discharge_taper_start_mv;
    limits.cell_min_mv = b.cell_min_mv;
    limits.pack_charge_ma = static_cast<std::uint32_t>(b.pack_charge_current_a * 1000.0);
    limits.pack_discharge_ma = static_cast<std::uint32_t>(b.pack_discharge_current_a * 1000.0);
    limits.stale_after =
        std::chrono::duration_cast<Duration>(std::chrono::duration<double>(b.stale_after_s));
    return limits;
}

// The device an inverter side holds, for reload messages.
std::string inverter_device(const InverterConfig& inverter) {
    return inverter.link == Link::can ? "CAN interface " + inverter.can.interface
                                      : "serial device " + inverter.rs485.device;
}

}  // namespace

Daemon::Daemon(boost::asio::io_context& io, Config config, DaemonOptions options,
               InverterFactory factory)
    : io_(io),
      config_(std::move(config)),
      options_(options),
      factory_(std::move(factory)),
      timers_(io),
      bank_(std::make_unique<bank::Bank>(config_.battery)),
      tick_(io),
      watchdog_(io),
      monitor_(io, kVersion) {}

Daemon::~Daemon() {
    stop();
}

void Daemon::start() {
    running_ = true;
    start_bus();
    started_ = Clock::now();
    step();  // the inverter side's first set goes out in its start(): from a snapshot of now
    log_changes(battery_);  // the journal's starting point: the safe state, nothing raised
    start_inverter();
    maybe_ready();  // the inverter side sent its first set in start(): no need to wait a tick
    monitor_.configure(config_.mqtt, config_.metrics);
    // The outputs start after the first snapshot: they get it now, not at the next tick.
    if (monitor_.active()) write_status(battery_);
    arm_tick();
    arm_watchdog();
}

void Daemon::stop() {
    if (!running_) return;
    running_ = false;
    tick_.cancel();
    watchdog_.cancel();
    monitor_.stop();
    if (inverter_) inverter_->stop();
    stop_bus();
}

void Daemon::start_bus() {
    io::SerialOptions serial{config_.bus.device, config_.bus.baud, config_.bus.rs485_mode};
    transport_ = std::make_unique<SerialTransport>(io_, serial);
    if (auto opened = transport_->open(); !opened) {
        // Not fatal: the transport keeps retrying with back-off (quietly: this is the one line
        // until it opens), and until packs answer the bank holds the inverter side in its safe
        // state. An adapter plugged in later is picked up without a restart.
        logging::link_event(spdlog::level::err, config_.bus.device, logging::Event::link_lost,
                            "bus: {}; waiting for the adapter (retrying in the background, the "
                            "inverter gets safe-state values until packs answer)",
                            opened.error().detail);
    } else {
        logging::link_event(spdlog::level::info, config_.bus.device, "bus: opened {} at {} baud",
                            config_.bus.device, config_.bus.baud);
    }
    PollerCallbacks callbacks;
    callbacks.on_reading = [this](const PackReading& r) { on_reading(r); };
    callbacks.on_health = [this](std::uint8_t a, const PackHealth& h) { on_health(a, h); };
    callbacks.on_identity = [this](std::uint8_t a, const PackIdentity& id) {
        if (a < kMaxPacks) identities_[a] = id;
        // Only what the pack told: a family without a model field prints no empty "model".
        std::string text =
            fmt::format("pack {}: {} pack", a, id.family.empty() ? "unknown" : id.family);
        for (const auto& [name, value] :
             {std::pair<const char*, const std::string&>{"model", id.model},
              {"firmware", id.firmware},
              {"serial", id.serial}}) {
            if (!value.empty()) text += fmt::format(", {} \"{}\"", name, value);
        }
        spdlog::info("{}", text);
    };
    callbacks.on_mode = [this](BusMode mode) { bus_mode_ = mode; };
    poller_ = std::make_unique<PackPoller>(config_.bus, *transport_, timers_, std::move(callbacks));
    poller_->set_plan_limits(plan_limits(config_.battery));
    poller_->start();
    last_bus_progress_ = Clock::now();
}

void Daemon::stop_bus() {
    if (poller_) poller_->stop();
    poller_.reset();
    if (transport_) transport_->stop();
    transport_.reset();
}

void Daemon::start_inverter() {
    inverter_ = factory_(io_, config_, options_, battery_);
    if (inverter_) inverter_->start();
}

void Daemon::on_reading(const PackReading& reading) {
    if (reading.address < kMaxPacks) readings_[reading.address] = reading;
    react();
}

void Daemon::on_health(std::uint8_t address, const PackHealth& health) {
    if (address >= kMaxPacks) return;
    PackHealth next = health;
    // A poller restarted by a reload on the same device knows no pack as online yet and says so
    // with each miss before the first answer. A pack online until the reload stays online until
    // the new poller really declares it offline (offline_after_misses), so its kept reading
    // still counts and the inverter sees no safe-state gap.
    // Once the new poller has heard the pack (replies > 0), its verdict stands as it is.
    if (!next.online && health_[address] && health_[address]->online && health.replies == 0 &&
        next.consecutive_misses < config_.bus.offline_after_misses)
        next.online = true;
    const bool went_offline = health_[address] && health_[address]->online && !next.online;
    health_[address] = next;
    if (went_offline) react();
}

Battery Daemon::compute() {
    std::vector<bank::PackSample> samples;
    samples.reserve(kMaxPacks);
    for (std::uint8_t a = 0; a < kMaxPacks; ++a) {
        if (!health_[a] && !readings_[a]) continue;
        bank::PackSample s;
        s.address = a;
        s.online = health_[a] ? health_[a]->online : true;
        s.reading = readings_[a] ? &*readings_[a] : nullptr;
        samples.push_back(s);
    }
    return bank_->update(Clock::now(), samples);
}

// A candidate that is not urgent is dropped: the bank's ramp state has moved on by it, which
// only means the next tick ramps from a moment later, never past the ramp rate.
void Daemon::react() {
    if (!running_ || !ready_sent_) return;
    Battery next = compute();
    if (!bank::urgent(battery_, next)) return;
    battery_ = std::move(next);
    write_status(battery_);
    // The journal's change lines stay with the tick (it compares against the last one logged),
    // so an early snapshot changes what the inverter and the status file see, not the log.
    if (inverter_) inverter_->prompt();
}

void Daemon::step() {
    battery_ = compute();
    // Every snapshot goes on file: status.json always shows what the inverter is being sent.
    write_status(battery_);
}

// Until the first sweep has asked every address once, a pack that has not answered yet is not
// news: logging its "pack_lost" and then, a second later, "warning cleared: pack_lost" only
// confuses the reader of the journal. Over as soon as every known pack counts, or the first
// sweep ends; capped at stale_after_s for a bus that never completes one (adapter missing, auto
// mode still listening).
bool Daemon::starting_up() const {
    const auto cap = std::chrono::duration_cast<Duration>(
        std::chrono::duration<double>(config_.battery.stale_after_s));
    if (!poller_ || Clock::now() - started_ >= cap || poller_->stats().cycles > 0) return false;
    // Until every configured address counts, or the first sweep has asked them all. A pack's
    // first reading makes it known and counted at once, so "counted < known" would end the
    // start-up with the first pack and log "protection raised: quorum_lost" for the packs not
    // asked yet. With bus.addresses "auto" nobody knows how many will answer: the first sweep
    // over all 16 addresses (or stale_after_s) decides.
    if (config_.bus.auto_addresses) return true;
    return battery_.packs_counted < config_.bus.addresses.size();
}

void Daemon::log_changes(const Battery& battery) {
    if (!logged_) {
        if (battery.safe_state) {
            logging::EventFields fields;
            fields.event = logging::Event::safe_state_entered;
            fields.reason = "starting: no pack counted yet";
            logging::event(spdlog::level::info, std::move(fields),
                           "bank: safe state until enough packs answer (min_packs {})",
                           config_.battery.min_packs);
        }
        // Nothing has been said raised yet, so nothing can be said cleared: the baseline carries
        // no alarms, whatever a half-discovered bank shows at this instant.
        logged_ = battery;
        logged_->protections = {};
        logged_->warnings = {};
        return;
    }
    if (starting_up()) return;
    for (const auto& event : bank::changes(*logged_, battery)) {
        logging::emit(event.warning ? spdlog::level::warn : spdlog::level::info,
                      event_fields(event), event.text);
    }
    logged_ = battery;
}

bool Daemon::bus_progressing() {
    const auto now = Clock::now();
    if (!poller_ || !transport_) return false;
    const auto sent = poller_->stats().requests_sent;
    // Listening, or waiting for an unplugged adapter, is progress too: the loop is alive.
    if (sent != last_requests_ || poller_->mode() != BusMode::master || !transport_->is_open()) {
        last_requests_ = sent;
        last_bus_progress_ = now;
    }
    return now - last_bus_progress_ < kBusStallLimit;
}

// One document per tick for the status file, MQTT and /metrics alike.
void Daemon::write_status(const Battery& battery) {
    if (!config_.status.enabled && !monitor_.active()) return;
    status::Snapshot snap;
    snap.now = Clock::now();
    snap.battery = battery;
    for (std::uint8_t a = 0; a < kMaxPacks; ++a) {
        if (health_[a]) snap.packs[a] = *health_[a];
        if (readings_[a]) snap.reading_at[a] = readings_[a]->at;
        if (identities_[a]) snap.identities[a] = *identities_[a];
    }
    snap.bus_mode = to_string(poller_ ? poller_->mode() : bus_mode_);
    snap.bus_device = config_.bus.device;
    snap.pid = static_cast<int>(::getpid());
    if (poller_) {
        const auto& stats = poller_->stats();
        snap.bus = {stats.requests_sent, stats.cycles, stats.foreign_requests, stats.unattributed,
                    stats.noise_bytes};
    }
    if (inverter_) snap.inverter = inverter_->link_status(snap.now);
    snap.version = kVersion;
    status::write_text(snap, status_text_);
    // MQTT, /metrics and the web page read fields: they get the same text parsed, and only
    // when one of them is on.
    if (monitor_.active()) monitor_.publish(status_text_);
    if (!config_.status.enabled) return;
    if (auto written = status::write_atomic(config_.status.path, status_text_); !written) {
        // Once per distinct failure: a read-only /run would otherwise flood the journal.
        if (!status_error_logged_) spdlog::warn("status: {}", written.error().detail);
        status_error_logged_ = true;
    } else {
        status_error_logged_ = false;
    }
}

void Daemon::on_tick() {
    if (!running_) return;
    step();
    const Battery& battery = battery_;
    log_changes(battery);

    const auto now = Clock::now();
    const auto summary_every = std::chrono::seconds(config_.log.summary_interval_s);
    // Not while packs are still being discovered: log_changes() holds back the events of those
    // ticks too, and a summary saying "packs 2/3" before "safe state left: 4 of 4 packs fresh"
    // reads as two stories. The first summary follows the events that end the start-up.
    if (config_.log.summary_interval_s > 0 && now - last_summary_ >= summary_every &&
        !starting_up()) {
        spdlog::info("{}", summary_line(battery));
        last_summary_ = now;
    }

    if (ready_sent_) {
        send_status(battery);
    } else {
        maybe_ready();
    }
    arm_tick();
}

void Daemon::arm_tick() {
    tick_.expires_after(kTickPeriod);
    tick_.async_wait([this](const boost::system::error_code& ec) {
        if (!ec) on_tick();
    });
}

BusLinkState Daemon::bus_link() const {
    BusLinkState link;
    link.device = config_.bus.device;
    link.open = transport_ && transport_->is_open();
    if (transport_) link.problem = transport_->problem();
    return link;
}

void Daemon::send_status(const Battery& battery) {
    if (auto line = status_gate_.next(status_line(battery, bus_link()))) notifier_.status(*line);
}

// READY=1 means "running and doing the right thing": the config was valid (checked before we
// were built) and the inverter output produces frames, the safe state's included. A pack-bus
// adapter that is not there yet does not hold it back: the daemon is doing what it should
// (safe state, retrying the port) and says so in STATUS=. Waiting for the adapter instead
// would hang `systemctl start` until the start timeout and restart the unit in a loop.
void Daemon::maybe_ready() {
    if (ready_sent_ || !running_) return;
    if (!inverter_ || !inverter_->producing(Clock::now())) return;
    const std::string line = status_line(battery_, bus_link());
    notifier_.ready(line);
    (void)status_gate_.next(line);
    ready_sent_ = true;
}

void Daemon::acknowledge_reload() {
    if (!ready_sent_ || !running_) return;
    const std::string line = status_line(battery_, bus_link());
    notifier_.ready(line);
    (void)status_gate_.next(line);
}

// Its own timer rather than the 1 s tick: WatchdogSec= may be shorter than 2 s. A stuck loop
// never gets here; a stuck poller or a dead output withholds the ping, and systemd restarts us.
void Daemon::arm_watchdog() {
    const auto interval = notifier_.watchdog_interval();
    if (!interval) return;
    watchdog_.expires_after(*interval);
    watchdog_.async_wait([this](const boost::system::error_code& ec) {
        if (ec || !running_) return;
        const bool inverter_ok = inverter_ && inverter_->producing(Clock::now());
        if (bus_progressing() && inverter_ok) notifier_.watchdog();
        arm_watchdog();
    });
}

// Builds and starts the side for `next` before the running one is torn down, so a reload whose
// new device cannot be opened (a CAN interface that does not exist, a serial device that is
// missing) leaves the inverter served as before. Returns whether the new side took over.
bool Daemon::replace_inverter(const Config& next) {
    auto side = factory_(io_, next, options_, battery_);
    const bool old_serving = inverter_ && inverter_->device_open();
    if (!side) {
        // The factory logged why (an unsupported protocol variant).
        if (inverter_) {
            spdlog::error(
                "reload: the new inverter side could not be built: keeping the "
                "running one on {}",
                inverter_device(config_.inverter));
            return false;
        }
        return true;
    }
    // One serial device cannot be read by two sides: the old one lets go first. CAN sockets
    // can share an interface, so there the old side keeps sending until the new one is up.
    const bool same_serial = inverter_ && config_.inverter.link == Link::rs485 &&
                             next.inverter.link == Link::rs485 &&
                             config_.inverter.rs485.device == next.inverter.rs485.device;
    if (same_serial) inverter_->stop();
    side->start();
    if (!side->device_open() && old_serving) {
        side->stop();
        side.reset();
        if (same_serial) inverter_->start();
        spdlog::error(
            "reload: cannot open {} for the new inverter side: keeping the running one on {} "
            "(fix inverter settings and reload again)",
            inverter_device(next.inverter), inverter_device(config_.inverter));
        return false;
    }
    // When neither device is open, the new settings win: they are what the user asked for,
    // and the new side keeps retrying in the background as at start-up.
    if (inverter_) inverter_->stop();
    inverter_ = std::move(side);
    return true;
}

void Daemon::apply(Config next) {
    const bool bus_changed = config_.bus != next.bus;
    const bool inverter_changed = config_.inverter != next.inverter;
    if (bus_changed) {
        // Only the poller side restarts; the inverter keeps sending what the bank holds (its
        // freshness rules decide when old readings stop counting).
        spdlog::info("reload: bus settings changed, reopening {}", next.bus.device);
        stop_bus();
        if (config_.bus.device != next.bus.device) {
            // Another line: its packs are not these packs.
            readings_ = {};
            health_ = {};
            identities_ = {};
        } else {
            // The same packs: their readings stay until the new poller replaces them or the
            // bank's freshness rules age them out, so the inverter sees no safe-state gap.
            // Addresses no longer configured go now.
            for (std::uint8_t a = 0; a < kMaxPacks; ++a) {
                const auto& list = next.bus.addresses;
                if (next.bus.auto_addresses || std::find(list.begin(), list.end(), a) != list.end())
                    continue;
                readings_[a].reset();
                health_[a].reset();
                identities_[a].reset();
            }
        }
        config_.bus = next.bus;
        start_bus();
    }
    // The bank keeps its ramp and hysteresis state across a reload: new limits apply from the
    // next computation, and increases still ramp.
    if (config_.battery != next.battery) {
        bank_->set_config(next.battery);
        if (poller_) poller_->set_plan_limits(plan_limits(next.battery));
    }
    step();  // a rebuilt inverter side sends at once: from the readings and limits of now
    if (inverter_changed) {
        spdlog::info("reload: inverter settings changed, rebuilding the inverter side");
        // A new side that cannot run leaves the old one, and the old inverter settings with it
        // (so the next reload compares against what really runs).
        if (!replace_inverter(next)) next.inverter = config_.inverter;
    }
    monitor_.configure(next.mqtt, next.metrics);
    config_ = std::move(next);
    // An output the reload turned on gets this snapshot now, not at the next tick.
    if (monitor_.active()) write_status(battery_);
    if (!bus_changed && !inverter_changed) {
        spdlog::info("reload: pack bus and inverter side unchanged, kept open");
    }
}

}  // namespace packbridge::service
