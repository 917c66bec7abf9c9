// SPDX-License-Identifier: Apache-2.0
// The "mqtt" and "metrics" sections (docs/monitoring.md): monitoring outputs, off by default.
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>

#include "config/sections.hpp"

namespace packbridge::config_detail {
namespace {

// The host name as a topic level: letters, digits, '-' and '_' only ('.', '+', '#' and '/'
// would change the topic's meaning or its depth).
std::string topic_hostname() {
    std::array<char, 256> buf{};
    if (::gethostname(buf.data(), buf.size() - 1) != 0 || buf[0] == '\0') return "gateway";
    std::string out;
    for (const char* c = buf.data(); *c != '\0'; ++c) {
        const bool ok = (*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') ||
                        (*c >= '0' && *c <= '9') || *c == '-' || *c == '_';
        out.push_back(ok ? *c : '_');
    }
    return out;
}

// A prefix we publish under: no wildcards, no empty levels, no leading or trailing '/'.
void check_topic(const Section& s, std::string_view key, const std::string& topic) {
    if (topic.find_first_of("+#") != std::string::npos || topic.find('\0') != std::string::npos)
        s.fail(key, "\"" + topic + "\" must not contain the MQTT wildcards + or #");
    if (topic.front() == '/' || topic.back() == '/' || topic.find("//") != std::string::npos)
        s.fail(key, "\"" + topic + "\" must not start or end with / or have an empty level");
}

void check_absolute(const Section& s, std::string_view key, const std::string& path) {
    if (!path.empty() && path.front() != '/')
        s.fail(key, "\"" + path + "\" must be an absolute path");
}

// The password stays out of the config (which check-config prints and people paste into
// forums); its file must exist and be unreadable to other users.
void check_password_file(const Section& s, const std::string& path) {
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0)
        s.fail("password_file", "\"" + path + "\": " + std::strerror(errno));
    if (!S_ISREG(st.st_mode)) s.fail("password_file", "\"" + path + "\" is not a regular file");
    if ((st.st_mode & S_IROTH) != 0)
        s.fail("password_file", "\"" + path +
                                    "\" is readable by every user: chmod 600 (or 640 with the "
                                    "packbridge group) before using it");
}

}  // namespace

void read_mqtt(const Section& root, MqttConfig& out) {
    const auto s =
        root.child("mqtt", {"enabled", "host", "port", "tls", "username", "password_file",
                            "client_id", "topic_prefix", "discovery_prefix", "interval_s", "qos"});
    s.read_bool("enabled", out.enabled);
    s.read_string("host", out.host, 253);
    const auto tls = s.child("tls", {"ca_file", "cert_file", "key_file"});
    tls.read_string("ca_file", out.tls.ca_file);
    tls.read_string("cert_file", out.tls.cert_file);
    tls.read_string("key_file", out.tls.key_file);
    check_absolute(tls, "ca_file", out.tls.ca_file);
    check_absolute(tls, "cert_file", out.tls.cert_file);
    check_absolute(tls, "key_file", out.tls.key_file);
    if (out.tls.cert_file.empty() != out.tls.key_file.empty())
        tls.fail(out.tls.cert_file.empty() ? "cert_file" : "key_file",
                 "a client certificate needs both cert_file and key_file");
    if (!out.tls.cert_file.empty() && out.tls.ca_file.empty())
        tls.fail("ca_file", "is required with a client certificate (TLS verifies the broker)");
    if (!out.tls.ca_file.empty()) {
        out.port = 8883;
        if (root.context().origins != nullptr)
            root.context().origins->derived[s.path("port")] = "from /mqtt/tls/ca_file";
    }
    s.read_uint("port", out.port, 1, 65535);
    s.read_string("username", out.username, 256);
    s.read_string("password_file", out.password_file);
    if (!out.password_file.empty()) {
        check_absolute(s, "password_file", out.password_file);
        if (out.username.empty())
            s.fail("password_file", "needs /mqtt/username (MQTT sends no password without one)");
        check_password_file(s, out.password_file);
    }
    s.read_string("client_id", out.client_id, 128);
    out.topic_prefix = "packbridge/" + topic_hostname();
    if (root.context().origins != nullptr)
        root.context().origins->derived[s.path("topic_prefix")] = "from the host name";
    s.read_string("topic_prefix", out.topic_prefix, 200);
    check_topic(s, "topic_prefix", out.topic_prefix);
    // "" is meaningful here (no discovery), so not read_string (which refuses empty strings).
    if (const auto* v = s.raw("discovery_prefix")) {
        if (!v->is_string())
            s.fail("discovery_prefix",
                   "must be a string (\"\" = no discovery), found " + describe_json(*v));
        out.discovery_prefix = v->get<std::string>();
        if (out.discovery_prefix.size() > 200)
            s.fail("discovery_prefix", "is longer than 200 characters");
        if (!out.discovery_prefix.empty()) check_topic(s, "discovery_prefix", out.discovery_prefix);
        s.mark_given("discovery_prefix");
    }
    s.read_uint("interval_s", out.interval_s, 1, 3600);
    s.read_uint("qos", out.qos, 0, 2);
}

void read_metrics(const Section& root, MetricsConfig& out) {
    // "http" since the server also serves the status page; "metrics", its first name, stays
    // valid so configs written for it keep working. Errors name the section as written.
    if (root.raw("http") != nullptr && root.raw("metrics") != nullptr)
        root.fail("metrics", "is the old name of \"http\": give one of the two sections, not both");
    const char* name = root.raw("metrics") != nullptr ? "metrics" : "http";
    const auto s = root.child(name, {"enabled", "listen", "history_interval_s"});
    // The section's presence is the opt-in: {"http": {}} serves the default address.
    if (root.raw(name) != nullptr) {
        out.enabled = true;
        if (root.context().origins != nullptr)
            root.context().origins->derived[s.path("enabled")] = "the section is present";
    }
    s.read_bool("enabled", out.enabled);
    s.read_string("listen", out.listen, 64);
    s.read_uint("history_interval_s", out.history_interval_s, 1, 600);
    // "host:port" or "[v6]:port"; the address itself is checked when the socket is bound, the
    // shape and the port here so a typo is a config error, not a silent "off".
    const auto colon = out.listen.rfind(':');
    const std::string host = colon == std::string::npos ? "" : out.listen.substr(0, colon);
    const std::string port = colon == std::string::npos ? "" : out.listen.substr(colon + 1);
    bool port_ok = !port.empty() && port.size() <= 5 &&
                   port.find_first_not_of("0123456789") == std::string::npos;
    if (port_ok) port_ok = std::stoul(port) >= 1 && std::stoul(port) <= 65535;
    const bool v6 = host.size() > 2 && host.front() == '[' && host.back() == ']';
    const bool host_ok = !host.empty() && (v6 || host.find(':') == std::string::npos);
    if (!port_ok || !host_ok)
        s.fail("listen", "\"" + out.listen +
                             "\" must be ADDRESS:PORT (e.g. \"127.0.0.1:9790\", \"[::1]:9790\", "
                             "\"0.0.0.0:9790\"), port 1 to 65535");
    // check-config prints the section as "http": say where a value under the old name came from.
    if (auto* origins = root.context().origins;
        origins != nullptr && std::string_view(name) == "metrics") {
        for (const char* key : {"enabled", "listen", "history_interval_s"}) {
            const std::string given = s.path(key);
            const std::string shown = std::string("/http/") + key;
            if (origins->given.count(given) != 0)
                origins->derived[shown] = "given as " + given + ", the old name of the section";
            else if (auto it = origins->derived.find(given); it != origins->derived.end())
                origins->derived[shown] = it->second + ", as \"metrics\" (the old name)";
        }
    }
}

}  // namespace packbridge::config_detail
