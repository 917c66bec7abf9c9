// SPDX-License-Identifier: Apache-2.0
// The status document. Written as text straight from the snapshot (util::JsonWriter): it is
// produced every second, and building an nlohmann DOM first cost most of the daemon's steady
// CPU (docs/performance.md). to_json() parses that same text for the consumers that want a DOM.
#include <array>
#include <chrono>

#include "packbridge/bank/reasons.hpp"
#include "packbridge/status/status.hpp"
#include "packbridge/util/json_writer.hpp"

namespace packbridge::status {
namespace {

using util::JsonWriter;

// Milliseconds resolution is plenty for a human and keeps the file stable.
double seconds(Duration d) {
    return static_cast<double>(std::chrono::duration_cast<milliseconds>(d).count()) / 1000.0;
}

void location(JsonWriter& w, JsonWriter::Name name, const Location& l) {
    w.key(name).begin_object();
    w.field("pack", l.pack).field("index", l.index).field("global", l.global);
    w.end_object();
}

void limit(JsonWriter& w, JsonWriter::Name key, const char* name, const Limit& l, bool is_voltage) {
    w.key(key).begin_object();
    is_voltage ? w.key("value_mv") : w.key("value_ma");
    w.value(l.value);
    w.field("text", bank::to_string(name, l, is_voltage));
    w.key("reasons").begin_array();
    for (const LimitReason& r : l.reasons) {
        w.begin_object();
        w.field("kind", bank::to_string(r.kind)).field("side", bank::to_string(r.side));
        w.field("value", r.value).field("text", to_string(r, is_voltage));
        w.key("pack");
        r.pack == 0xFF ? w.null() : w.value(r.pack);
        w.key("cell");
        r.cell == 0 ? w.null() : w.value(r.cell);
        w.end_object();
    }
    w.end_array();
    w.end_object();
}

// The battery and each pack's "values" share these fields, with the same names and meaning:
// written once so the two cannot drift apart. Templates because Battery and Module are separate
// types that only have these members in common.
template <class Values>
void measured(JsonWriter& w, const Values& v) {
    w.field("voltage_mv", v.voltage_mv).field("current_ma", v.current_ma);
    w.field("soc_centi", v.soc_centi);
    // Unknown when the pack (for the battery: every counted pack) reports neither an SOH nor a
    // design capacity; the frames then carry kSohUnknownFallbackCenti.
    w.key("soh_centi");
    v.soh_known ? w.value(v.soh_centi) : w.null();
    w.field("remaining_mah", v.remaining_mah).field("full_mah", v.full_mah);
    w.field("design_mah", v.design_mah).field("cycles", v.cycles);
}
template <class Values>
void alarms(JsonWriter& w, const Values& v) {
    w.field("warnings", alarm_names(v.warnings)).field("protections", alarm_names(v.protections));
}

void battery(JsonWriter& w, const Battery& b) {
    w.key("battery").begin_object();
    w.field("safe_state", b.safe_state).field("transmit", b.transmit);
    w.field("packs_counted", b.packs_counted).field("packs_known", b.packs_known);
    measured(w, b);

    w.key("temperature").begin_object();
    w.field("min_dc", b.temp_min_dc);
    location(w, "min_at", b.temp_min_at);
    w.field("max_dc", b.temp_max_dc);
    location(w, "max_at", b.temp_max_at);
    w.field("mean_dc", b.temp_mean_dc);
    w.key("mosfet_max_dc");
    b.has_mosfet_temp ? w.value(b.mosfet_temp_max_dc) : w.null();
    w.key("ambient_dc");
    b.has_ambient_temp ? w.value(b.ambient_temp_dc) : w.null();
    w.end_object();

    w.key("cells").begin_object();
    w.field("min_mv", b.cell_min_mv);
    location(w, "min_at", b.cell_min_at);
    w.field("max_mv", b.cell_max_mv);
    location(w, "max_at", b.cell_max_at);
    w.field("spread_mv", b.cell_max_mv - b.cell_min_mv);
    w.field("total", b.cells_total).field("per_module", b.cells_per_module);
    w.end_object();

    w.key("limits").begin_object();
    limit(w, "cvl", "CVL", b.charge_voltage, true);
    limit(w, "dvl", "DVL", b.discharge_voltage, true);
    limit(w, "ccl", "CCL", b.charge_current, false);
    limit(w, "dcl", "DCL", b.discharge_current, false);
    w.end_object();

    w.key("flags").begin_object();
    w.field("charge_enable", b.charge_enable).field("discharge_enable", b.discharge_enable);
    w.field("force_charge", b.force_charge);
    w.field("full_charge_request", b.full_charge_request);
    w.end_object();
    alarms(w, b);
    w.end_object();
}

void module_values(JsonWriter& w, const Module& m) {
    w.begin_object();
    measured(w, m);
    w.field("cell_mv", m.cell_mv).field("cell_temp_dc", m.cell_temp_dc);
    w.field("charge_mosfet_on", m.charge_mosfet_on);
    w.field("discharge_mosfet_on", m.discharge_mosfet_on);
    w.field("balancing_mask", m.balancing_mask);
    alarms(w, m);
    w.key("mosfet_temp_dc");
    m.has_mosfet_temp ? w.value(m.mosfet_temp_dc) : w.null();
    w.end_object();
}

void pack(JsonWriter& w, const Snapshot& s, std::uint8_t addr, const PackHealth& h,
          const Module* module) {
    w.begin_object();
    w.field("address", addr).field("counted", module != nullptr).field("online", h.online);
    w.field("consecutive_misses", h.consecutive_misses);
    w.field("polls", h.polls).field("replies", h.replies).field("timeouts", h.timeouts);
    w.field("checksum_errors", h.checksum_errors).field("error_replies", h.error_replies);
    w.field("wrong_address", h.wrong_address).field("garbled", h.garbled);
    w.key("last_latency_ms");
    h.last_latency ? w.value(std::chrono::duration_cast<milliseconds>(*h.last_latency).count())
                   : w.null();
    w.key("last_seen_age_s");
    h.last_seen ? w.value(seconds(s.now - *h.last_seen)) : w.null();
    w.key("reading_age_s");
    const auto at = s.reading_at.find(addr);
    at != s.reading_at.end() ? w.value(seconds(s.now - at->second)) : w.null();
    // What the pack is: its family (from the poller's identification) and what its identity
    // replies said; null before they are read. Empty strings are fields the family lacks.
    w.key("identity");
    if (const auto id = s.identities.find(addr); id != s.identities.end()) {
        w.begin_object();
        w.field("family", id->second.family).field("model", id->second.model);
        w.field("firmware", id->second.firmware).field("serial", id->second.serial);
        w.end_object();
    } else {
        w.null();
    }
    w.key("values");
    module != nullptr ? module_values(w, *module) : void(w.null());
    w.end_object();
}

}  // namespace

void write_text(const Snapshot& s, std::string& out) {
    out.clear();
    JsonWriter w(out);
    w.begin_object();
    w.field("schema", kSchemaVersion).field("version", s.version).field("pid", s.pid);

    w.key("bus").begin_object();
    w.field("mode", s.bus_mode).field("device", s.bus_device);
    w.field("requests_sent", s.bus.requests_sent).field("sweeps", s.bus.sweeps);
    w.field("foreign_requests", s.bus.foreign_requests);
    w.field("unattributed", s.bus.unattributed).field("noise_bytes", s.bus.noise_bytes);
    w.end_object();

    w.key("inverter").begin_object();
    w.field("link", s.inverter.link).field("protocol", s.inverter.protocol);
    w.field("state", s.inverter.state).field("frames_sent", s.inverter.frames_sent);
    w.field("frames_received", s.inverter.frames_received).field("errors", s.inverter.errors);
    w.field("detail", s.inverter.detail);
    w.key("since_heard_s");
    s.inverter.since_heard ? w.value(seconds(*s.inverter.since_heard)) : w.null();
    w.end_object();

    battery(w, s.battery);

    // Every pack the poller knows, plus any counted pack it did not list (defensive), in
    // address order.
    std::array<const Module*, 256> modules{};
    for (const Module& m : s.battery.modules)
        modules[m.address] = &m;
    static const PackHealth kUnknown{};
    w.key("packs").begin_array();
    auto health = s.packs.begin();
    for (unsigned a = 0; a < modules.size(); ++a) {
        const auto addr = static_cast<std::uint8_t>(a);
        const bool known = health != s.packs.end() && health->first == addr;
        if (known || modules[a] != nullptr)
            pack(w, s, addr, known ? health->second : kUnknown, modules[a]);
        if (known) ++health;
    }
    w.end_array();
    w.end_object();
}

std::string to_text(const Snapshot& s) {
    std::string out;
    write_text(s, out);
    return out;
}

nlohmann::json to_json(const Snapshot& s) {
    return nlohmann::json::parse(to_text(s));
}

}  // namespace packbridge::status
