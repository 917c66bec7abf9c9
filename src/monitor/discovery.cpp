// SPDX-License-Identifier: Apache-2.0
// Home Assistant MQTT discovery: one device for the gateway, one per pack (via_device the
// gateway). unique_ids are built from the topic prefix, the pack address and the value's key,
// never from anything that changes between runs, so HA keeps its history across restarts.
#include <algorithm>
#include <initializer_list>
#include <iterator>
#include <string>

#include "packbridge/monitor/payloads.hpp"

namespace packbridge::monitor {
namespace {

using nlohmann::json;

struct Entity {
    const char* component;  // "sensor" | "binary_sensor"
    const char* key;        // object id suffix and unique_id suffix
    const char* name;
    std::string value;  // Jinja path into the state JSON
    const char* device_class = nullptr;
    const char* unit = nullptr;
    const char* state_class = nullptr;
    bool diagnostic = false;
    bool enabled = true;
    bool link = false;  // link health: available while the gateway is, even for a lost pack
};

std::string value_template(const Entity& e) {
    if (std::string_view(e.component) == "binary_sensor")
        return "{{ 'ON' if value_json." + e.value + " else 'OFF' }}";
    return "{{ value_json." + e.value + " }}";
}

json gateway_device(const Identity& id) {
    return {{"identifiers", json::array({id.device_id})},
            {"name", id.name},
            {"manufacturer", "packbridge"},
            {"model", "LiFePO4 multi-pack gateway"},
            {"sw_version", id.version}};
}

json pack_device(const Identity& id, unsigned address) {
    const std::string a = std::to_string(address);
    return {{"identifiers", json::array({id.device_id + "_pack" + a})},
            {"name", id.name + " pack " + a},
            {"manufacturer", "packbridge"},
            {"model", "LiFePO4 pack at bus address " + a},
            {"via_device", id.device_id}};
}

Message config_message(const Identity& id, const Entity& e, const std::string& object,
                       const json& device, const std::string& topic, const json& availability) {
    json c;
    c["name"] = e.name;
    c["unique_id"] = id.device_id + "_" + object;
    c["object_id"] = id.device_id + "_" + object;
    c["state_topic"] = topic;
    c["value_template"] = value_template(e);
    if (availability.is_string()) {
        c["availability_topic"] = availability;
    } else {
        c["availability"] = availability;
        c["availability_mode"] = "all";
    }
    c["device"] = device;
    if (e.device_class) c["device_class"] = e.device_class;
    if (e.unit) c["unit_of_measurement"] = e.unit;
    if (e.state_class) c["state_class"] = e.state_class;
    if (e.diagnostic) c["entity_category"] = "diagnostic";
    if (!e.enabled) c["enabled_by_default"] = false;
    return {id.discovery_prefix + "/" + e.component + "/" + id.device_id + "/" + object + "/config",
            c.dump(), true};
}

// The measures the bank and every pack both publish, first in both lists, then `own`.
std::vector<Entity> after_common_measures(std::initializer_list<Entity> own) {
    std::vector<Entity> list = {
        {"sensor", "voltage", "Voltage", "voltage_v", "voltage", "V", "measurement"},
        {"sensor", "current", "Current", "current_a", "current", "A", "measurement"},
        {"sensor", "power", "Power", "power_w", "power", "W", "measurement"},
        {"sensor", "soc", "State of charge", "soc_pct", "battery", "%", "measurement"},
        {"sensor", "soh", "State of health", "soh_pct", nullptr, "%", "measurement"},
        {"sensor", "remaining", "Remaining capacity", "remaining_ah", nullptr, "Ah", "measurement"},
        {"sensor", "full", "Full capacity", "full_ah", nullptr, "Ah", "measurement"},
        {"sensor", "cycles", "Cycles", "cycles", nullptr, nullptr, "measurement", true},
        {"sensor", "cell_min", "Lowest cell", "cell_min_v", "voltage", "V", "measurement"},
        {"sensor", "cell_max", "Highest cell", "cell_max_v", "voltage", "V", "measurement"},
        {"sensor", "cell_spread", "Cell spread", "cell_spread_mv", "voltage", "mV", "measurement"},
    };
    list.insert(list.end(), own);
    return list;
}

const std::vector<Entity>& bank_entities() {
    static const std::vector<Entity> list = after_common_measures({
        {"sensor", "cell_min_pack", "Lowest cell pack", "cell_min_pack", nullptr, nullptr, nullptr,
         true},
        {"sensor", "cell_max_pack", "Highest cell pack", "cell_max_pack", nullptr, nullptr, nullptr,
         true},
        {"sensor", "temp_min", "Lowest temperature", "temp_min_c", "temperature", "°C",
         "measurement"},
        {"sensor", "temp_max", "Highest temperature", "temp_max_c", "temperature", "°C",
         "measurement"},
        {"sensor", "temp_mean", "Mean temperature", "temp_mean_c", "temperature", "°C",
         "measurement"},
        {"sensor", "cvl", "Charge voltage limit", "cvl_v", "voltage", "V", "measurement"},
        {"sensor", "dvl", "Discharge voltage limit", "dvl_v", "voltage", "V", "measurement"},
        {"sensor", "ccl", "Charge current limit", "ccl_a", "current", "A", "measurement"},
        {"sensor", "dcl", "Discharge current limit", "dcl_a", "current", "A", "measurement"},
        {"sensor", "cvl_reason", "Charge voltage limit reason", "cvl_reason"},
        {"sensor", "dvl_reason", "Discharge voltage limit reason", "dvl_reason"},
        {"sensor", "ccl_reason", "Charge current limit reason", "ccl_reason"},
        {"sensor", "dcl_reason", "Discharge current limit reason", "dcl_reason"},
        {"sensor", "warnings", "Warnings", "warnings_text"},
        {"sensor", "protections", "Protections", "protections_text"},
        {"sensor", "packs_counted", "Packs counted", "packs_counted", nullptr, nullptr,
         "measurement"},
        {"sensor", "packs_present", "Packs present", "packs_present", nullptr, nullptr,
         "measurement"},
        {"sensor", "inverter_state", "Inverter link", "inverter.state", nullptr, nullptr, nullptr,
         true},
        {"sensor", "inverter_frames_sent", "Inverter frames sent", "inverter.frames_sent", nullptr,
         nullptr, "total_increasing", true},
        {"sensor", "inverter_errors", "Inverter send errors", "inverter.errors", nullptr, nullptr,
         "total_increasing", true},
        {"binary_sensor", "charge_enable", "Charge enabled", "charge_enable", "power"},
        {"binary_sensor", "discharge_enable", "Discharge enabled", "discharge_enable", "power"},
        {"binary_sensor", "force_charge", "Force charge", "force_charge"},
        {"binary_sensor", "safe_state", "Safe state", "safe_state", "problem"},
        {"binary_sensor", "warning", "Warning", "warning", "problem"},
        {"binary_sensor", "protection", "Protection", "protection", "problem"},
    });
    return list;
}

const std::vector<Entity>& pack_entities() {
    static const std::vector<Entity> list = after_common_measures({
        {"sensor", "mosfet_temp", "MOSFET temperature", "mosfet_temp_c", "temperature", "°C",
         "measurement"},
        {"sensor", "warnings", "Warnings", "warnings_text"},
        {"sensor", "protections", "Protections", "protections_text"},
        {"binary_sensor", "charge_mosfet", "Charge MOSFET", "charge_mosfet_on", "power"},
        {"binary_sensor", "discharge_mosfet", "Discharge MOSFET", "discharge_mosfet_on", "power"},
        {"binary_sensor", "warning", "Warning", "warning", "problem"},
        {"binary_sensor", "protection", "Protection", "protection", "problem"},
        // Link health: what the bus sees of the pack, meaningful exactly when it is lost.
        {"binary_sensor", "online", "Online", "link.online", "connectivity", nullptr, nullptr, true,
         true, true},
        {"sensor", "polls", "Polls", "link.polls", nullptr, nullptr, "total_increasing", true, true,
         true},
        {"sensor", "replies", "Replies", "link.replies", nullptr, nullptr, "total_increasing", true,
         true, true},
        {"sensor", "timeouts", "Timeouts", "link.timeouts", nullptr, nullptr, "total_increasing",
         true, true, true},
        {"sensor", "crc_errors", "CRC errors", "link.crc_errors", nullptr, nullptr,
         "total_increasing", true, true, true},
        {"sensor", "latency", "Reply latency", "link.latency_ms", "duration", "ms", "measurement",
         true, true, true},
        {"sensor", "last_seen", "Last answer age", "link.last_seen_age_s", "duration", "s",
         "measurement", true, true, true},
    });
    return list;
}

}  // namespace

bool update_shapes(PackShapes& shapes, const json& status) {
    bool changed = false;
    for (const auto& p : status.at("packs")) {
        const auto address = p.at("address").get<unsigned>();
        auto [it, added] = shapes.try_emplace(address);
        changed = changed || added;
        if (!pack_available(p)) continue;
        const auto cells = p["values"].value("cell_mv", json::array()).size();
        const auto temps = p["values"].value("cell_temp_dc", json::array()).size();
        if (cells > it->second.cells || temps > it->second.temps) {
            it->second.cells = std::max(cells, it->second.cells);
            it->second.temps = std::max(temps, it->second.temps);
            changed = true;
        }
    }
    return changed;
}

std::vector<Message> gateway_discovery(const Identity& id) {
    std::vector<Message> out;
    if (id.discovery_prefix.empty()) return out;
    const json gateway = gateway_device(id);
    for (const Entity& e : bank_entities())
        out.push_back(
            config_message(id, e, e.key, gateway, state_topic(id), json(availability_topic(id))));
    return out;
}

std::vector<Message> pack_discovery(const Identity& id, unsigned address, const PackShape& shape) {
    std::vector<Message> out;
    if (id.discovery_prefix.empty()) return out;
    const std::string gateway_availability = availability_topic(id);
    const json device = pack_device(id, address);
    const std::string topic = pack_topic(id, address, "state");
    const json both = json::array(
        {{{"topic", gateway_availability}}, {{"topic", pack_topic(id, address, "availability")}}});
    const std::string prefix = "pack" + std::to_string(address) + "_";
    for (const Entity& e : pack_entities())
        out.push_back(config_message(id, e, prefix + e.key, device, topic,
                                     e.link ? json(gateway_availability) : both));
    // One sensor per cell and per temperature probe: present for every pack, disabled by
    // default (16 packs x 16 cells is 256 entities; enable the ones you chart).
    for (std::size_t i = 0; i < shape.cells; ++i) {
        const std::string n = std::to_string(i + 1);
        const std::string key = "cell" + n;
        const std::string name = "Cell " + n;
        Entity e{"sensor",  key.c_str(), name.c_str(), "cells_v[" + std::to_string(i) + "]",
                 "voltage", "V",         "measurement"};
        e.enabled = false;
        out.push_back(config_message(id, e, prefix + key, device, topic, both));
    }
    for (std::size_t i = 0; i < shape.temps; ++i) {
        const std::string n = std::to_string(i + 1);
        const std::string key = "temp" + n;
        const std::string name = "Temperature " + n;
        Entity e{"sensor",      key.c_str(), name.c_str(), "temps_c[" + std::to_string(i) + "]",
                 "temperature", "°C",        "measurement"};
        e.enabled = false;
        out.push_back(config_message(id, e, prefix + key, device, topic, both));
    }
    return out;
}

std::vector<Message> discovery(const Identity& id, const PackShapes& shapes) {
    std::vector<Message> out = gateway_discovery(id);
    for (const auto& [address, shape] : shapes) {
        auto pack = pack_discovery(id, address, shape);
        std::move(pack.begin(), pack.end(), std::back_inserter(out));
    }
    return out;
}

}  // namespace packbridge::monitor
