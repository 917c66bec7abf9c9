// SPDX-License-Identifier: Apache-2.0
// Config loading: JSON syntax (with line and column), duplicate keys, the five sections, and
// the rules that span sections. Nothing here opens a device.
#include "packbridge/config/load.hpp"

#include <regex>

#include "config/sections.hpp"
#include "packbridge/util/read_file.hpp"

namespace packbridge {
namespace {

using config_detail::Context;
using config_detail::Section;
using nlohmann::json;

// nlohmann's own column is off after a line break (it reports "column 0" when the lexer has
// looked ahead past a newline), so line and column are computed here from the byte count:
// e.byte is how many characters were read, i.e. the 1-based position of the offending one.
[[noreturn]] void syntax_error(const Context& ctx, std::string_view text,
                               const json::parse_error& e) {
    const std::size_t at = std::min<std::size_t>(e.byte > 0 ? e.byte - 1 : 0, text.size());
    std::size_t line = 1;
    std::size_t line_start = 0;
    for (std::size_t i = 0; i < at; ++i) {
        if (text[i] == '\n') {
            ++line;
            line_start = i + 1;
        }
    }
    const std::size_t column = at - line_start + 1;
    static const std::regex reason(R"(parse error( at line \d+, column \d+)?: (.*))");
    std::cmatch m;
    const std::string why =
        std::regex_search(e.what(), m, reason) ? m[2].str() : std::string(e.what());
    throw ConfigError(ctx.source + ":" + std::to_string(line) + ":" + std::to_string(column) +
                      ": JSON syntax error: " + why);
}

// nlohmann keeps the last of two equal keys silently; a config must not.
json parse_strict(const Context& ctx, std::string_view text) {
    struct Level {
        std::set<std::string> keys;
        std::string path;
        bool object;
    };
    std::vector<Level> stack;
    std::string last_key;
    auto callback = [&](int /*depth*/, json::parse_event_t event, json& parsed) {
        switch (event) {
            case json::parse_event_t::object_start:
            case json::parse_event_t::array_start: {
                std::string path = stack.empty() ? "" : stack.back().path;
                if (!stack.empty() && stack.back().object) path += "/" + last_key;
                stack.push_back({{}, path, event == json::parse_event_t::object_start});
                break;
            }
            case json::parse_event_t::object_end:
            case json::parse_event_t::array_end:
                if (!stack.empty()) stack.pop_back();
                break;
            case json::parse_event_t::key: {
                last_key = parsed.get<std::string>();
                if (!stack.empty() && !stack.back().keys.insert(last_key).second)
                    config_detail::fail(ctx, stack.back().path + "/" + last_key,
                                        "duplicate key (each key may appear once)");
                break;
            }
            case json::parse_event_t::value:
                break;
        }
        return true;
    };
    try {
        return json::parse(text.begin(), text.end(), callback);
    } catch (const json::parse_error& e) {
        syntax_error(ctx, text, e);
    }
}

void cross_section_rules(const Context& ctx, const Config& c) {
    if (!c.bus.auto_addresses && c.battery.min_packs > c.bus.addresses.size())
        config_detail::fail(ctx, "/battery/min_packs",
                            std::to_string(c.battery.min_packs) + " is more than the " +
                                std::to_string(c.bus.addresses.size()) +
                                " pack(s) in /bus/addresses");
    if (c.inverter.link == Link::rs485 && c.inverter.rs485.device == c.bus.device)
        config_detail::fail(ctx, "/inverter/rs485/device",
                            "\"" + c.inverter.rs485.device +
                                "\" is also /bus/device: the inverter needs its own RS485 port");
    if (c.bus.dialect == PackDialect::seplos && c.bus.mode == BusMode::listen && c.bus.ver == 0x25)
        config_detail::fail(ctx, "/bus/ver",
                            "0x25 contradicts /bus/dialect \"seplos\" (valid: 0x20)");
}

}  // namespace

Config parse_config(std::string_view json_text, std::string_view source_name,
                    ConfigOrigins* origins) {
    Context ctx{std::string(source_name), origins};
    const json doc = parse_strict(ctx, json_text);
    if (!doc.is_object()) config_detail::fail(ctx, "/", "the config must be a JSON object { ... }");
    const Section root(ctx, &doc, "",
                       {"bus", "inverter", "battery", "log", "status", "mqtt", "http", "metrics"});
    Config c;
    config_detail::read_bus(root, c.bus);
    config_detail::read_inverter(root, c.inverter);
    config_detail::read_battery(root, c.battery);
    config_detail::read_log(root, c.log);
    config_detail::read_status(root, c.status);
    config_detail::read_mqtt(root, c.mqtt);
    config_detail::read_metrics(root, c.metrics);
    cross_section_rules(ctx, c);
    return c;
}

Config load_config_file(const std::filesystem::path& path, ConfigOrigins* origins) {
    auto text = read_small_file(path.string(), "the config file", kMaxConfigBytes);
    if (!text) {
        std::string message = text.error().detail;
        if (text.error().code == Errc::not_found) message += " (use --config FILE)";
        throw ConfigError(message);
    }
    return parse_config(*text, path.string(), origins);
}

}  // namespace packbridge
