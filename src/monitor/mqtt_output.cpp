// SPDX-License-Identifier: Apache-2.0
#include "packbridge/monitor/mqtt_output.hpp"

#include <mosquitto.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <mutex>

#include "packbridge/pack_reading.hpp"
#include "packbridge/util/read_file.hpp"

namespace packbridge::monitor {
namespace {

constexpr int kKeepaliveS = 30;
constexpr int kMaxInflight = 32;  // handed to libmosquitto, not yet written/acked
constexpr auto kMaxBackoff = std::chrono::seconds(60);
constexpr auto kConnectTimeout = std::chrono::seconds(10);
constexpr auto kMiscPeriod = std::chrono::seconds(1);

std::string default_client_id() {
    std::array<char, 65> host{};
    if (::gethostname(host.data(), host.size() - 1) != 0) return "packbridge";
    return "packbridge-" + std::string(host.data());
}

// libmosquitto's texts end in '.', which reads badly inside a log line.
std::string sentence(const char* text) {
    std::string s = text != nullptr ? text : "unknown error";
    while (!s.empty() && s.back() == '.')
        s.pop_back();
    return s;
}

std::string mosq_error(int rc) {
    if (rc == MOSQ_ERR_ERRNO) return std::strerror(errno);
    return sentence(mosquitto_strerror(rc));
}

}  // namespace

// The libmosquitto handle and what its callbacks report back (they run inside loop_read/write;
// the output acts on the flags afterwards, never from within a callback).
struct MqttOutput::Mosq {
    mosquitto* handle = nullptr;
    bool connack = false;
    int connack_rc = -1;
    int published = 0;  // on_publish calls since the last look
    ~Mosq() {
        if (handle) mosquitto_destroy(handle);  // closes the socket if still open
    }
};

MqttOutput::MqttOutput(boost::asio::io_context& io, MqttConfig config, std::string version)
    : io_(io),
      config_(std::move(config)),
      id_(make_identity(config_.topic_prefix, config_.discovery_prefix, version)),
      client_id_(config_.client_id.empty() ? default_client_id() : config_.client_id),
      resolver_(io),
      retry_(io),
      misc_(io) {
    static std::once_flag init;
    std::call_once(init, [] { mosquitto_lib_init(); });
}

MqttOutput::~MqttOutput() {
    *alive_ = false;
    running_ = false;
    teardown();
}

std::string MqttOutput::broker() const {
    return config_.host + ":" + std::to_string(config_.port);
}

void MqttOutput::start() {
    running_ = true;
    attempt();
}

void MqttOutput::stop() {
    if (!running_) return;
    running_ = false;
    const bool was_connected = state_ == State::connected;
    if (was_connected && mosq_) {
        // Best effort, non-blocking: whatever the socket takes now goes out.
        const std::string offline = "offline";
        mosquitto_publish(mosq_->handle, nullptr, availability_topic(id_).c_str(),
                          static_cast<int>(offline.size()), offline.data(),
                          static_cast<int>(config_.qos), true);
        mosquitto_disconnect(mosq_->handle);
        mosquitto_loop_write(mosq_->handle, 4);
    }
    teardown();
    if (was_connected) spdlog::info("mqtt: disconnected from {} (published offline)", broker());
}

void MqttOutput::teardown() {
    resolver_.cancel();
    retry_.cancel();
    misc_.cancel();
    if (socket_) {
        socket_->cancel();
        (void)socket_->release();  // libmosquitto owns (and closes) the descriptor
        socket_.reset();
    }
    reading_ = writing_ = false;
    mosq_.reset();
    inflight_ = 0;
    outbox_.clear();
    discovery_due_.clear();
    pack_up_.clear();
    state_ = State::idle;
}

void MqttOutput::attempt() {
    if (!running_) return;
    state_ = State::resolving;
    boost::system::error_code ec;
    const auto address = boost::asio::ip::make_address(config_.host, ec);
    if (!ec) {
        connect_to(address.to_string());
        return;
    }
    // A name: resolved by Asio without blocking the loop (getaddrinfo inside libmosquitto
    // would wait on a dead DNS server for seconds while the inverter waits for its frame).
    std::weak_ptr<bool> alive = alive_;
    resolver_.async_resolve(
        config_.host, std::to_string(config_.port),
        [this, alive](const boost::system::error_code& rec,
                      const boost::asio::ip::tcp::resolver::results_type& results) {
            if (alive.expired() || rec == boost::asio::error::operation_aborted) return;
            if (rec || results.empty()) {
                failed("cannot resolve the host name: " + rec.message(), false);
                return;
            }
            // TLS verifies the certificate against the name, so libmosquitto gets the name
            // (now in the resolver's answer); plain MQTT gets the address.
            connect_to(config_.tls.ca_file.empty()
                           ? results.begin()->endpoint().address().to_string()
                           : config_.host);
        });
}

void MqttOutput::connect_to(const std::string& host) {
    mosq_ = std::make_unique<Mosq>();
    mosq_->handle = mosquitto_new(client_id_.c_str(), true, mosq_.get());
    if (mosq_->handle == nullptr) {
        failed("mosquitto_new failed: " + std::string(std::strerror(errno)), false);
        return;
    }
    mosquitto* m = mosq_->handle;
    mosquitto_int_option(m, MOSQ_OPT_PROTOCOL_VERSION, MQTT_PROTOCOL_V311);
    mosquitto_connect_callback_set(m, [](mosquitto*, void* user, int rc) {
        auto* self = static_cast<Mosq*>(user);
        self->connack = true;
        self->connack_rc = rc;
    });
    mosquitto_publish_callback_set(
        m, [](mosquitto*, void* user, int) { ++static_cast<Mosq*>(user)->published; });
    const std::string offline = "offline";
    mosquitto_will_set(m, availability_topic(id_).c_str(), static_cast<int>(offline.size()),
                       offline.data(), static_cast<int>(config_.qos), true);
    if (!config_.username.empty()) {
        std::string password;
        if (!config_.password_file.empty()) {
            auto text = read_small_file(config_.password_file, "the MQTT password file", 4096);
            if (!text) {
                failed(text.error().detail, false);
                return;
            }
            password = *text;
            while (!password.empty() && (password.back() == '\n' || password.back() == '\r'))
                password.pop_back();
        }
        mosquitto_username_pw_set(m, config_.username.c_str(),
                                  config_.password_file.empty() ? nullptr : password.c_str());
    }
    if (!config_.tls.ca_file.empty()) {
        const int rc = mosquitto_tls_set(
            m, config_.tls.ca_file.c_str(), nullptr,
            config_.tls.cert_file.empty() ? nullptr : config_.tls.cert_file.c_str(),
            config_.tls.key_file.empty() ? nullptr : config_.tls.key_file.c_str(), nullptr);
        if (rc != MOSQ_ERR_SUCCESS) {
            failed("TLS set-up (" + config_.tls.ca_file + "): " + mosq_error(rc), false);
            return;
        }
    }
    state_ = State::connecting;
    connect_deadline_ = Clock::now() + kConnectTimeout;
    const int rc =
        mosquitto_connect_async(m, host.c_str(), static_cast<int>(config_.port), kKeepaliveS);
    if (rc != MOSQ_ERR_SUCCESS || mosquitto_socket(m) < 0) {
        failed(mosq_error(rc), false);
        return;
    }
    socket_.emplace(io_, mosquitto_socket(m));
    arm_read();
    arm_write();
    arm_misc();
}

void MqttOutput::arm_read() {
    if (!socket_ || reading_) return;
    reading_ = true;
    std::weak_ptr<bool> alive = alive_;
    socket_->async_wait(boost::asio::posix::stream_descriptor::wait_read,
                        [this, alive](const boost::system::error_code& ec) {
                            if (alive.expired() || ec == boost::asio::error::operation_aborted)
                                return;
                            reading_ = false;
                            if (!mosq_) return;
                            after_io(mosquitto_loop_read(mosq_->handle, 1));
                        });
}

void MqttOutput::arm_write() {
    if (!socket_ || writing_ || !mosq_ || !mosquitto_want_write(mosq_->handle)) return;
    writing_ = true;
    std::weak_ptr<bool> alive = alive_;
    socket_->async_wait(boost::asio::posix::stream_descriptor::wait_write,
                        [this, alive](const boost::system::error_code& ec) {
                            if (alive.expired() || ec == boost::asio::error::operation_aborted)
                                return;
                            writing_ = false;
                            if (!mosq_) return;
                            after_io(mosquitto_loop_write(mosq_->handle, 1));
                        });
}

void MqttOutput::arm_misc() {
    misc_.expires_after(kMiscPeriod);
    std::weak_ptr<bool> alive = alive_;
    misc_.async_wait([this, alive](const boost::system::error_code& ec) {
        if (alive.expired() || ec || !mosq_) return;
        if (state_ == State::connecting && Clock::now() > connect_deadline_) {
            failed("no answer from the broker within 10 s", false);
            return;
        }
        after_io(mosquitto_loop_misc(mosq_->handle));
        if (mosq_) arm_misc();
    });
}

// After every libmosquitto call: act on what its callbacks reported, then wait again.
void MqttOutput::after_io(int rc) {
    if (!mosq_) return;
    if (mosq_->connack) {
        mosq_->connack = false;
        if (mosq_->connack_rc != 0) {
            failed(sentence(mosquitto_connack_string(mosq_->connack_rc)), true);
            return;
        }
        on_connected();
    }
    inflight_ = std::max(0, inflight_ - mosq_->published);
    mosq_->published = 0;
    if (rc != MOSQ_ERR_SUCCESS || mosquitto_socket(mosq_->handle) < 0) {
        failed(rc == MOSQ_ERR_SUCCESS ? "connection closed" : mosq_error(rc), false);
        return;
    }
    drain();
    arm_read();
    arm_write();
}

void MqttOutput::failed(const std::string& why, bool refused) {
    const bool was_connected = state_ == State::connected;
    const bool keep_running = running_;
    teardown();
    running_ = keep_running;
    if (!running_) return;
    const std::string problem = (refused ? "refused: " : "") + why;
    if (problem != logged_problem_) {
        if (refused) {
            spdlog::error(
                "mqtt: broker {} refused the connection: {} (client id \"{}\"{}); "
                "retrying with back-off up to {} s",
                broker(), why, client_id_,
                config_.username.empty() ? "" : ", user \"" + config_.username + "\"",
                kMaxBackoff.count());
        } else if (was_connected) {
            spdlog::warn("mqtt: lost the connection to broker {}: {}; reconnecting", broker(), why);
        } else {
            spdlog::warn("mqtt: cannot connect to broker {}: {}; retrying with back-off up to {} s",
                         broker(), why, kMaxBackoff.count());
        }
        logged_problem_ = problem;
    }
    // A connection that was up retries at once (a restarted broker); failures back off.
    const auto delay = was_connected ? std::chrono::seconds(1) : backoff_;
    if (!was_connected) backoff_ = std::min(backoff_ * 2, std::chrono::seconds(kMaxBackoff));
    state_ = State::waiting;
    retry_.expires_after(delay);
    std::weak_ptr<bool> alive = alive_;
    retry_.async_wait([this, alive](const boost::system::error_code& ec) {
        if (alive.expired() || ec) return;
        attempt();
    });
}

void MqttOutput::on_connected() {
    state_ = State::connected;
    backoff_ = std::chrono::seconds(1);
    spdlog::info("mqtt: connected to broker {}{} as \"{}\", publishing under {}/...{}", broker(),
                 config_.tls.ca_file.empty() ? "" : " (TLS)", client_id_, id_.topic_prefix,
                 id_.discovery_prefix.empty() ? "" : ", discovery under " + id_.discovery_prefix);
    logged_problem_.clear();
    outbox_.put({availability_topic(id_), "online", true});
    // Everything again: a restarted broker may have lost its retained messages.
    discovery_due_.insert(-1);
    for (const auto& [address, shape] : shapes_)
        discovery_due_.insert(static_cast<int>(address));
    pack_up_.clear();
    // A pack announced by an earlier run that this run has not seen (yet) would keep that run's
    // retained "online": clearing it leaves its entities unavailable until the pack answers.
    for (unsigned a = 0; a < kMaxPacks; ++a)
        if (shapes_.count(a) == 0) outbox_.put({pack_topic(id_, a, "availability"), "", true});
    state_due_ = true;
    if (latest_) queue_pack_availability();
}

void MqttOutput::queue_pack_availability() {
    std::map<unsigned, bool> now;
    for (const auto& [address, shape] : shapes_)
        now[address] = false;  // known once, gone now: unavailable, not deleted
    for (const auto& p : latest_->at("packs"))
        now[p.at("address").get<unsigned>()] = pack_available(p);
    for (const auto& [address, up] : now) {
        const auto it = pack_up_.find(address);
        if (it != pack_up_.end() && it->second == up) continue;
        pack_up_[address] = up;
        outbox_.put({pack_topic(id_, address, "availability"), up ? "online" : "offline", true});
    }
}

void MqttOutput::update(StatusDoc status) {
    latest_ = std::move(status);
    if (!latest_) return;
    PackShapes before = shapes_;
    if (update_shapes(shapes_, *latest_)) {
        for (const auto& [address, shape] : shapes_) {
            const auto it = before.find(address);
            if (it == before.end() || !(it->second == shape))
                discovery_due_.insert(static_cast<int>(address));
        }
    }
    const auto now = Clock::now();
    if (now - last_state_ >= std::chrono::seconds(config_.interval_s)) state_due_ = true;
    if (state_ != State::connected) return;
    queue_pack_availability();
    drain();
    arm_write();
}

// Hands queued messages to libmosquitto while fewer than kMaxInflight are unsent. Discovery is
// rendered one device at a time and states only once the outbox is empty, so what waits in
// memory is at most one device's configs plus one message per topic.
void MqttOutput::drain() {
    while (state_ == State::connected && mosq_) {
        // libmosquitto writes at once when the socket takes it, and reports QoS 0 messages as
        // published from inside mosquitto_publish(): count them here, not only after the next
        // socket event, or a burst (discovery) would crawl at kMaxInflight per misc tick.
        inflight_ = std::max(0, inflight_ - mosq_->published);
        mosq_->published = 0;
        if (inflight_ >= kMaxInflight) break;
        if (outbox_.empty()) {
            if (!discovery_due_.empty()) {
                const int which = *discovery_due_.begin();
                discovery_due_.erase(discovery_due_.begin());
                auto messages = which < 0 ? gateway_discovery(id_)
                                          : pack_discovery(id_, static_cast<unsigned>(which),
                                                           shapes_[static_cast<unsigned>(which)]);
                for (auto& m : messages)
                    outbox_.put(std::move(m));
                continue;
            }
            if (state_due_ && latest_) {
                state_due_ = false;
                last_state_ = Clock::now();
                outbox_.put({state_topic(id_), bank_state(*latest_).dump(), false});
                for (const auto& p : latest_->at("packs"))
                    outbox_.put({pack_topic(id_, p.at("address").get<unsigned>(), "state"),
                                 pack_state(p).dump(), false});
                continue;
            }
            break;
        }
        auto m = outbox_.take();
        const int rc = mosquitto_publish(mosq_->handle, nullptr, m->topic.c_str(),
                                         static_cast<int>(m->payload.size()), m->payload.data(),
                                         static_cast<int>(config_.qos), m->retain);
        if (rc != MOSQ_ERR_SUCCESS) {
            // The connection is going; the read/write handlers will notice and reconnect, and
            // a reconnect publishes everything again.
            break;
        }
        ++inflight_;
    }
}

}  // namespace packbridge::monitor
