// SPDX-License-Identifier: Apache-2.0
#include "packbridge/http/server.hpp"

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wnull-dereference"
#pragma GCC diagnostic ignored "-Wshadow"
#pragma GCC diagnostic ignored "-Wconversion"
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#pragma GCC diagnostic pop

#include <spdlog/spdlog.h>

#include <array>
#include <chrono>
#include <optional>
#include <string_view>

namespace packbridge::http {

namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = boost::asio::ip::tcp;

namespace {

constexpr int kMaxRequestsPerConnection = 100;
// How long a rejected connection may take to read its 503 before it is closed.
constexpr auto kRejectLinger = std::chrono::seconds(1);
// Every response says this; the page adds its Content-Security-Policy.
constexpr const char* kNoSniff = "nosniff";

}  // namespace

struct Server::Shared {
    std::map<std::string, Route> routes;
    int connections = 0;
    int rejecting = 0;
};

namespace {

class Session : public std::enable_shared_from_this<Session> {
  public:
    Session(tcp::socket socket, std::shared_ptr<Server::Shared> shared)
        : stream_(std::move(socket)),
          deadline_(stream_.get_executor()),
          shared_(std::move(shared)) {
        ++shared_->connections;
    }
    ~Session() { --shared_->connections; }

    // The first request must be complete within kRequestTimeout of the connection, a following
    // one within kIdleTimeout of the last answer; a client that started one and stalls gets 408.
    void read(std::chrono::seconds limit = kRequestTimeout) {
        parser_.emplace();
        parser_->header_limit(static_cast<std::uint32_t>(kMaxHeaderBytes));
        parser_->body_limit(0);  // GET and HEAD carry no body
        stream_.expires_never();
        timed_out_ = false;
        deadline_.expires_after(limit);
        deadline_.async_wait([weak = weak_from_this()](boost::system::error_code ec) {
            const auto self = weak.lock();
            if (ec || !self) return;
            self->timed_out_ = true;
            boost::system::error_code ignored;
            self->stream_.socket().cancel(ignored);
        });
        bhttp::async_read(
            stream_, buffer_, *parser_,
            [self = shared_from_this()](beast::error_code ec, std::size_t) { self->on_read(ec); });
    }

  private:
    void on_read(beast::error_code ec) {
        deadline_.cancel();
        if (timed_out_) {
            // Started a request and stalled (slowloris): say so. Never started: close quietly
            // (browsers open spare connections they may not use).
            if (parser_->got_some() || buffer_.size() > 0)
                reply(bhttp::status::request_timeout, "text/plain",
                      "request not complete within its time\n", false, false);
            return;
        }
        if (ec == bhttp::error::end_of_stream || ec == beast::error::timeout ||
            ec == boost::asio::error::operation_aborted || ec == boost::asio::error::eof ||
            ec == boost::asio::error::connection_reset)
            return;  // the client is gone: close quietly
        if (ec == bhttp::error::header_limit) {
            reply(bhttp::status::request_header_fields_too_large, "text/plain",
                  "request header larger than 8 KiB\n", false, false);
            return;
        }
        if (ec == bhttp::error::body_limit) {
            reply(bhttp::status::payload_too_large, "text/plain",
                  "a request body is not accepted (read-only)\n", false, false);
            return;
        }
        if (ec) {
            reply(bhttp::status::bad_request, "text/plain", "bad request: " + ec.message() + "\n",
                  false, false);
            return;
        }
        const auto& req = parser_->get();
        ++requests_;
        const bool keep = req.keep_alive() && requests_ < kMaxRequestsPerConnection;
        const std::string_view target(req.target().data(), req.target().size());
        if (target.size() > kMaxTargetBytes) {
            reply(bhttp::status::uri_too_long, "text/plain", "URL longer than 2 KiB\n", false,
                  false);
            return;
        }
        const auto question = target.find('?');
        const std::string path(target.substr(0, question));
        const std::string_view query =
            question == std::string_view::npos ? std::string_view() : target.substr(question + 1);
        const auto route = shared_->routes.find(path);
        if (route == shared_->routes.end()) {
            reply(bhttp::status::not_found, "text/plain", "not found\n", keep, false);
            return;
        }
        const bool head = req.method() == bhttp::verb::head;
        if (req.method() != bhttp::verb::get && !head) {
            reply(bhttp::status::method_not_allowed, "text/plain", "only GET and HEAD\n", keep,
                  false);
            return;
        }
        Body body = route->second(query);
        reply(bhttp::status::ok, body.content_type, std::move(body.text), keep, head,
              &body.headers);
    }

    void reply(bhttp::status status, const std::string& type, std::string text, bool keep,
               bool head, const std::vector<std::pair<std::string, std::string>>* extra = nullptr) {
        auto res = std::make_shared<bhttp::response<bhttp::string_body>>(status, 11);
        res->set(bhttp::field::server, "packbridge");
        res->set(bhttp::field::content_type, type);
        res->set("X-Content-Type-Options", kNoSniff);
        if (status == bhttp::status::method_not_allowed) res->set(bhttp::field::allow, "GET, HEAD");
        if (extra != nullptr)
            for (const auto& [name, value] : *extra)
                res->set(name, value);
        res->keep_alive(keep);
        const auto length = text.size();
        if (!head) res->body() = std::move(text);
        res->prepare_payload();
        if (head) res->content_length(length);
        // A client that does not read its answer is dropped after the idle time.
        stream_.expires_after(kIdleTimeout);
        bhttp::async_write(
            stream_, *res,
            [self = shared_from_this(), res, keep](beast::error_code ec, std::size_t) {
                if (ec) return;
                if (keep) {
                    self->read(kIdleTimeout);
                } else {
                    beast::error_code ignored;
                    self->stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
                }
            });
    }

    beast::tcp_stream stream_;
    boost::asio::steady_timer deadline_;
    beast::flat_buffer buffer_{kMaxHeaderBytes + 1024};
    std::optional<bhttp::request_parser<bhttp::empty_body>> parser_;
    std::shared_ptr<Server::Shared> shared_;
    int requests_ = 0;
    bool timed_out_ = false;
};

// A connection over kMaxConnections: a fixed 503, then the socket lingers briefly so the client
// reads the answer instead of a reset, and closes.
class Rejection : public std::enable_shared_from_this<Rejection> {
  public:
    Rejection(tcp::socket socket, std::shared_ptr<Server::Shared> shared)
        : stream_(std::move(socket)), shared_(std::move(shared)) {
        ++shared_->rejecting;
    }
    ~Rejection() { --shared_->rejecting; }

    void start() {
        static constexpr std::string_view kBusy =
            "HTTP/1.1 503 Service Unavailable\r\nServer: packbridge\r\nContent-Type: "
            "text/plain\r\nX-Content-Type-Options: nosniff\r\nRetry-After: 1\r\nConnection: "
            "close\r\nContent-Length: 21\r\n\r\ntoo many connections\n";
        stream_.expires_after(kRejectLinger);
        boost::asio::async_write(stream_, boost::asio::buffer(kBusy.data(), kBusy.size()),
                                 [self = shared_from_this()](beast::error_code ec, std::size_t) {
                                     if (ec) return;
                                     beast::error_code ignored;
                                     self->stream_.socket().shutdown(tcp::socket::shutdown_send,
                                                                     ignored);
                                     self->drain();
                                 });
    }

  private:
    // Reads (and drops) what the client sent until it closes or the linger time is up.
    void drain() {
        stream_.async_read_some(boost::asio::buffer(scratch_),
                                [self = shared_from_this()](beast::error_code ec, std::size_t) {
                                    if (!ec) self->drain();
                                });
    }

    beast::tcp_stream stream_;
    std::shared_ptr<Server::Shared> shared_;
    std::array<char, 512> scratch_{};
};

}  // namespace

Result<tcp::endpoint> parse_listen(const std::string& spec) {
    const auto colon = spec.rfind(':');
    if (colon == std::string::npos || colon == 0)
        return make_error(Errc::invalid, "\"" + spec + "\" is not ADDRESS:PORT");
    std::string host = spec.substr(0, colon);
    if (host.size() > 2 && host.front() == '[' && host.back() == ']')
        host = host.substr(1, host.size() - 2);
    boost::system::error_code ec;
    const auto address = boost::asio::ip::make_address(host, ec);
    if (ec)
        return make_error(Errc::invalid, "\"" + host +
                                             "\" is not an IP address (a name is not accepted: say "
                                             "127.0.0.1, ::1 or 0.0.0.0)");
    const std::string port = spec.substr(colon + 1);
    if (port.empty() || port.size() > 5 ||
        port.find_first_not_of("0123456789") != std::string::npos || std::stoul(port) > 65535)
        return make_error(Errc::invalid, "\"" + port + "\" is not a port number");
    return tcp::endpoint(address, static_cast<std::uint16_t>(std::stoul(port)));
}

Server::Server(boost::asio::io_context& io, std::map<std::string, Route> routes)
    : acceptor_(io), shared_(std::make_shared<Shared>()) {
    shared_->routes = std::move(routes);
}

Server::~Server() {
    stop();
}

Result<void> Server::start(const tcp::endpoint& at) {
    boost::system::error_code ec;
    const auto where = [&at] { return at.address().to_string() + ":" + std::to_string(at.port()); };
    if (acceptor_.open(at.protocol(), ec); ec)
        return make_error(Errc::io, where() + ": cannot open a socket: " + ec.message());
    acceptor_.set_option(tcp::acceptor::reuse_address(true), ec);
    if (acceptor_.bind(at, ec); ec) {
        acceptor_.close(ec);
        return make_error(Errc::io, where() + ": cannot listen: " + ec.message());
    }
    if (acceptor_.listen(64, ec); ec) {
        acceptor_.close(ec);
        return make_error(Errc::io, where() + ": cannot listen: " + ec.message());
    }
    accept();
    return {};
}

void Server::stop() {
    boost::system::error_code ignored;
    acceptor_.close(ignored);
}

std::uint16_t Server::port() const {
    boost::system::error_code ec;
    const auto ep = acceptor_.local_endpoint(ec);
    return ec ? 0 : ep.port();
}

void Server::accept() {
    acceptor_.async_accept(
        [this, shared = shared_](boost::system::error_code ec, tcp::socket socket) {
            if (ec == boost::asio::error::operation_aborted) return;
            if (!ec) {
                if (shared->connections >= kMaxConnections) {
                    // Over the limit: a 503 rather than a queue; a scraper or the page retries.
                    // Over that limit too: closed at once, so memory stays bounded.
                    if (shared->rejecting < kMaxRejecting) {
                        std::make_shared<Rejection>(std::move(socket), shared)->start();
                    } else {
                        boost::system::error_code ignored;
                        socket.close(ignored);
                    }
                } else {
                    std::make_shared<Session>(std::move(socket), shared)->read();
                }
            }
            if (acceptor_.is_open()) accept();
        });
}

}  // namespace packbridge::http
