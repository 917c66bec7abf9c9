// SPDX-License-Identifier: Apache-2.0
#include "bridge.hpp"

#include <catch2/catch.hpp>
#include <fstream>
#include <sstream>
#include <thread>

namespace packbridge::testing {

using namespace std::chrono_literals;

namespace {

std::size_t count_addresses(const std::string& list) {
    std::size_t n = 0;
    std::stringstream in(list);
    for (std::string part; std::getline(in, part, ',');) {
        const auto dash = part.find('-');
        n += dash == std::string::npos
                 ? 1
                 : static_cast<std::size_t>(std::stoi(part.substr(dash + 1)) -
                                            std::stoi(part.substr(0, dash)) + 1);
    }
    return n;
}

}  // namespace

std::string config_text(const BridgeConfig& c, const std::string& device,
                        const std::filesystem::path& status) {
    const std::string inverter =
        c.inverter.empty() ? R"({"brand": "deye", "can": {"interface": "-", "period_ms": 250}})"
                           : c.inverter;
    std::ostringstream out;
    out << R"({"bus": {"device": ")" << device << R"(", "addresses": ")" << c.addresses
        << R"(", "mode": ")" << c.mode
        << R"(", "request_timeout_ms": 200, "offline_after_misses": 2, "reprobe_interval_s": )"
        << c.reprobe_interval_s << R"(},
  "inverter": )"
        << inverter << R"(,
  "battery": {"min_packs": 1, "charge_voltage_v": )"
        << c.charge_voltage_v << R"(, "stale_after_s": )" << c.stale_after_s
        << R"(, "comms_loss_s": )" << c.comms_loss_s << R"(, "on_comms_loss": ")" << c.on_comms_loss
        << R"(",
              "ramp_a_per_s": 10000, "pack_charge_current_a": 50, "pack_discharge_current_a": 100,
              "max_charge_current_a": 1000, "max_discharge_current_a": 2000},
  "status": {"path": ")"
        << status.string() << R"("}, "log": {"summary_interval_s": 0, "level": ")" << c.log_level
        << R"("}})";
    return out.str();
}

Bridge::Bridge(BridgeConfig config)
    : settings_(std::move(config)), packs_(count_addresses(settings_.addresses)) {
    config_ = dir_.path / "packbridge.json";
    plug_in();
    std::ofstream(config_) << config_text(settings_, sim_->device(), dir_.path / "status.json");
    daemon_ = std::make_unique<DaemonProcess>(config_, dir_.path);
}

Bridge::~Bridge() = default;

void Bridge::unplug() {
    sim_.reset();
}

void Bridge::plug_in() {
    std::vector<std::string> args{"--addresses", settings_.addresses};
    if (settings_.link) {
        args.push_back("--link");
        args.push_back((dir_.path / "bus").string());
    }
    sim_ = std::make_unique<SimProcess>(args);
}

void Bridge::wait_steady(std::chrono::milliseconds timeout) {
    const auto n = static_cast<int>(packs_);
    std::optional<double> identities_read;
    const bool ok = eventually(
        [&] {
            if (!identities_read) {
                if (log_count(", serial \"SIM") < n) return false;
                identities_read = wall_now();
            }
            // The first sweep also reads every pack's identity, which makes it long enough for
            // the first pack's reading to go stale (2.5 s here) just after it: wait for 1 s of
            // full sets after the identities (the dip, when it comes, comes within 0.5 s).
            const auto sets = sets_since(*identities_read);
            if (sets.empty() || sets.back().at - *identities_read < 1.0) return false;
            for (const auto& f : sets) {
                if (f.modules != n || f.ccl != kCclPerPack * packs_ ||
                    f.dcl != kDclPerPack * packs_)
                    return false;
            }
            return true;
        },
        timeout);
    INFO("daemon stderr:\n" << log());
    REQUIRE(ok);
}

std::vector<DryRunFrame> Bridge::frames() const {
    return parse_dry_run(daemon_->stdout_text());
}

std::vector<FrameSet> Bridge::sets_since(double since) const {
    std::vector<FrameSet> out;
    FrameSet current;
    for (const auto& f : frames()) {
        if (f.id == "351") {
            ++current.count;
            current.at = f.at;
            current.cvl = le16(f.payload, 0);
            current.ccl = le16(f.payload, 2);
            current.dcl = le16(f.payload, 4);
        } else if (f.id == "356") {
            current.volts = static_cast<std::int16_t>(le16(f.payload, 0)) / 100.0;
        } else if (f.id == "359" && f.payload.size() >= 10) {
            current.modules = std::stoi(f.payload.substr(8, 2), nullptr, 16);
            // 0x359 closes the part of the set the scenarios read (0x35C follows).
            if (current.at >= since) out.push_back(current);
        } else if (f.id == "35C" && !out.empty() && out.back().at == current.at) {
            out.back().flags = f.payload.substr(0, 2);
        }
    }
    return out;
}

FrameSet Bridge::latest() const {
    const auto sets = sets_since(0);
    return sets.empty() ? FrameSet{} : sets.back();
}

std::string Bridge::log() const {
    return daemon_->stderr_text();
}

int Bridge::log_count(const std::string& needle) const {
    return occurrences(log(), needle);
}

nlohmann::json Bridge::status() const {
    std::ifstream in(dir_.path / "status.json");
    if (!in) return nullptr;
    try {
        return nlohmann::json::parse(in);
    } catch (const std::exception&) {
        return nullptr;  // replaced atomically, so only before the first write
    }
}

nlohmann::json Bridge::pack_status(int address) const {
    const auto s = status();
    if (s.is_null()) return nullptr;
    for (const auto& p : s["packs"]) {
        if (p["address"] == address) return p;
    }
    return nullptr;
}

double wall_now() {
    return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}

bool eventually(const std::function<bool()>& done, std::chrono::milliseconds timeout) {
    const auto until = std::chrono::steady_clock::now() + timeout;
    while (!done()) {
        if (std::chrono::steady_clock::now() > until) return false;
        std::this_thread::sleep_for(50ms);
    }
    return true;
}

int occurrences(const std::string& text, const std::string& needle) {
    int n = 0;
    for (auto at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1))
        ++n;
    return n;
}

}  // namespace packbridge::testing
