// SPDX-License-Identifier: Apache-2.0
#pragma once

// A small HTTP/1.1 server on Boost.Beast, in the daemon's io_context: fixed GET routes
// (/metrics, the status page and its API), everything else 404, other methods 405, a body 413,
// a long URL 414, oversized headers 431, a request not complete in time 408, more connections
// than it serves 503. Bounded: a few connections at once, an 8 KiB header, a deadline per
// request, so a misbehaving client cannot take memory or the loop from the inverter side.

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "packbridge/asio.hpp"
#include "packbridge/result.hpp"

namespace packbridge::http {

struct Body {
    std::string content_type;
    std::string text;
    // Extra response headers (Content-Security-Policy, Cache-Control ...).
    std::vector<std::pair<std::string, std::string>> headers = {};
};
// Called with the query string (after '?', "" when none).
using Route = std::function<Body(std::string_view query)>;

inline constexpr std::size_t kMaxHeaderBytes = 8 * 1024;
inline constexpr std::size_t kMaxTargetBytes = 2 * 1024;
// Connections served at once: a browser opens up to 6, a scraper 1. Beyond it a connection gets
// a fixed 503 and is closed; beyond kMaxRejecting such answers in flight it is closed at once.
inline constexpr int kMaxConnections = 16;
inline constexpr int kMaxRejecting = 64;
// A request (the line and the headers) must arrive within this time; an idle keep-alive
// connection is closed after kIdleTimeout.
inline constexpr auto kRequestTimeout = std::chrono::seconds(5);
inline constexpr auto kIdleTimeout = std::chrono::seconds(10);

// "127.0.0.1:9790", "[::1]:9790", "0.0.0.0:9790"; errors say what is wrong.
Result<boost::asio::ip::tcp::endpoint> parse_listen(const std::string& spec);

class Server {
  public:
    Server(boost::asio::io_context& io, std::map<std::string, Route> routes);
    ~Server();
    Server(const Server&) = delete;
    Server& operator=(const Server&) = delete;

    // Binds and listens; the error names the address and the OS's reason.
    Result<void> start(const boost::asio::ip::tcp::endpoint& at);
    void stop();
    // The bound port (useful after binding port 0).
    [[nodiscard]] std::uint16_t port() const;

    struct Shared;  // routes and the live-connection count, shared with the sessions

  private:
    void accept();

    boost::asio::ip::tcp::acceptor acceptor_;
    std::shared_ptr<Shared> shared_;
};

}  // namespace packbridge::http
