// SPDX-License-Identifier: Apache-2.0
// check-config prints what it read: every key a section accepts appears in config_to_json.
#include <catch2/catch.hpp>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "packbridge/config/dump.hpp"
#include "packbridge/config/load.hpp"

using namespace packbridge;

namespace {

using Path = std::vector<std::string>;

// The keys the loader accepts at `path`, from its own "unknown key (allowed: ...)" message.
std::set<std::string> accepted_at(const Path& path) {
    nlohmann::json doc = nlohmann::json::object();
    nlohmann::json* at = &doc;
    for (const auto& key : path)
        at = &(*at)[key];
    (*at)["no_such_key"] = 1;
    std::string message;
    try {
        (void)parse_config(doc.dump(), "t");
    } catch (const ConfigError& e) {
        message = e.what();
    }
    INFO(message);
    const std::string marker = "unknown key (allowed: ";
    const auto from = message.find(marker);
    REQUIRE(from != std::string::npos);
    const auto list =
        message.substr(from + marker.size(), message.find(')', from) - from - marker.size());
    std::set<std::string> keys;
    for (std::size_t start = 0; start <= list.size();) {
        const auto comma = std::min(list.find(", ", start), list.size());
        keys.insert(list.substr(start, comma - start));
        start = comma + 2;
    }
    return keys;
}

std::set<std::string> printed_at(const nlohmann::ordered_json& dumped, const Path& path) {
    const nlohmann::ordered_json* at = &dumped;
    for (const auto& key : path)
        at = &at->at(key);
    std::set<std::string> keys;
    for (const auto& [key, value] : at->items())
        keys.insert(key);
    return keys;
}

}  // namespace

TEST_CASE("check-config prints every key each section accepts, so none is set unseen", "[config]") {
    // Keys that are accepted but rightly not printed: older names of a printed key, and
    // optional texts printed only when set (the dump must load back to the same config).
    const std::map<Path, std::set<std::string>> unprinted = {
        {{}, {"metrics"}},
        {{"bus"}, {"dialect"}},
        {{"inverter"}, {"brand", "name"}},
        {{"mqtt"}, {"tls", "username", "password_file", "client_id"}},
    };
    const auto dumped = config_to_json(parse_config("{}", "t"));
    const std::vector<Path> sections = {{},
                                        {"bus"},
                                        {"inverter"},
                                        {"inverter", "can"},
                                        {"inverter", "rs485"},
                                        {"inverter", "rs485", "pylon"},
                                        {"inverter", "rs485", "voltronic"},
                                        {"battery"},
                                        {"log"},
                                        {"status"},
                                        {"mqtt"},
                                        {"http"}};
    for (const auto& path : sections) {
        std::string where;
        for (const auto& key : path)
            where += "/" + key;
        INFO("section " << (where.empty() ? "/" : where));
        auto expected = accepted_at(path);
        if (const auto it = unprinted.find(path); it != unprinted.end())
            for (const auto& key : it->second)
                expected.erase(key);
        CHECK(printed_at(dumped, path) == expected);
    }
}
