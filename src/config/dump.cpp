// SPDX-License-Identifier: Apache-2.0
#include "packbridge/config/dump.hpp"

#include <cstdio>

#include "config/sections.hpp"
#include "packbridge/catalogue.hpp"

namespace packbridge {
namespace {

nlohmann::ordered_json curve(const std::vector<TaperPoint>& points) {
    auto out = nlohmann::ordered_json::array();
    for (const auto& p : points)
        out.push_back({{"temp_c", p.temp_c}, {"factor", p.factor}});
    return out;
}

nlohmann::json optional_number(const std::optional<double>& v) {
    return v ? nlohmann::json(*v) : nlohmann::json();
}

// A section's plain settings from its table (config/sections.hpp), in the table's order.
template <class Config>
void put_fields(nlohmann::ordered_json& out, std::span<const config_detail::Field<Config>> fields,
                const Config& c) {
    for (const auto& f : fields) {
        std::visit(
            [&](auto member) {
                const auto& value = c.*member;
                if constexpr (std::is_same_v<std::decay_t<decltype(value)>, std::optional<double>>)
                    out[std::string(f.key)] = optional_number(value);
                else
                    out[std::string(f.key)] = value;
            },
            f.member);
    }
}

nlohmann::ordered_json pylon_rs485(const PylonRs485Config& p) {
    return {{"group", p.group},
            {"ver", p.ver},
            {"answer_adr0", p.answer_adr0},
            {"dcl_negative", p.dcl_negative},
            {"current_61_unit_ma", p.current_61_unit_ma},
            {"current_63_unit_ma", p.current_63_unit_ma},
            {"manufacturer", p.manufacturer},
            {"software_version", p.software_version},
            {"mainline_version", p.mainline_version},
            {"serial", p.serial},
            {"module_barcode_prefix", p.module_barcode_prefix},
            {"cell_high_mv", p.cell_high_mv},
            {"cell_low_mv", p.cell_low_mv},
            {"cell_under_mv", p.cell_under_mv},
            {"charge_temp_high_dc", p.charge_temp_high_dc},
            {"charge_temp_low_dc", p.charge_temp_low_dc},
            {"discharge_temp_high_dc", p.discharge_temp_high_dc},
            {"discharge_temp_low_dc", p.discharge_temp_low_dc}};
}

// Empty strings are "not set" and are left out, so the dump loads back to the same Config.
nlohmann::ordered_json mqtt_json(const MqttConfig& m) {
    nlohmann::ordered_json tls = nlohmann::ordered_json::object();
    for (const auto& [key, value] :
         {std::pair{"ca_file", &m.tls.ca_file}, std::pair{"cert_file", &m.tls.cert_file},
          std::pair{"key_file", &m.tls.key_file}})
        if (!value->empty()) tls[key] = *value;
    nlohmann::ordered_json out = {{"enabled", m.enabled}, {"host", m.host}, {"port", m.port}};
    if (!tls.empty()) out["tls"] = tls;
    if (!m.username.empty()) out["username"] = m.username;
    if (!m.password_file.empty()) out["password_file"] = m.password_file;
    if (!m.client_id.empty()) out["client_id"] = m.client_id;
    out["topic_prefix"] = m.topic_prefix;
    out["discovery_prefix"] = m.discovery_prefix;
    out["interval_s"] = m.interval_s;
    out["qos"] = m.qos;
    return out;
}

}  // namespace

std::string_view to_string(VoltronicLength length) {
    switch (length) {
        case VoltronicLength::words:
            return "words";
        case VoltronicLength::bytes:
            return "bytes";
        case VoltronicLength::standard:
            return "standard";
    }
    return "?";
}

std::string_view to_string(BusMode mode) {
    switch (mode) {
        case BusMode::auto_:
            return "auto";
        case BusMode::master:
            return "master";
        case BusMode::listen:
            return "listen";
    }
    return "?";
}
std::string_view to_string(PackFamilyChoice family) {
    switch (family) {
        case PackFamilyChoice::auto_:
            return "auto";
        case PackFamilyChoice::pace:
            return "pace";
        case PackFamilyChoice::seplos:
            return "seplos";
        case PackFamilyChoice::pylontech:
            return "pylontech";
        case PackFamilyChoice::eg4:
            return "eg4";
    }
    return "auto";
}
std::string_view to_string(OnCommsLoss policy) {
    return policy == OnCommsLoss::zero ? "zero" : "silence";
}
std::string_view to_string(OnPackBlock policy) {
    return policy == OnPackBlock::exclude ? "exclude" : "stop_all";
}

nlohmann::ordered_json config_to_json(const Config& c) {
    using json = nlohmann::ordered_json;
    char ver[8];
    std::snprintf(ver, sizeof ver, "0x%02X", c.bus.ver);
    json addresses = json("auto");
    if (!c.bus.auto_addresses) addresses = c.bus.addresses;
    json inverter = {
        {"link", catalogue::to_string(c.inverter.link)},
        {"protocol", catalogue::info(c.inverter.protocol).key},
        {"can",
         {{"interface", c.inverter.can.interface},
          {"bitrate", c.inverter.can.bitrate},
          {"configure", c.inverter.can.configure},
          {"restart_ms", c.inverter.can.restart_ms},
          {"period_ms", c.inverter.can.period_ms},
          {"exact_dlc", c.inverter.can.exact_dlc},
          {"poll_fallback_s", c.inverter.can.poll_fallback_s}}},
        {"rs485",
         {{"device", c.inverter.rs485.device},
          {"baud", c.inverter.rs485.baud},
          {"address", c.inverter.rs485.address ? json(*c.inverter.rs485.address) : json()},
          {"rs485_mode", c.inverter.rs485.rs485_mode},
          {"turnaround_ms", optional_number(c.inverter.rs485.turnaround_ms)},
          {"pylon", pylon_rs485(c.inverter.rs485.pylon)},
          {"voltronic", {{"length", to_string(c.inverter.rs485.voltronic.length)}}}}},
        {"alive_timeout_s", c.inverter.alive_timeout_s},
    };
    if (c.inverter.brand) inverter["brand"] = *c.inverter.brand;
    if (!c.inverter.variant.empty()) inverter["variant"] = c.inverter.variant;
    if (!c.inverter.name.empty()) inverter["name"] = c.inverter.name;
    json bus = {{"device", c.bus.device},
                {"baud", c.bus.baud},
                {"rs485_mode", c.bus.rs485_mode},
                {"addresses", addresses},
                {"mode", to_string(c.bus.mode)},
                {"family", to_string(c.bus.family)},
                {"ver", ver}};
    put_fields(bus, config_detail::bus_fields(), c.bus);
    json battery = json::object();
    put_fields(battery, config_detail::battery_fields(), c.battery);
    battery["on_comms_loss"] = to_string(c.battery.on_comms_loss);
    battery["on_pack_block"] = to_string(c.battery.on_pack_block);
    battery["charge_temperature"] = curve(c.battery.charge_temperature);
    battery["discharge_temperature"] = curve(c.battery.discharge_temperature);
    return json{
        {"bus", bus},
        {"inverter", inverter},
        {"battery", battery},
        {"log",
         {{"level", to_string(c.log.level)}, {"summary_interval_s", c.log.summary_interval_s}}},
        {"status", {{"enabled", c.status.enabled}, {"path", c.status.path}}},
        {"mqtt", mqtt_json(c.mqtt)},
        {"http",
         {{"enabled", c.metrics.enabled},
          {"listen", c.metrics.listen},
          {"history_interval_s", c.metrics.history_interval_s}}},
    };
}

}  // namespace packbridge
