// SPDX-License-Identifier: Apache-2.0
#pragma once

// A real mosquitto broker for the monitoring tests: its own config file on a free localhost
// port, optionally TLS (CA and server certificate made by openssl here) and a password file.
// Plus mosquitto_sub as the consumer, and the daemon's config for these tests.

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "support/free_port.hpp"
#include "support/process.hpp"

namespace packbridge::testing {

struct BrokerOptions {
    bool tls = false;
    std::string user;  // "" = anonymous allowed
    std::string password;
};

class Broker {
  public:
    Broker(const std::filesystem::path& dir, BrokerOptions options = {});
    [[nodiscard]] std::uint16_t port() const { return port_; }
    [[nodiscard]] std::filesystem::path ca_file() const { return dir_ / "ca.crt"; }
    // SIGKILL: no goodbye to the clients, retained messages gone (persistence off).
    void kill();
    // Starts again on the same port; waits until it accepts connections.
    void start();
    // mosquitto_sub arguments for connecting to this broker (host, port, TLS, login).
    [[nodiscard]] std::vector<std::string> client_args() const;

  private:
    std::filesystem::path dir_;
    BrokerOptions options_;
    std::uint16_t port_;
    std::unique_ptr<ChildProcess> process_;
};

struct MqttMessage {
    std::string topic;
    std::string payload;
};

// The retained messages under `filter`, as a fresh subscriber sees them.
std::vector<MqttMessage> retained(const Broker& broker, const std::string& filter);

// mosquitto_sub in the background, every message under `filters` to a log file.
class Subscriber {
  public:
    Subscriber(const Broker& broker, const std::filesystem::path& log,
               const std::vector<std::string>& filters);
    [[nodiscard]] std::vector<MqttMessage> messages() const;

  private:
    std::filesystem::path log_;
    std::unique_ptr<ChildProcess> process_;
};

// Polls `done` every 50 ms until it holds or `timeout` passes; returns done().
bool wait_for(const std::function<bool()>& done, std::chrono::milliseconds timeout);

// The daemon's config: the simulator's pty, dry-run CAN, the status file, plus `monitor`
// (the "mqtt" and "metrics" members as JSON text, without braces, may be empty).
void write_monitor_config(const std::filesystem::path& path, const std::string& device,
                          const std::filesystem::path& status, const std::string& monitor);

}  // namespace packbridge::testing
