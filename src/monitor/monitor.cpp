// SPDX-License-Identifier: Apache-2.0
#include "packbridge/monitor/monitor.hpp"

#include <spdlog/spdlog.h>

#include "packbridge/monitor/metrics_text.hpp"

namespace packbridge::monitor {

Monitor::Monitor(boost::asio::io_context& io, std::string version)
    : io_(io), version_(std::move(version)) {}

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
        spdlog::error("metrics: /metrics/listen: {}; not serving", at.error().detail);
        return;
    }
    std::map<std::string, http::Route> routes;
    // Rendered at scrape time from the document of the latest tick: a scrape every 15 s costs
    // one rendering, not one per tick.
    routes["/metrics"] = [this] {
        return http::Body{kMetricsContentType, latest_ ? metrics_text(*latest_) : std::string()};
    };
    metrics_ = std::make_unique<http::Server>(io_, std::move(routes));
    if (auto started = metrics_->start(*at); !started) {
        // Not fatal: the inverter side matters more than a scrape target.
        spdlog::error("metrics: {}; not serving /metrics (fix /metrics/listen and reload)",
                      started.error().detail);
        metrics_.reset();
        return;
    }
    spdlog::info("metrics: serving http://{}/metrics", metrics.listen);
}

void Monitor::stop() {
    if (mqtt_) mqtt_->stop();
    mqtt_.reset();
    metrics_.reset();
}

void Monitor::publish(StatusDoc status) {
    latest_ = std::move(status);
    if (mqtt_) mqtt_->update(latest_);
}

}  // namespace packbridge::monitor
