// SPDX-License-Identifier: Apache-2.0
#pragma once

// The monitoring outputs as one piece for the daemon: the MQTT output and the /metrics server,
// each built only when its config section turns it on. The daemon renders the status document
// once per tick and hands the same document to the status file and to publish(), so all three
// say the same thing about the same moment.

#include <memory>
#include <string>

#include "packbridge/asio.hpp"
#include "packbridge/config.hpp"
#include "packbridge/http/server.hpp"
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
    void publish(StatusDoc status);

  private:
    boost::asio::io_context& io_;
    std::string version_;
    std::unique_ptr<MqttOutput> mqtt_;
    std::unique_ptr<http::Server> metrics_;
    MetricsConfig metrics_config_;
    StatusDoc latest_;
};

}  // namespace packbridge::monitor
