// SPDX-License-Identifier: Apache-2.0
#include "cli/arg_values.hpp"

#include <algorithm>
#include <charconv>
#include <set>

#include "packbridge/config.hpp"
#include "packbridge/config/load.hpp"
#include "packbridge/pack_reading.hpp"
#include "packbridge/util/logging.hpp"

namespace packbridge::cli::arg_values {
namespace {

// A whole decimal number, nothing else ("9600", not "9600baud" or " 9600").
std::optional<unsigned long> whole_number(std::string_view text, int base = 10) {
    unsigned long value = 0;
    const auto* end = text.data() + text.size();
    const auto [ptr, ec] = std::from_chars(text.data(), end, value, base);
    if (text.empty() || ec != std::errc{} || ptr != end) return std::nullopt;
    return value;
}

std::string quoted(std::string_view text) {
    return "\"" + std::string(text) + "\"";
}

}  // namespace

std::string default_config_path() {
    return kDefaultConfigPath;
}
std::string default_device() {
    return BusConfig{}.device;
}
std::uint32_t default_baud() {
    return BusConfig{}.baud;
}
std::string default_status_path() {
    return StatusConfig{}.path;
}

std::string baud_problem(std::string_view text) {
    const auto baud = whole_number(text);
    if (baud && std::find(kSerialBauds.begin(), kSerialBauds.end(), *baud) != kSerialBauds.end())
        return "";
    std::string allowed;
    for (const auto b : kSerialBauds)
        allowed += (allowed.empty() ? "" : ", ") + std::to_string(b);
    return std::string(text) + " is not supported (allowed: " + allowed + ", as for bus.baud)";
}

std::string serial_port_problem(std::string_view text) {
    if (text.empty()) return "needs a device path, e.g. /dev/ttyUSB0";
    // `--device --baud 9600`: the parser takes the next word as the value, whatever it is.
    if (text.starts_with("-")) return quoted(text) + " is not a device path (value missing?)";
    return "";
}

std::string config_path_problem(std::string_view text) {
    if (text.empty()) return "needs a file path, e.g. " + default_config_path();
    if (text.starts_with("-")) return quoted(text) + " is not a file path (value missing?)";
    return "";
}

std::string address_problem(std::string_view text) {
    const auto a = whole_number(text);
    if (a && *a < kMaxPacks) return "";
    return quoted(text) + " is not a pack address (0-" + std::to_string(kMaxPacks - 1) + ")";
}

std::string pack_count_problem(std::string_view text) {
    const auto n = whole_number(text);
    if (n && *n >= 1 && *n <= kMaxPacks) return "";
    return quoted(text) + " is not a pack count (1-" + std::to_string(kMaxPacks) + ")";
}

std::string log_level_problem(std::string_view text) {
    if (parse_log_level(text)) return "";
    return "unknown level " + quoted(text) + " (trace, debug, info, warn, error)";
}

std::optional<std::vector<std::uint8_t>> parse_address_list(std::string_view text,
                                                            std::string& problem) {
    std::set<std::uint8_t> out;
    std::size_t start = 0;
    while (start <= text.size()) {
        const auto comma = std::min(text.find(',', start), text.size());
        const auto part = text.substr(start, comma - start);
        const auto dash = part.find('-');
        const auto lo = whole_number(part.substr(0, dash));
        const auto hi = dash == std::string_view::npos ? lo : whole_number(part.substr(dash + 1));
        if (!lo || !hi || *hi >= kMaxPacks || *lo > *hi) {
            problem = quoted(part) + " is not an address or range within 0-" +
                      std::to_string(kMaxPacks - 1) + " (e.g. 0,1,5 or 0-15)";
            return std::nullopt;
        }
        for (auto a = *lo; a <= *hi; ++a)
            out.insert(static_cast<std::uint8_t>(a));
        start = comma + 1;
    }
    return std::vector<std::uint8_t>(out.begin(), out.end());
}

std::optional<std::uint8_t> parse_hex_byte(std::string_view text) {
    if (text.starts_with("0x") || text.starts_with("0X")) text.remove_prefix(2);
    if (text.empty() || text.size() > 2) return std::nullopt;
    const auto v = whole_number(text, 16);
    if (!v) return std::nullopt;
    return static_cast<std::uint8_t>(*v);
}

}  // namespace packbridge::cli::arg_values
