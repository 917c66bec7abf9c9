// SPDX-License-Identifier: Apache-2.0
#pragma once

// The monitoring outputs as one piece for the daemon: the MQTT output and the HTTP server
// (/metrics, the status page, /api/status, /api/history), each built only when its config
// section turns it on. The daemon renders the status document
// once per tick and hands the same document to the status file and to publish(), so all three
// say the same thing about the same moment.

#include <memory>
#include <string>
#include <string_view>

#include "packbridge/asio.hpp"
#include "packbridge/clock.hpp"
#include "packbridge/config.hpp"
#include "packbridge/http/server.hpp"
#include "packbridge/monitor/history.hpp"
#include "packbridge/monitor/mqtt_output.hpp"

namespace packbridge::monitor {

class Monitor {
  public:
    Monitor(boost::asio::io_context& io, std::string version);
    ~Monitor();
    Monitor(const Monitor&) = delete;
    Monitor& operator=(const Monitor&) = delete;

    // Starts what `config` enables; a reload calls it again and only changed outputs restart.
    void configure(const MqttConfig& mqtt, const MetricsConfig& metrics);
    void stop();
    // True when some output wants the status document.
    [[nodiscard]] bool active() const { return mqtt_ || metrics_; }
    // The tick's status document as written to status.json, parsed here once for the outputs.
    void publish(std::string_view status_text);

  private:
    [[nodiscard]] std::uint32_t uptime_s() const;

    boost::asio::io_context& io_;
    std::string version_;
    std::unique_ptr<MqttOutput> mqtt_;
    std::unique_ptr<http::Server> metrics_;
    MetricsConfig metrics_config_;
    StatusDoc latest_;
    // The charts' samples: allocated (fixed size) when the HTTP server is first enabled, kept
    // across reloads unless the interval changes.
    std::unique_ptr<History> history_;
    TimePoint started_ = Clock::now();
    std::uint32_t run_id_ = 0;  // changes with every start: the page then reloads the history
};

}  // namespace packbridge::monitor
