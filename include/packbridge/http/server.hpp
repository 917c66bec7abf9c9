// SPDX-License-Identifier: Apache-2.0
#pragma once

// A small HTTP/1.1 server on Boost.Beast, in the daemon's io_context: fixed GET routes (today
// /metrics; a status page may follow), everything else 404, other methods 405, oversized
// headers 431. Bounded: a few connections at once, an 8 KiB header, an idle timeout, so a
// misbehaving client cannot take memory or the loop from the inverter side.

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>

#include "packbridge/asio.hpp"
#include "packbridge/result.hpp"

namespace packbridge::http {

struct Body {
    std::string content_type;
    std::string text;
};
using Route = std::function<Body()>;

inline constexpr std::size_t kMaxHeaderBytes = 8 * 1024;
inline constexpr int kMaxConnections = 8;

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
