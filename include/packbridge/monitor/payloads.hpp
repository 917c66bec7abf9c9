// SPDX-License-Identifier: Apache-2.0
#pragma once

// Pure renderers from the status JSON (status::to_json, the document written to status.json)
// to the MQTT payloads and the Home Assistant discovery configs. They take the very document
// the status file gets in the same tick, so what MQTT says equals status.json by construction;
// only the units change (mV -> V, mA -> A, 0.01 % -> %, 0.1 degC -> degC), as HA expects.

#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

namespace packbridge::monitor {

struct Message {
    std::string topic;
    std::string payload;
    bool retain = false;

    bool operator==(const Message&) const = default;
};

// Who publishes: fixed for the daemon's life (a reload that changes it reconnects).
struct Identity {
    std::string topic_prefix;      // "packbridge/pi"
    std::string discovery_prefix;  // "homeassistant"; "" = no discovery
    std::string device_id;         // "packbridge_pi": base of every unique_id
    std::string name;              // "packbridge pi": the gateway device's name in HA
    std::string version;
};

// "packbridge/pi" -> "packbridge_pi": letters, digits and '_' only (HA object ids, unique ids).
std::string device_id_for(std::string_view topic_prefix);
Identity make_identity(std::string_view topic_prefix, std::string_view discovery_prefix,
                       std::string_view version);

// <prefix>/state: the bank, the inverter line, the limits with their reasons.
nlohmann::json bank_state(const nlohmann::json& status);
// <prefix>/pack/<addr>/state: one element of status["packs"].
nlohmann::json pack_state(const nlohmann::json& pack);
// A pack's entities are available while it is counted (its values are in the status).
bool pack_available(const nlohmann::json& pack);

std::string availability_topic(const Identity& id);
std::string state_topic(const Identity& id);
std::string pack_topic(const Identity& id, unsigned address, std::string_view leaf);

// What discovery needs to know of a pack: how many cells and temperature sensors it reported
// (the most ever seen, so a pack that goes quiet keeps its entities, shown unavailable).
struct PackShape {
    std::size_t cells = 0;
    std::size_t temps = 0;

    bool operator==(const PackShape&) const = default;
};
using PackShapes = std::map<unsigned, PackShape>;
// Adds every pack of the status to `shapes`; returns whether anything changed.
bool update_shapes(PackShapes& shapes, const nlohmann::json& status);

// The discovery configs (retained) of the gateway device, of one pack device, and of both for
// every pack in `shapes`; empty when the discovery prefix is "".
std::vector<Message> gateway_discovery(const Identity& id);
std::vector<Message> pack_discovery(const Identity& id, unsigned address, const PackShape& shape);
std::vector<Message> discovery(const Identity& id, const PackShapes& shapes);

}  // namespace packbridge::monitor
