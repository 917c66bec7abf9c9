// SPDX-License-Identifier: Apache-2.0
// Config file text -> parse_config (the strict JSON loader, config/load.hpp). A bad config must
// end in ConfigError (a message naming the JSON path), or at worst a nlohmann parse error; any
// other exception, a crash or UB is a bug. A config that parses must survive the round trip
// check-config relies on: config_to_json() of it parses again.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <typeinfo>

#include "packbridge/config/dump.hpp"
#include "packbridge/config/load.hpp"

namespace {

[[noreturn]] void bug(const char* what, const std::exception* e) {
    std::fprintf(stderr, "%s: %s%s%s\n", what, e ? typeid(*e).name() : "non-std exception",
                 e ? ": " : "", e ? e->what() : "");
    std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    packbridge::Config config;
    try {
        packbridge::ConfigOrigins origins;
        config = packbridge::parse_config(text, "fuzz.json", &origins);
    } catch (const packbridge::ConfigError&) {
        return 0;  // the expected outcome for a bad config
    } catch (const nlohmann::json::exception&) {
        return 0;  // tolerated: a JSON syntax error that escaped the loader's own wrapping
    } catch (const std::exception& e) {
        bug("parse_config threw something other than ConfigError", &e);
    } catch (...) {
        bug("parse_config threw something other than ConfigError", nullptr);
    }
    try {
        const std::string dumped = packbridge::config_to_json(config).dump();
        (void)packbridge::parse_config(dumped, "dumped.json");
    } catch (const std::exception& e) {
        bug("the dump of a valid config does not parse again", &e);
    } catch (...) {
        bug("the dump of a valid config does not parse again", nullptr);
    }
    return 0;
}
