// SPDX-License-Identifier: Apache-2.0
// The MQTT state payloads: status JSON in, HA-friendly units out.
#include <string>

#include "packbridge/monitor/payloads.hpp"

namespace packbridge::monitor {
namespace {

using nlohmann::json;

// null stays null (a sensor the pack does not have); numbers are scaled.
json scaled(const json& v, double divisor) {
    if (!v.is_number()) return nullptr;
    return v.get<double>() / divisor;
}

json scaled_array(const json& v, double divisor) {
    json out = json::array();
    if (!v.is_array()) return out;
    for (const auto& x : v)
        out.push_back(scaled(x, divisor));
    return out;
}

json power_w(const json& mv, const json& ma) {
    if (!mv.is_number() || !ma.is_number()) return nullptr;
    // mV * mA = uW; whole watts with one decimal are what a meter shows.
    const double uw = mv.get<double>() * ma.get<double>();
    return static_cast<double>(static_cast<long long>(uw / 1e5)) / 10.0;
}

// The reasons of one limit as one line: what HA shows in its reason sensor (state <= 255).
std::string reason_line(const json& limit) {
    std::string out;
    for (const auto& r : limit.value("reasons", json::array()))
        out += (out.empty() ? "" : "; ") + r.value("text", std::string());
    if (out.empty()) out = "none";
    if (out.size() > 255) out = out.substr(0, 252) + "...";
    return out;
}

std::string alarm_line(const json& alarms) {
    std::string out;
    for (const auto& a : alarms)
        out += (out.empty() ? "" : ", ") + a.get<std::string>();
    if (out.size() > 255) out = out.substr(0, 252) + "...";
    return out.empty() ? "none" : out;
}

}  // namespace

json bank_state(const json& status) {
    const json& b = status.at("battery");
    const json& cells = b.at("cells");
    const json& t = b.at("temperature");
    const json& limits = b.at("limits");
    json j;
    j["voltage_v"] = scaled(b["voltage_mv"], 1000);
    j["current_a"] = scaled(b["current_ma"], 1000);
    j["power_w"] = power_w(b["voltage_mv"], b["current_ma"]);
    j["soc_pct"] = scaled(b["soc_centi"], 100);
    j["soh_pct"] = scaled(b["soh_centi"], 100);
    j["remaining_ah"] = scaled(b["remaining_mah"], 1000);
    j["full_ah"] = scaled(b["full_mah"], 1000);
    j["design_ah"] = scaled(b["design_mah"], 1000);
    j["cycles"] = b["cycles"];
    j["cell_min_v"] = scaled(cells["min_mv"], 1000);
    j["cell_min_pack"] = cells["min_at"]["pack"];
    j["cell_min_cell"] = cells["min_at"]["index"];
    j["cell_max_v"] = scaled(cells["max_mv"], 1000);
    j["cell_max_pack"] = cells["max_at"]["pack"];
    j["cell_max_cell"] = cells["max_at"]["index"];
    j["cell_spread_mv"] = cells["spread_mv"];
    j["cells_total"] = cells["total"];
    j["temp_min_c"] = scaled(t["min_dc"], 10);
    j["temp_max_c"] = scaled(t["max_dc"], 10);
    j["temp_mean_c"] = scaled(t["mean_dc"], 10);
    j["mosfet_temp_max_c"] = scaled(t["mosfet_max_dc"], 10);
    j["ambient_temp_c"] = scaled(t["ambient_dc"], 10);
    j["cvl_v"] = scaled(limits["cvl"]["value_mv"], 1000);
    j["dvl_v"] = scaled(limits["dvl"]["value_mv"], 1000);
    j["ccl_a"] = scaled(limits["ccl"]["value_ma"], 1000);
    j["dcl_a"] = scaled(limits["dcl"]["value_ma"], 1000);
    for (const char* l : {"cvl", "dvl", "ccl", "dcl"})
        j[std::string(l) + "_reason"] = reason_line(limits[l]);
    j["limits"] = limits;  // every reason with its kind, pack and cell, as in status.json
    for (const char* f :
         {"charge_enable", "discharge_enable", "force_charge", "full_charge_request"})
        j[f] = b["flags"][f];
    j["safe_state"] = b["safe_state"];
    j["transmit"] = b["transmit"];
    j["warnings"] = b["warnings"];
    j["protections"] = b["protections"];
    j["warning"] = !b["warnings"].empty();
    j["protection"] = !b["protections"].empty();
    j["warnings_text"] = alarm_line(b["warnings"]);
    j["protections_text"] = alarm_line(b["protections"]);
    j["packs_counted"] = b["packs_counted"];
    j["packs_known"] = b["packs_known"];
    unsigned online = 0;
    for (const auto& p : status.at("packs"))
        online += p.value("online", false) ? 1U : 0U;
    j["packs_present"] = online;
    j["inverter"] = status.at("inverter");
    j["bus"] = status.at("bus");
    return j;
}

bool pack_available(const json& pack) {
    return pack.contains("values") && pack["values"].is_object();
}

json pack_state(const json& p) {
    json j;
    j["address"] = p["address"];
    j["online"] = p["online"];
    j["counted"] = p["counted"];
    const json v = pack_available(p) ? p["values"] : json::object();
    const auto get = [&v](const char* key) { return v.contains(key) ? v[key] : json(nullptr); };
    j["voltage_v"] = scaled(get("voltage_mv"), 1000);
    j["current_a"] = scaled(get("current_ma"), 1000);
    j["power_w"] = power_w(get("voltage_mv"), get("current_ma"));
    j["soc_pct"] = scaled(get("soc_centi"), 100);
    j["soh_pct"] = scaled(get("soh_centi"), 100);
    j["remaining_ah"] = scaled(get("remaining_mah"), 1000);
    j["full_ah"] = scaled(get("full_mah"), 1000);
    j["cycles"] = get("cycles");
    j["cells_v"] = scaled_array(get("cell_mv"), 1000);
    json min = nullptr, max = nullptr;
    for (const auto& c : get("cell_mv").is_array() ? get("cell_mv") : json::array()) {
        if (min.is_null() || c < min) min = c;
        if (max.is_null() || c > max) max = c;
    }
    j["cell_min_v"] = scaled(min, 1000);
    j["cell_max_v"] = scaled(max, 1000);
    j["cell_spread_mv"] =
        min.is_null() ? json(nullptr) : json(max.get<long long>() - min.get<long long>());
    j["temps_c"] = scaled_array(get("cell_temp_dc"), 10);
    j["mosfet_temp_c"] = scaled(get("mosfet_temp_dc"), 10);
    j["charge_mosfet_on"] = get("charge_mosfet_on");
    j["discharge_mosfet_on"] = get("discharge_mosfet_on");
    j["balancing_mask"] = get("balancing_mask");
    j["warnings"] = get("warnings").is_array() ? get("warnings") : json::array();
    j["protections"] = get("protections").is_array() ? get("protections") : json::array();
    j["warning"] = !j["warnings"].empty();
    j["protection"] = !j["protections"].empty();
    j["warnings_text"] = alarm_line(j["warnings"]);
    j["protections_text"] = alarm_line(j["protections"]);
    j["link"] = {{"online", p["online"]},
                 {"last_seen_age_s", p["last_seen_age_s"]},
                 {"reading_age_s", p["reading_age_s"]},
                 {"latency_ms", p["last_latency_ms"]},
                 {"polls", p["polls"]},
                 {"replies", p["replies"]},
                 {"timeouts", p["timeouts"]},
                 {"crc_errors", p["checksum_errors"]},
                 {"error_replies", p["error_replies"]},
                 {"wrong_address", p["wrong_address"]},
                 {"garbled", p["garbled"]},
                 {"consecutive_misses", p["consecutive_misses"]}};
    return j;
}

std::string availability_topic(const Identity& id) {
    return id.topic_prefix + "/availability";
}
std::string state_topic(const Identity& id) {
    return id.topic_prefix + "/state";
}
std::string pack_topic(const Identity& id, unsigned address, std::string_view leaf) {
    return id.topic_prefix + "/pack/" + std::to_string(address) + "/" + std::string(leaf);
}

std::string device_id_for(std::string_view topic_prefix) {
    std::string out;
    for (char c : topic_prefix) {
        const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
        out.push_back(ok ? c : '_');
    }
    return out;
}

Identity make_identity(std::string_view topic_prefix, std::string_view discovery_prefix,
                       std::string_view version) {
    Identity id;
    id.topic_prefix = topic_prefix;
    id.discovery_prefix = discovery_prefix;
    id.device_id = device_id_for(topic_prefix);
    const auto slash = topic_prefix.rfind('/');
    id.name = "packbridge " + std::string(slash == std::string_view::npos
                                              ? topic_prefix
                                              : topic_prefix.substr(slash + 1));
    id.version = version;
    return id;
}

}  // namespace packbridge::monitor
