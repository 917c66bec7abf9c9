// SPDX-License-Identifier: Apache-2.0
#include <chrono>

#include "packbridge/bank/reasons.hpp"
#include "packbridge/status/status.hpp"

namespace packbridge::status {
namespace {

using nlohmann::json;

json seconds_json(Duration d) {
    // Milliseconds resolution is plenty for a human and keeps the file stable.
    return static_cast<double>(std::chrono::duration_cast<milliseconds>(d).count()) / 1000.0;
}

json location(const Location& l) {
    return {{"pack", l.pack}, {"index", l.index}, {"global", l.global}};
}

json limit(const char* name, const Limit& l, bool is_voltage) {
    json reasons = json::array();
    for (const LimitReason& r : l.reasons) {
        json j = {{"kind", bank::to_string(r.kind)},
                  {"side", bank::to_string(r.side)},
                  {"value", r.value},
                  {"text", to_string(r, is_voltage)}};
        j["pack"] = r.pack == 0xFF ? json(nullptr) : json(r.pack);
        j["cell"] = r.cell == 0 ? json(nullptr) : json(r.cell);
        reasons.push_back(std::move(j));
    }
    return {{is_voltage ? "value_mv" : "value_ma", l.value},
            {"text", bank::to_string(name, l, is_voltage)},
            {"reasons", std::move(reasons)}};
}

json battery(const Battery& b) {
    json j;
    j["safe_state"] = b.safe_state;
    j["transmit"] = b.transmit;
    j["packs_counted"] = b.packs_counted;
    j["packs_known"] = b.packs_known;
    j["voltage_mv"] = b.voltage_mv;
    j["current_ma"] = b.current_ma;
    j["soc_centi"] = b.soc_centi;
    // Unknown when no counted pack reports an SOH or a design capacity (the frames then carry
    // kSohUnknownFallbackCenti).
    j["soh_centi"] = b.soh_known ? json(b.soh_centi) : json(nullptr);
    j["remaining_mah"] = b.remaining_mah;
    j["full_mah"] = b.full_mah;
    j["design_mah"] = b.design_mah;
    j["cycles"] = b.cycles;
    j["temperature"] = {{"min_dc", b.temp_min_dc},
                        {"min_at", location(b.temp_min_at)},
                        {"max_dc", b.temp_max_dc},
                        {"max_at", location(b.temp_max_at)},
                        {"mean_dc", b.temp_mean_dc}};
    j["temperature"]["mosfet_max_dc"] =
        b.has_mosfet_temp ? json(b.mosfet_temp_max_dc) : json(nullptr);
    j["temperature"]["ambient_dc"] = b.has_ambient_temp ? json(b.ambient_temp_dc) : json(nullptr);
    j["cells"] = {{"min_mv", b.cell_min_mv},
                  {"min_at", location(b.cell_min_at)},
                  {"max_mv", b.cell_max_mv},
                  {"max_at", location(b.cell_max_at)},
                  {"spread_mv", b.cell_max_mv - b.cell_min_mv},
                  {"total", b.cells_total},
                  {"per_module", b.cells_per_module}};
    j["limits"] = {{"cvl", limit("CVL", b.charge_voltage, true)},
                   {"dvl", limit("DVL", b.discharge_voltage, true)},
                   {"ccl", limit("CCL", b.charge_current, false)},
                   {"dcl", limit("DCL", b.discharge_current, false)}};
    j["flags"] = {{"charge_enable", b.charge_enable},
                  {"discharge_enable", b.discharge_enable},
                  {"force_charge", b.force_charge},
                  {"full_charge_request", b.full_charge_request}};
    j["warnings"] = alarm_names(b.warnings);
    j["protections"] = alarm_names(b.protections);
    return j;
}

json module_values(const Module& m) {
    json j = {{"voltage_mv", m.voltage_mv},
              {"current_ma", m.current_ma},
              {"soc_centi", m.soc_centi},
              {"soh_centi", m.soh_known ? json(m.soh_centi) : json(nullptr)},
              {"remaining_mah", m.remaining_mah},
              {"full_mah", m.full_mah},
              {"design_mah", m.design_mah},
              {"cycles", m.cycles},
              {"cell_mv", m.cell_mv},
              {"cell_temp_dc", m.cell_temp_dc},
              {"charge_mosfet_on", m.charge_mosfet_on},
              {"discharge_mosfet_on", m.discharge_mosfet_on},
              {"balancing_mask", m.balancing_mask},
              {"warnings", alarm_names(m.warnings)},
              {"protections", alarm_names(m.protections)}};
    j["mosfet_temp_dc"] = m.has_mosfet_temp ? json(m.mosfet_temp_dc) : json(nullptr);
    return j;
}

}  // namespace

nlohmann::json to_json(const Snapshot& s) {
    json j;
    j["schema"] = kSchemaVersion;
    j["version"] = s.version;
    j["pid"] = s.pid;
    j["bus"] = {{"mode", s.bus_mode},
                {"device", s.bus_device},
                {"requests_sent", s.bus.requests_sent},
                {"sweeps", s.bus.sweeps},
                {"foreign_requests", s.bus.foreign_requests},
                {"unattributed", s.bus.unattributed},
                {"noise_bytes", s.bus.noise_bytes}};
    json inv = {{"link", s.inverter.link},
                {"protocol", s.inverter.protocol},
                {"state", s.inverter.state},
                {"frames_sent", s.inverter.frames_sent},
                {"frames_received", s.inverter.frames_received},
                {"errors", s.inverter.errors},
                {"detail", s.inverter.detail}};
    inv["since_heard_s"] =
        s.inverter.since_heard ? seconds_json(*s.inverter.since_heard) : json(nullptr);
    j["inverter"] = std::move(inv);
    j["battery"] = battery(s.battery);

    // Every pack the poller knows, plus any counted pack it did not list (defensive).
    std::map<std::uint8_t, const Module*> modules;
    for (const Module& m : s.battery.modules)
        modules[m.address] = &m;
    std::map<std::uint8_t, PackHealth> all = s.packs;
    for (const auto& [addr, m] : modules)
        all.try_emplace(addr);

    json packs = json::array();
    for (const auto& [addr, h] : all) {
        json p = {{"address", addr},
                  {"counted", modules.count(addr) > 0},
                  {"online", h.online},
                  {"consecutive_misses", h.consecutive_misses},
                  {"polls", h.polls},
                  {"replies", h.replies},
                  {"timeouts", h.timeouts},
                  {"checksum_errors", h.checksum_errors},
                  {"error_replies", h.error_replies},
                  {"wrong_address", h.wrong_address},
                  {"garbled", h.garbled}};
        p["last_latency_ms"] =
            h.last_latency ? json(std::chrono::duration_cast<milliseconds>(*h.last_latency).count())
                           : json(nullptr);
        p["last_seen_age_s"] = h.last_seen ? seconds_json(s.now - *h.last_seen) : json(nullptr);
        const auto at = s.reading_at.find(addr);
        p["reading_age_s"] =
            at != s.reading_at.end() ? seconds_json(s.now - at->second) : json(nullptr);
        // What the pack is: its family (from the poller's identification) and what its identity
        // replies said; null before they are read. Empty strings are fields the family lacks.
        const auto id = s.identities.find(addr);
        p["identity"] = id != s.identities.end() ? json{{"family", id->second.family},
                                                        {"model", id->second.model},
                                                        {"firmware", id->second.firmware},
                                                        {"serial", id->second.serial}}
                                                 : json(nullptr);
        const auto m = modules.find(addr);
        p["values"] = m != modules.end() ? module_values(*m->second) : json(nullptr);
        packs.push_back(std::move(p));
    }
    j["packs"] = std::move(packs);
    return j;
}

}  // namespace packbridge::status
