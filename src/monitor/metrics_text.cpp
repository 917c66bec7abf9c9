// SPDX-License-Identifier: Apache-2.0
// Prometheus exposition from the status JSON. Base units as Prometheus asks (volts, amperes,
// celsius, seconds); counters end in _total; one HELP and TYPE per family, its samples after.
#include "packbridge/monitor/metrics_text.hpp"

#include <cstdio>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace packbridge::monitor {
namespace {

using nlohmann::json;

std::string number(const json& v, double divisor) {
    if (v.is_boolean()) return v.get<bool>() ? "1" : "0";
    if (!v.is_number()) return "NaN";
    if (divisor == 1 && v.is_number_integer()) return v.dump();
    char buf[40];
    std::snprintf(buf, sizeof buf, "%.10g", v.get<double>() / divisor);
    return buf;
}

// Label values are escaped as the format requires: backslash, quote, newline.
std::string escape(std::string_view s) {
    std::string out;
    for (char c : s) {
        if (c == '\\' || c == '"') out.push_back('\\');
        if (c == '\n') {
            out += "\\n";
            continue;
        }
        out.push_back(c);
    }
    return out;
}

class Writer {
  public:
    // Starts a family; its samples follow with sample().
    void family(std::string_view name, std::string_view type, std::string_view help) {
        name_ = name;
        out_.append("# HELP ").append(name).append(" ").append(help).append("\n");
        out_.append("# TYPE ").append(name).append(" ").append(type).append("\n");
    }
    void sample(const std::string& labels, const std::string& value) {
        out_.append(name_);
        if (!labels.empty()) out_.append("{").append(labels).append("}");
        out_.append(" ").append(value).append("\n");
    }
    // A family with one unlabelled sample; nothing when the value is null (not measured).
    void single(std::string_view name, std::string_view type, std::string_view help, const json& v,
                double divisor = 1) {
        family(name, type, help);
        if (!v.is_null()) sample("", number(v, divisor));
    }
    [[nodiscard]] std::string take() { return std::move(out_); }

  private:
    std::string out_;
    std::string name_;
};

std::string label(std::string_view name, std::string_view value) {
    return std::string(name) + "=\"" + escape(value) + "\"";
}

// Per-pack families: one sample per pack whose values are known.
struct PackValue {
    const char* name;
    const char* type;
    const char* help;
    const char* key;  // in "values"
    double divisor;
};

struct PackCounter {
    const char* name;
    const char* help;
    const char* key;  // in the pack object itself
};

}  // namespace

std::string metrics_text(const json& status) {
    Writer w;
    const json& b = status.at("battery");
    w.family("packbridge_info", "gauge", "packbridge build, inverter protocol and link (always 1)");
    w.sample(label("version", status.value("version", "")) + "," +
                 label("protocol", status["inverter"].value("protocol", "")) + "," +
                 label("link", status["inverter"].value("link", "")),
             "1");

    w.single("packbridge_bank_voltage_volts", "gauge", "Bank voltage", b["voltage_mv"], 1000);
    w.single("packbridge_bank_current_amperes", "gauge", "Bank current (positive = charging)",
             b["current_ma"], 1000);
    w.single("packbridge_bank_soc_percent", "gauge", "Bank state of charge", b["soc_centi"], 100);
    w.single("packbridge_bank_soh_percent", "gauge", "Bank state of health", b["soh_centi"], 100);
    w.single("packbridge_bank_remaining_ah", "gauge", "Remaining capacity", b["remaining_mah"],
             1000);
    w.single("packbridge_bank_full_ah", "gauge", "Full-charge capacity", b["full_mah"], 1000);
    w.single("packbridge_bank_cycles", "gauge", "Charge cycles", b["cycles"]);
    w.single("packbridge_bank_packs_counted", "gauge", "Packs whose readings count",
             b["packs_counted"]);
    w.single("packbridge_bank_packs_known", "gauge", "Packs the bank knows", b["packs_known"]);
    w.single("packbridge_bank_safe_state", "gauge", "1 while the inverter gets safe-state values",
             b["safe_state"]);

    w.family("packbridge_bank_cell_volts", "gauge", "Lowest and highest cell of the bank");
    for (const char* which : {"min", "max"}) {
        const json& at = b["cells"][std::string(which) + "_at"];
        w.sample(label("which", which) + "," + label("pack", at["pack"].dump()) + "," +
                     label("cell", at["index"].dump()),
                 number(b["cells"][std::string(which) + "_mv"], 1000));
    }
    w.family("packbridge_bank_temperature_celsius", "gauge", "Bank cell temperatures");
    for (const char* which : {"min", "max", "mean"})
        w.sample(label("which", which), number(b["temperature"][std::string(which) + "_dc"], 10));

    w.family("packbridge_bank_limit_volts", "gauge", "Voltage limits sent to the inverter");
    for (const char* l : {"cvl", "dvl"})
        w.sample(label("limit", l), number(b["limits"][l]["value_mv"], 1000));
    w.family("packbridge_bank_limit_amperes", "gauge", "Current limits sent to the inverter");
    for (const char* l : {"ccl", "dcl"})
        w.sample(label("limit", l), number(b["limits"][l]["value_ma"], 1000));
    w.family("packbridge_bank_limit_reason", "gauge",
             "Why each limit has its value (1 per binding reason)");
    std::set<std::string> reason_labels;  // a sample per label set: the same rule twice is one
    for (const char* l : {"cvl", "dvl", "ccl", "dcl"}) {
        for (const auto& r : b["limits"][l]["reasons"]) {
            std::string labels = label("limit", l) + "," + label("kind", r.value("kind", "")) +
                                 "," + label("pack", r["pack"].is_null() ? "" : r["pack"].dump()) +
                                 "," + label("cell", r["cell"].is_null() ? "" : r["cell"].dump());
            if (reason_labels.insert(labels).second) w.sample(labels, "1");
        }
    }
    w.family("packbridge_bank_flag", "gauge", "Charge/discharge enable and request flags");
    for (const auto& [flag, value] : b["flags"].items())
        w.sample(label("flag", flag), number(value, 1));
    w.family("packbridge_bank_alarm", "gauge", "Active bank alarms (1 per active alarm)");
    for (const char* kind : {"warnings", "protections"})
        for (const auto& a : b[kind])
            w.sample(
                label("kind", std::string_view(kind).substr(0, std::string_view(kind).size() - 1)) +
                    "," + label("alarm", a.get<std::string>()),
                "1");

    const json& packs = status.at("packs");
    const auto pack_label = [](const json& p) { return label("pack", p["address"].dump()); };
    w.family("packbridge_pack_online", "gauge", "1 while the pack answers on the bus");
    for (const auto& p : packs)
        w.sample(pack_label(p), number(p["online"], 1));
    w.family("packbridge_pack_counted", "gauge", "1 while the pack's readings count in the bank");
    for (const auto& p : packs)
        w.sample(pack_label(p), number(p["counted"], 1));

    static const PackValue values[] = {
        {"packbridge_pack_voltage_volts", "gauge", "Pack voltage", "voltage_mv", 1000},
        {"packbridge_pack_current_amperes", "gauge", "Pack current", "current_ma", 1000},
        {"packbridge_pack_soc_percent", "gauge", "Pack state of charge", "soc_centi", 100},
        {"packbridge_pack_soh_percent", "gauge", "Pack state of health", "soh_centi", 100},
        {"packbridge_pack_remaining_ah", "gauge", "Pack remaining capacity", "remaining_mah", 1000},
        {"packbridge_pack_cycles", "gauge", "Pack charge cycles", "cycles", 1},
    };
    for (const auto& v : values) {
        w.family(v.name, v.type, v.help);
        for (const auto& p : packs)
            if (p["values"].is_object())
                w.sample(pack_label(p), number(p["values"][v.key], v.divisor));
    }
    w.family("packbridge_pack_cell_volts", "gauge", "Cell voltage");
    for (const auto& p : packs) {
        if (!p["values"].is_object()) continue;
        const json& cells = p["values"]["cell_mv"];
        for (std::size_t i = 0; i < cells.size(); ++i)
            w.sample(pack_label(p) + "," + label("cell", std::to_string(i + 1)),
                     number(cells[i], 1000));
    }
    w.family("packbridge_pack_temperature_celsius", "gauge", "Pack temperature probes");
    for (const auto& p : packs) {
        if (!p["values"].is_object()) continue;
        const json& temps = p["values"]["cell_temp_dc"];
        for (std::size_t i = 0; i < temps.size(); ++i)
            w.sample(pack_label(p) + "," + label("sensor", std::to_string(i + 1)),
                     number(temps[i], 10));
        if (!p["values"]["mosfet_temp_dc"].is_null())
            w.sample(pack_label(p) + "," + label("sensor", "mosfet"),
                     number(p["values"]["mosfet_temp_dc"], 10));
    }

    static const PackCounter counters[] = {
        {"packbridge_pack_polls_total", "Requests sent to the pack", "polls"},
        {"packbridge_pack_replies_total", "Valid replies from the pack", "replies"},
        {"packbridge_pack_timeouts_total", "Requests the pack did not answer in time", "timeouts"},
        {"packbridge_pack_crc_errors_total", "Replies with a bad checksum", "checksum_errors"},
        {"packbridge_pack_error_replies_total", "Replies with an error code", "error_replies"},
    };
    for (const auto& c : counters) {
        w.family(c.name, "counter", c.help);
        for (const auto& p : packs)
            w.sample(pack_label(p), number(p[c.key], 1));
    }
    w.family("packbridge_pack_latency_seconds", "gauge", "Latency of the pack's last reply");
    for (const auto& p : packs)
        if (!p["last_latency_ms"].is_null())
            w.sample(pack_label(p), number(p["last_latency_ms"], 1000));
    w.family("packbridge_pack_last_seen_age_seconds", "gauge", "Time since the pack last answered");
    for (const auto& p : packs)
        if (!p["last_seen_age_s"].is_null())
            w.sample(pack_label(p), number(p["last_seen_age_s"], 1));

    const json& bus = status.at("bus");
    w.single("packbridge_bus_requests_total", "counter", "Requests sent on the pack bus",
             bus["requests_sent"]);
    w.single("packbridge_bus_sweeps_total", "counter", "Sweeps over the pack addresses",
             bus["sweeps"]);
    w.single("packbridge_bus_foreign_requests_total", "counter",
             "Requests on the bus from another master", bus["foreign_requests"]);
    w.single("packbridge_bus_noise_bytes_total", "counter", "Bytes outside any frame",
             bus["noise_bytes"]);

    const json& inv = status.at("inverter");
    w.single("packbridge_inverter_frames_sent_total", "counter", "Frames sent to the inverter",
             inv["frames_sent"]);
    w.single("packbridge_inverter_frames_received_total", "counter",
             "Frames received from the inverter", inv["frames_received"]);
    w.single("packbridge_inverter_send_errors_total", "counter",
             "Errors on the inverter link (send errors, bus errors)", inv["errors"]);
    w.family("packbridge_inverter_up", "gauge", "1 for the inverter line's current state");
    w.sample(label("state", inv.value("state", "")), "1");
    w.single("packbridge_inverter_since_heard_seconds", "gauge",
             "Time since the inverter last sent anything", inv["since_heard_s"]);
    return w.take();
}

}  // namespace packbridge::monitor
