// SPDX-License-Identifier: Apache-2.0
// The "bus" section: the packs' parallel RS485 bus.
#include <algorithm>
#include <charconv>

#include "config/sections.hpp"

namespace packbridge::config_detail {
namespace {

constexpr unsigned kMaxAddress = 15;

unsigned parse_address(const Section& s, std::string_view text, std::string_view whole) {
    unsigned value = 0;
    const auto* end = text.data() + text.size();
    const auto [ptr, ec] = std::from_chars(text.data(), end, value);
    if (text.empty() || ec != std::errc{} || ptr != end)
        s.fail("addresses", "\"" + std::string(whole) +
                                "\" is not a list, range or \"auto\" (examples: [0, 1, 2], "
                                "\"0-15\", \"0-3,8\", \"auto\")");
    if (value > kMaxAddress)
        s.fail("addresses",
               "address " + std::to_string(value) + " is out of range (valid: 0 to 15)");
    return value;
}

std::string trim(std::string_view t) {
    while (!t.empty() && t.front() == ' ')
        t.remove_prefix(1);
    while (!t.empty() && t.back() == ' ')
        t.remove_suffix(1);
    return std::string(t);
}

// "0-15", "0-3,8": comma-separated addresses and inclusive ranges.
std::vector<unsigned> parse_range_string(const Section& s, std::string_view text) {
    std::vector<unsigned> out;
    std::size_t start = 0;
    while (start <= text.size()) {
        const auto comma = std::min(text.find(',', start), text.size());
        const auto part = trim(text.substr(start, comma - start));
        const auto dash = part.find('-');
        if (dash == std::string::npos) {
            out.push_back(parse_address(s, part, text));
        } else {
            const auto lo = parse_address(s, trim(std::string_view(part).substr(0, dash)), text);
            const auto hi = parse_address(s, trim(std::string_view(part).substr(dash + 1)), text);
            if (lo > hi)
                s.fail("addresses",
                       "range \"" + part + "\" runs backwards (write the lower address first)");
            for (unsigned a = lo; a <= hi; ++a)
                out.push_back(a);
        }
        start = comma + 1;
    }
    return out;
}

void read_addresses(const Section& s, BusConfig& out) {
    const auto* v = s.raw("addresses");
    if (v == nullptr) return;
    std::vector<unsigned> list;
    if (v->is_string()) {
        const auto& text = v->get_ref<const std::string&>();
        if (text == "auto") {
            out.auto_addresses = true;
            out.addresses.clear();
            s.mark_given("addresses");
            return;
        }
        list = parse_range_string(s, text);
    } else if (v->is_array()) {
        for (const auto& item : *v) {
            if (!item.is_number_integer())
                s.fail("addresses",
                       "list items must be integers 0 to 15, found " + describe_json(item));
            const auto n = item.get<std::int64_t>();
            if (n < 0 || n > static_cast<std::int64_t>(kMaxAddress))
                s.fail("addresses",
                       "address " + std::to_string(n) + " is out of range (valid: 0 to 15)");
            list.push_back(static_cast<unsigned>(n));
        }
    } else {
        s.fail("addresses",
               "must be a list of addresses, a range string or \"auto\" (examples: [0, 1, 2], "
               "\"0-15\", \"0-3,8\", \"auto\"), found " +
                   describe_json(*v));
    }
    if (list.empty()) s.fail("addresses", "must name at least one address (or \"auto\")");
    std::sort(list.begin(), list.end());
    const auto dup = std::adjacent_find(list.begin(), list.end());
    if (dup != list.end())
        s.fail("addresses",
               "address " + std::to_string(*dup) + " is listed twice (addresses must be unique)");
    out.auto_addresses = false;
    out.addresses.clear();
    for (auto a : list)
        out.addresses.push_back(static_cast<std::uint8_t>(a));
    s.mark_given("addresses");
}

void read_ver(const Section& s, std::uint8_t& out) {
    const auto* v = s.raw("ver");
    if (v == nullptr) return;
    std::int64_t n = -1;
    if (v->is_number_integer()) {
        n = v->get<std::int64_t>();
    } else if (v->is_string()) {
        const auto& t = v->get_ref<const std::string&>();
        std::string_view digits = t;
        int base = 10;
        if (digits.size() > 2 && digits[0] == '0' && (digits[1] == 'x' || digits[1] == 'X')) {
            digits.remove_prefix(2);
            base = 16;
        }
        const auto [ptr, ec] =
            std::from_chars(digits.data(), digits.data() + digits.size(), n, base);
        if (ec != std::errc{} || ptr != digits.data() + digits.size() || digits.empty()) n = -1;
    }
    if (n < 0 || n > 255)
        s.fail("ver",
               describe_json(*v) +
                   " is not a protocol version byte (valid: 0 to 255 or \"0x00\" to \"0xFF\"; "
                   "PACE 0x25, Seplos 0x20)");
    out = static_cast<std::uint8_t>(n);
    s.mark_given("ver");
}

// The VER a family's requests carry (pack-protocol.md section 1.3); auto probes PACE first.
std::uint8_t family_ver(PackFamilyChoice family) {
    switch (family) {
        case PackFamilyChoice::auto_:
        case PackFamilyChoice::pace:
            return 0x25;
        case PackFamilyChoice::seplos:
        case PackFamilyChoice::pylontech:
        case PackFamilyChoice::eg4:
            return 0x20;
    }
    return 0x25;
}

// The plain settings, read after the line, the addresses and the family.
constexpr Field<BusConfig> kFields[] = {
    {"request_timeout_ms", &BusConfig::request_timeout_ms, 50, 10000},
    {"min_gap_ms", &BusConfig::min_gap_ms, 0, 1000},
    {"offline_after_misses", &BusConfig::offline_after_misses, 1, 100},
    {"reprobe_interval_s", &BusConfig::reprobe_interval_s, 1, 86400},
    {"listen_window_ms", &BusConfig::listen_window_ms, 100, 60000},
    {"listen_idle_ms", &BusConfig::listen_idle_ms, 1, 10000},
    {"near_limit_poll_ms", &BusConfig::near_limit_poll_ms, 0, 60000},
    {"near_limit_margin_mv", &BusConfig::near_limit_margin_mv, 0, 1000},
    {"near_limit_current_pct", &BusConfig::near_limit_current_pct, 0, 1000},
};

}  // namespace

std::span<const Field<BusConfig>> bus_fields() {
    return kFields;
}

void read_bus(const Section& root, BusConfig& out) {
    const auto s = root.child("bus", allowed_keys({"device", "baud", "rs485_mode", "addresses",
                                                   "mode", "family", "dialect", "ver"},
                                                  kFields));
    s.read_string("device", out.device);
    s.read_uint_choice("baud", out.baud, kSerialBauds);
    s.read_bool("rs485_mode", out.rs485_mode);
    read_addresses(s, out);
    s.read_enum(
        "mode", out.mode,
        {{"auto", BusMode::auto_}, {"master", BusMode::master}, {"listen", BusMode::listen}});
    // The family sets the default VER; an explicit "ver" overrides it. "dialect" is the older
    // name of the same key (pace | seplos), kept so existing configs keep working.
    const std::initializer_list<std::pair<std::string_view, PackFamilyChoice>> families = {
        {"auto", PackFamilyChoice::auto_},
        {"pace", PackFamilyChoice::pace},
        {"seplos", PackFamilyChoice::seplos},
        {"pylontech", PackFamilyChoice::pylontech},
        {"eg4", PackFamilyChoice::eg4}};
    if (s.raw("family") != nullptr && s.raw("dialect") != nullptr)
        s.fail("dialect", "is the older name of /bus/family: give one of them");
    s.read_enum("family", out.family, families);
    s.read_enum("dialect", out.family,
                {{"pace", PackFamilyChoice::pace}, {"seplos", PackFamilyChoice::seplos}});
    if (s.raw("family") != nullptr || s.raw("dialect") != nullptr) out.ver = family_ver(out.family);
    read_ver(s, out.ver);
    read_fields(s, kFields, out);

    if (out.listen_idle_ms >= out.listen_window_ms)
        s.fail("listen_idle_ms", std::to_string(out.listen_idle_ms) +
                                     " must be less than /bus/listen_window_ms (" +
                                     std::to_string(out.listen_window_ms) + ")");
    // 0 switches adaptive polling off; below 200 ms a near pack would hold the whole bus.
    if (out.near_limit_poll_ms > 0 && out.near_limit_poll_ms < 200)
        s.fail("near_limit_poll_ms", std::to_string(out.near_limit_poll_ms) +
                                         " is too short: 0 (off) or 200 to 60000 ms");
}

}  // namespace packbridge::config_detail
