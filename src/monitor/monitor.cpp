// SPDX-License-Identifier: Apache-2.0
#include "packbridge/monitor/monitor.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <random>
#include <string_view>

#include "packbridge/http/page.hpp"
#include "packbridge/monitor/metrics_text.hpp"

namespace packbridge::monitor {

namespace {

// "since=123" -> 123; absent or malformed -> -1 (everything).
std::int64_t since_of(std::string_view query) {
    constexpr std::string_view key = "since=";
    for (std::size_t at = 0; at < query.size();) {
        const auto end = std::min(query.find('&', at), query.size());
        const auto part = query.substr(at, end - at);
        if (part.substr(0, key.size()) == key) {
            std::int64_t v = -1;
            const auto digits = part.substr(key.size());
            const auto r = std::from_chars(digits.data(), digits.data() + digits.size(), v);
            return r.ec == std::errc() && r.ptr == digits.data() + digits.size() ? v : -1;
        }
        at = end + 1;
    }
    return -1;
}

}  // namespace

Monitor::Monitor(boost::asio::io_context& io, std::string version)
    : io_(io), version_(std::move(version)), run_id_(std::random_device{}() & 0x7fffffffU) {}

std::uint32_t Monitor::uptime_s() const {
    return static_cast<std::uint32_t>(
        std::chrono::duration_cast<std::chrono::seconds>(Clock::now() - started_).count());
}

Monitor::~Monitor() {
    stop();
}

void Monitor::configure(const MqttConfig& mqtt, const MetricsConfig& metrics) {
    if (!(mqtt_ && mqtt_->config() == mqtt)) {
        if (mqtt_) mqtt_->stop();
        mqtt_.reset();
        if (mqtt.enabled) {
            mqtt_ = std::make_unique<MqttOutput>(io_, mqtt, version_);
            mqtt_->start();
            if (latest_) mqtt_->update(latest_);
        }
    }
    if (metrics_ && metrics_config_ == metrics) return;
    metrics_.reset();
    metrics_config_ = metrics;
    if (!metrics.enabled) return;
    const auto at = http::parse_listen(metrics.listen);
    if (!at) {
        spdlog::error("http: /http/listen: {}; not serving", at.error().detail);
        return;
    }
    if (!history_ || history_->interval_s() != metrics.history_interval_s)
        history_ = std::make_unique<History>(metrics.history_interval_s);
    std::map<std::string, http::Route> routes;
    // Rendered at scrape time from the document of the latest tick: a scrape every 15 s costs
    // one rendering, not one per tick.
    routes["/metrics"] = [this](std::string_view) {
        return http::Body{kMetricsContentType, latest_ ? metrics_text(*latest_) : std::string()};
    };
    // The status page and its two reads. Nothing here writes: no route takes a body or changes
    // a setting.
    const std::vector<std::pair<std::string, std::string>> fresh{{"Cache-Control", "no-store"}};
    routes["/"] = [](std::string_view) {
        return http::Body{"text/html; charset=utf-8",
                          std::string(http::page_html()),
                          {{"Content-Security-Policy", std::string(http::page_csp())},
                           {"Cache-Control", "no-store"},
                           {"Referrer-Policy", "no-referrer"},
                           {"X-Frame-Options", "DENY"}}};
    };
    routes["/api/status"] = [this, fresh](std::string_view) {
        return http::Body{"application/json", latest_ ? latest_->dump() + "\n" : "null\n", fresh};
    };
    routes["/api/history"] = [this, fresh](std::string_view query) {
        return http::Body{"application/json",
                          history_->render(since_of(query), uptime_s(), run_id_), fresh};
    };
    metrics_ = std::make_unique<http::Server>(io_, std::move(routes));
    if (auto started = metrics_->start(*at); !started) {
        // Not fatal: the inverter side matters more than a scrape target.
        spdlog::error(
            "http: {}; not serving the status page and /metrics (fix /http/listen and reload)",
            started.error().detail);
        metrics_.reset();
        return;
    }
    spdlog::info("http: serving http://{}/ (status page) and /metrics", metrics.listen);
}

void Monitor::stop() {
    if (mqtt_) mqtt_->stop();
    mqtt_.reset();
    metrics_.reset();
}

void Monitor::publish(std::string_view status_text) {
    // Let go of the previous document before parsing the next one: the MQTT output holds it
    // too, and two documents alive at once were half of what monitoring added to the RSS.
    latest_.reset();
    if (mqtt_) mqtt_->update(nullptr);
    latest_ = std::make_shared<const nlohmann::json>(nlohmann::json::parse(status_text));
    if (history_ && latest_) history_->add(uptime_s(), *latest_);
    if (mqtt_) mqtt_->update(latest_);
}

}  // namespace packbridge::monitor
