// SPDX-License-Identifier: Apache-2.0
#include "cli/status_command.hpp"

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <ostream>
#include <sstream>

#include "cli/command_line.hpp"
#include "packbridge/config.hpp"
#include "packbridge/util/fixed_point.hpp"
#include "packbridge/util/read_file.hpp"

namespace packbridge::cli {
namespace {

using nlohmann::json;

// 16 packs' status is some 30 kB; anything far larger is not ours.
constexpr std::size_t kMaxStatusBytes = 1024 * 1024;

std::int64_t num(const json& j, const char* key) {
    const auto it = j.find(key);
    return it != j.end() && it->is_number() ? it->get<std::int64_t>() : 0;
}

std::string age(const json& v) {
    if (!v.is_number()) return "-";
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.1fs", v.get<double>());
    return buf;
}

std::string list_or_none(const json& arr) {
    if (!arr.is_array() || arr.empty()) return "none";
    std::string s;
    for (const auto& a : arr)
        s += (s.empty() ? "" : ", ") + a.get<std::string>();
    return s;
}

std::string where(const json& at, const char* what) {
    return "pack " + std::to_string(num(at, "pack")) + " " + what + " " +
           std::to_string(num(at, "index"));
}

std::string pad(std::string s, std::size_t width) {
    if (s.size() < width) s.append(width - s.size(), ' ');
    return s;
}

void print_table(const json& s, std::ostream& out) {
    const json& b = s.at("battery");
    const bool safe = b.value("safe_state", true);
    out << "Battery: " << (safe ? "SAFE STATE" : "ok");
    if (safe && !b.value("transmit", true)) out << " (inverter output silenced)";
    out << ", " << num(b, "packs_counted") << " of " << num(b, "packs_known") << " packs counted\n";
    out << "  " << fixed_point(num(b, "voltage_mv"), 3, 2) << " V  "
        << fixed_point(num(b, "current_ma"), 3, 1) << " A  SOC "
        << fixed_point(num(b, "soc_centi"), 2, 1) << " %  SOH "
        << (b.contains("soh_centi") && b["soh_centi"].is_number()
                ? fixed_point(num(b, "soh_centi"), 2, 1) + " %"
                : std::string("unknown"))
        << "  " << fixed_point(num(b, "remaining_mah"), 3, 1) << " / "
        << fixed_point(num(b, "full_mah"), 3, 1) << " Ah  cycles " << num(b, "cycles") << "\n";
    if (num(b, "packs_counted") > 0) {
        const json& c = b.at("cells");
        out << "  cells " << fixed_point(num(c, "min_mv"), 3, 3) << " V ("
            << where(c.at("min_at"), "cell") << ") .. " << fixed_point(num(c, "max_mv"), 3, 3)
            << " V (" << where(c.at("max_at"), "cell") << "), spread " << num(c, "spread_mv")
            << " mV, " << num(c, "total") << " cells\n";
        const json& t = b.at("temperature");
        out << "  temperature " << fixed_point(num(t, "min_dc"), 1, 1) << " .. "
            << fixed_point(num(t, "max_dc"), 1, 1) << " °C, mean "
            << fixed_point(num(t, "mean_dc"), 1, 1) << " °C";
        if (t.at("mosfet_max_dc").is_number())
            out << ", MOSFET max " << fixed_point(num(t, "mosfet_max_dc"), 1, 1) << " °C";
        out << "\n";
    }
    out << "Limits:\n";
    for (const char* k : {"cvl", "dvl", "ccl", "dcl"})
        out << "  " << b.at("limits").at(k).value("text", "") << "\n";
    const json& f = b.at("flags");
    auto onoff = [&](const char* key) { return f.value(key, false) ? "on" : "off"; };
    out << "Flags: charge " << onoff("charge_enable") << ", discharge " << onoff("discharge_enable")
        << ", force charge " << onoff("force_charge") << ", full-charge request "
        << onoff("full_charge_request") << "\n";
    out << "Alarms: protections " << list_or_none(b.at("protections")) << "; warnings "
        << list_or_none(b.at("warnings")) << "\n";

    print_pack_table(s, out);
    const json& inv = s.at("inverter");
    out << "Inverter: " << inv.value("protocol", "?") << " on " << inv.value("link", "?") << ": "
        << inv.value("state", "?");
    if (inv.at("since_heard_s").is_number())
        out << ", heard " << age(inv.at("since_heard_s")) << " ago";
    out << ", " << num(inv, "frames_sent") << " frames sent, " << num(inv, "frames_received")
        << " received, " << num(inv, "errors") << " errors";
    if (!inv.value("detail", "").empty()) out << " (" << inv.value("detail", "") << ")";
    out << "\n";
    out << "Bus: " << s.at("bus").value("mode", "?") << "\n";
}

}  // namespace

std::optional<StatusFile> read_status_file(const std::string& path, std::string& problem) {
    namespace fs = std::filesystem;
    // What the OS said, with the path: a missing file (daemon not running, or status disabled)
    // and an unreadable one (permissions) need different fixes.
    auto text = read_small_file(path, "the status file", kMaxStatusBytes);
    if (!text) {
        problem = text.error().detail;
        if (text.error().code == Errc::not_found) problem += " (is the daemon running?)";
        return std::nullopt;
    }
    std::error_code ec;
    const auto mtime = fs::last_write_time(path, ec);
    json s = json::parse(*text, nullptr, false);
    if (ec || s.is_discarded() || !s.is_object() || !s.contains("battery") ||
        !s.contains("packs")) {
        problem = path + " is not a packbridge status file";
        return std::nullopt;
    }
    const auto age_s =
        std::chrono::duration_cast<std::chrono::seconds>(fs::file_time_type::clock::now() - mtime)
            .count();
    return StatusFile{std::move(s), static_cast<long long>(age_s)};
}

void print_pack_table(const json& s, std::ostream& out) {
    out << "Packs:\n  " << pad("addr", 5) << pad("state", 9) << pad("family", 10) << pad("age", 7)
        << pad("V", 8) << pad("A", 8) << pad("SOC%", 7) << pad("cells V", 14) << pad("polls", 8)
        << pad("replies", 8) << pad("timeouts", 9) << pad("crc", 5) << "latency\n";
    for (const json& p : s.at("packs")) {
        const bool counted = p.value("counted", false);
        const std::string state =
            counted ? "counted" : (p.value("online", false) ? "stale" : "offline");
        std::string v = "-", a = "-", soc = "-", cells = "-";
        if (p.at("values").is_object()) {
            const json& m = p.at("values");
            v = fixed_point(num(m, "voltage_mv"), 3, 2);
            a = fixed_point(num(m, "current_ma"), 3, 1);
            soc = fixed_point(num(m, "soc_centi"), 2, 1);
            const auto& cm = m.at("cell_mv");
            if (!cm.empty()) {
                std::int64_t lo = cm.front().get<std::int64_t>(), hi = lo;
                for (const auto& x : cm) {
                    lo = std::min(lo, x.get<std::int64_t>());
                    hi = std::max(hi, x.get<std::int64_t>());
                }
                cells = fixed_point(lo, 3, 3) + ".." + fixed_point(hi, 3, 3);
            }
        }
        const std::string latency = p.at("last_latency_ms").is_number()
                                        ? std::to_string(num(p, "last_latency_ms")) + " ms"
                                        : "-";
        // The family the poller identified, "-" until the pack's identity is read.
        const json& id = p.contains("identity") ? p.at("identity") : json();
        const std::string family = id.is_object() ? id.value("family", "-") : "-";
        out << "  " << pad(std::to_string(num(p, "address")), 5) << pad(state, 9) << pad(family, 10)
            << pad(age(p.at("reading_age_s")), 7) << pad(v, 8) << pad(a, 8) << pad(soc, 7)
            << pad(cells, 14) << pad(std::to_string(num(p, "polls")), 8)
            << pad(std::to_string(num(p, "replies")), 8)
            << pad(std::to_string(num(p, "timeouts")), 9)
            << pad(std::to_string(num(p, "checksum_errors")), 5) << latency << "\n";
    }
}

int status_command(std::span<const std::string> args, std::ostream& out, std::ostream& err) {
    StatusArgs parsed;
    if (auto exit = parse_status(args, parsed, out, err)) return *exit;
    const bool as_json = parsed.json;
    const std::string& path = parsed.file;

    std::string problem;
    const auto file = read_status_file(path, problem);
    if (!file) {
        err << "packbridge status: " << problem << "\n";
        return 1;
    }
    const json& s = file->json;
    const auto age_s = file->age_s;
    const bool stale = file->stale();

    if (as_json) {
        out << s.dump(2) << "\n";
    } else {
        out << "packbridge status from " << path << " (" << age_s << " s old)\n";
        try {
            print_table(s, out);
        } catch (const json::exception& e) {
            err << "packbridge status: " << path << " is missing a field: " << e.what() << "\n";
            return 1;
        }
    }
    if (stale) {
        err << "packbridge status: " << path << " is stale (" << age_s
            << " s old): the daemon is not running or is stuck; values above are not current\n";
        return 1;
    }
    return 0;
}

}  // namespace packbridge::cli
