// SPDX-License-Identifier: Apache-2.0
#pragma once

// The MQTT output: libmosquitto driven from the daemon's io_context. Its socket waits in Asio
// (read always, write while libmosquitto has something to send), mosquitto_loop_misc runs on a
// 1 s timer; no thread of its own, and every call into libmosquitto is non-blocking, so a broker
// that is down, slow or refusing can never hold up the inverter side on the same loop.
// Publishing follows monitor::Outbox and a bounded in-flight count: the newest state replaces
// an unsent one; nothing piles up while the broker is away.

#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>

#include "packbridge/asio.hpp"
#include "packbridge/clock.hpp"
#include "packbridge/config.hpp"
#include "packbridge/monitor/outbox.hpp"
#include "packbridge/monitor/payloads.hpp"

namespace packbridge::monitor {

using StatusDoc = std::shared_ptr<const nlohmann::json>;

class MqttOutput {
  public:
    MqttOutput(boost::asio::io_context& io, MqttConfig config, std::string version);
    ~MqttOutput();
    MqttOutput(const MqttOutput&) = delete;
    MqttOutput& operator=(const MqttOutput&) = delete;

    void start();
    // Publishes "offline" (a clean stop is no crash: the will is not sent) and disconnects.
    void stop();
    // The status document of this tick; publishes when the interval is due.
    void update(StatusDoc status);

    [[nodiscard]] bool connected() const { return state_ == State::connected; }
    [[nodiscard]] const MqttConfig& config() const { return config_; }

  private:
    enum class State { idle, resolving, connecting, connected, waiting };
    struct Mosq;

    void attempt();
    void connect_to(const std::string& host);
    void arm_read();
    void arm_write();
    void arm_misc();
    void after_io(int rc);
    void failed(const std::string& why, bool refused);
    void teardown();
    void on_connected();
    void drain();
    void queue_pack_availability();
    [[nodiscard]] std::string broker() const;

    boost::asio::io_context& io_;
    MqttConfig config_;
    Identity id_;
    std::string client_id_;
    std::unique_ptr<Mosq> mosq_;
    std::optional<boost::asio::posix::stream_descriptor> socket_;
    boost::asio::ip::tcp::resolver resolver_;
    boost::asio::steady_timer retry_;
    boost::asio::steady_timer misc_;
    State state_ = State::idle;
    bool reading_ = false;
    bool writing_ = false;
    bool running_ = false;
    std::chrono::seconds backoff_{1};
    TimePoint connect_deadline_{};
    std::string logged_problem_;  // the last problem logged: one line per change, not per try
    int inflight_ = 0;
    Outbox outbox_;
    StatusDoc latest_;
    PackShapes shapes_;
    std::set<int> discovery_due_;       // -1 = the gateway, else pack addresses
    std::map<unsigned, bool> pack_up_;  // pack availability as last queued
    TimePoint last_state_{};
    bool state_due_ = false;
    std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace packbridge::monitor
