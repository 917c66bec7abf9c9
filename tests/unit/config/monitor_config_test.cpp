// SPDX-License-Identifier: Apache-2.0
// The "mqtt" and "metrics" sections: defaults, derived values, and errors naming the path.
#include <sys/stat.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>

#include "packbridge/config/dump.hpp"
#include "packbridge/config/load.hpp"

using namespace packbridge;
using Catch::Matchers::Contains;

namespace {

std::string error_of(const std::string& text) {
    try {
        (void)parse_config(text, "t");
    } catch (const ConfigError& e) {
        return e.what();
    }
    return "";
}

std::string hostname() {
    char buf[256] = {};
    ::gethostname(buf, sizeof buf - 1);
    return buf;
}

}  // namespace

TEST_CASE("mqtt and metrics are off by default, the topic prefix comes from the host name",
          "[config]") {
    const auto c = parse_config("{}", "t");
    CHECK_FALSE(c.mqtt.enabled);
    CHECK_FALSE(c.metrics.enabled);
    CHECK(c.mqtt.port == 1883);
    CHECK(c.mqtt.discovery_prefix == "homeassistant");
    CHECK(c.mqtt.interval_s == 10);
    CHECK(c.mqtt.topic_prefix.starts_with("packbridge/"));
    if (hostname().find_first_of("./+#") == std::string::npos)
        CHECK(c.mqtt.topic_prefix == "packbridge/" + hostname());
}

TEST_CASE("a metrics section turns the endpoint on, TLS moves the default port to 8883",
          "[config]") {
    CHECK(parse_config(R"({"metrics": {}})", "t").metrics.enabled);
    CHECK(parse_config(R"({"metrics": {}})", "t").metrics.listen == "127.0.0.1:9790");
    CHECK_FALSE(parse_config(R"({"metrics": {"enabled": false}})", "t").metrics.enabled);
    CHECK(parse_config(R"({"metrics": {"listen": "[::1]:9100"}})", "t").metrics.listen ==
          "[::1]:9100");
    const auto tls = parse_config(R"({"mqtt": {"tls": {"ca_file": "/etc/ssl/ca.pem"}}})", "t");
    CHECK(tls.mqtt.port == 8883);
    CHECK(parse_config(R"({"mqtt": {"tls": {"ca_file": "/c"}, "port": 1884}})", "t").mqtt.port ==
          1884);
    CHECK(parse_config(R"({"mqtt": {"discovery_prefix": ""}})", "t").mqtt.discovery_prefix == "");
}

TEST_CASE("bad mqtt and metrics values are errors naming the JSON path", "[config]") {
    CHECK_THAT(error_of(R"({"mqtt": {"hots": "x"}})"), Contains("t: /mqtt/hots: unknown key"));
    CHECK_THAT(error_of(R"({"mqtt": {"port": 0}})"), Contains("/mqtt/port: 0 is out of range"));
    CHECK_THAT(error_of(R"({"mqtt": {"qos": 3}})"), Contains("/mqtt/qos"));
    CHECK_THAT(error_of(R"({"mqtt": {"interval_s": 0}})"), Contains("/mqtt/interval_s"));
    CHECK_THAT(error_of(R"({"mqtt": {"topic_prefix": "a/#"}})"),
               Contains("/mqtt/topic_prefix: \"a/#\" must not contain"));
    CHECK_THAT(error_of(R"({"mqtt": {"topic_prefix": "a/"}})"), Contains("/mqtt/topic_prefix"));
    CHECK_THAT(error_of(R"({"mqtt": {"discovery_prefix": 1}})"),
               Contains("/mqtt/discovery_prefix"));
    CHECK_THAT(error_of(R"({"mqtt": {"password": "x"}})"), Contains("/mqtt/password: unknown key"));
    CHECK_THAT(error_of(R"({"mqtt": {"tls": {"cert_file": "/c"}}})"),
               Contains("/mqtt/tls/key_file"));
    CHECK_THAT(error_of(R"({"mqtt": {"tls": {"ca_file": "ca.pem"}}})"),
               Contains("/mqtt/tls/ca_file: \"ca.pem\" must be an absolute path"));
    CHECK_THAT(error_of(R"({"metrics": {"listen": "9790"}})"),
               Contains("/metrics/listen: \"9790\" must be ADDRESS:PORT"));
    CHECK_THAT(error_of(R"({"metrics": {"listen": "127.0.0.1:70000"}})"),
               Contains("/metrics/listen"));
    CHECK_THAT(error_of(R"({"metrics": {"port": 1}})"), Contains("/metrics/port: unknown key"));
}

TEST_CASE("the password file must exist, come with a user name and not be world-readable",
          "[config]") {
    const auto dir =
        std::filesystem::temp_directory_path() / ("pb-pw-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    const auto file = dir / "password";
    std::ofstream(file) << "secret\n";
    const std::string with_user =
        R"({"mqtt": {"username": "pb", "password_file": ")" + file.string() + R"("}})";
    ::chmod(file.c_str(), 0644);
    CHECK_THAT(error_of(with_user), Contains("/mqtt/password_file: \"" + file.string() +
                                             "\" is readable by every user"));
    ::chmod(file.c_str(), 0600);
    CHECK(parse_config(with_user, "t").mqtt.password_file == file.string());
    CHECK_THAT(error_of(R"({"mqtt": {"password_file": ")" + file.string() + R"("}})"),
               Contains("/mqtt/password_file: needs /mqtt/username"));
    CHECK_THAT(error_of(R"({"mqtt": {"username": "pb", "password_file": "/nonexistent/pw"}})"),
               Contains("No such file"));
    // What check-config prints loads back to the same config.
    const auto first = parse_config(with_user, "t");
    CHECK(parse_config(config_to_json(first).dump(), "printed") == first);
    std::filesystem::remove_all(dir);
}

TEST_CASE("the http section serves the page and /metrics, metrics stays valid as its old name",
          "[config]") {
    const auto c = parse_config(R"({"http": {"listen": "127.0.0.1:8080"}})", "t");
    CHECK(c.metrics.enabled);
    CHECK(c.metrics.listen == "127.0.0.1:8080");
    CHECK(c.metrics.history_interval_s == 10);
    CHECK(parse_config(R"({"http": {"history_interval_s": 1}})", "t").metrics.history_interval_s ==
          1);
    CHECK_FALSE(parse_config(R"({"http": {"enabled": false}})", "t").metrics.enabled);
    // The old name reads the same keys into the same settings.
    CHECK(parse_config(R"({"metrics": {"listen": "127.0.0.1:8080", "history_interval_s": 5}})", "t")
              .metrics.history_interval_s == 5);
    CHECK_THAT(error_of(R"({"http": {}, "metrics": {}})"),
               Contains("/metrics: is the old name of \"http\""));
    CHECK_THAT(error_of(R"({"http": {"history_interval_s": 0}})"),
               Contains("/http/history_interval_s"));
    CHECK_THAT(error_of(R"({"http": {"history_interval_s": 601}})"),
               Contains("/http/history_interval_s"));
    CHECK_THAT(error_of(R"({"metrics": {"listen": "9790"}})"), Contains("/metrics/listen"));
    CHECK_THAT(error_of(R"({"http": {"listen": "9790"}})"), Contains("/http/listen"));
}

TEST_CASE("check-config shows the old metrics section as http and says where each value came from",
          "[config]") {
    ConfigOrigins origins;
    const auto c = parse_config(R"({"metrics": {"listen": "0.0.0.0:9790"}})", "t", &origins);
    const auto dumped = config_to_json(c);
    CHECK(dumped["http"]["listen"] == "0.0.0.0:9790");
    CHECK_FALSE(dumped.contains("metrics"));
    CHECK_THAT(origins.derived.at("/http/listen"), Contains("given as /metrics/listen"));
    CHECK_THAT(origins.derived.at("/http/enabled"), Contains("old name"));
    // What check-config prints parses again as a config.
    CHECK(parse_config(dumped["http"].dump().insert(0, "{\"http\": ").append("}"), "t").metrics ==
          c.metrics);
}
