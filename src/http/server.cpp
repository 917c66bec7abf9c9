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

#include <chrono>
#include <optional>

namespace packbridge::http {

namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = boost::asio::ip::tcp;

namespace {

constexpr auto kIdleTimeout = std::chrono::seconds(10);
constexpr int kMaxRequestsPerConnection = 100;

}  // namespace

struct Server::Shared {
    std::map<std::string, Route> routes;
    int connections = 0;
};

namespace {

class Session : public std::enable_shared_from_this<Session> {
  public:
    Session(tcp::socket socket, std::shared_ptr<Server::Shared> shared)
        : stream_(std::move(socket)), shared_(std::move(shared)) {
        ++shared_->connections;
    }
    ~Session() { --shared_->connections; }

    void read() {
        parser_.emplace();
        parser_->header_limit(static_cast<std::uint32_t>(kMaxHeaderBytes));
        parser_->body_limit(0);  // GET and HEAD carry no body
        stream_.expires_after(kIdleTimeout);
        bhttp::async_read(
            stream_, buffer_, *parser_,
            [self = shared_from_this()](beast::error_code ec, std::size_t) { self->on_read(ec); });
    }

  private:
    void on_read(beast::error_code ec) {
        if (ec == bhttp::error::end_of_stream || ec == beast::error::timeout ||
            ec == boost::asio::error::operation_aborted || ec == boost::asio::error::eof ||
            ec == boost::asio::error::connection_reset)
            return;  // the client is gone or idle: close quietly
        if (ec == bhttp::error::header_limit) {
            reply(bhttp::status::request_header_fields_too_large, "text/plain",
                  "request header larger than 8 KiB\n", false, false);
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
        std::string path(req.target());
        path = path.substr(0, path.find('?'));
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
        Body body = route->second();
        reply(bhttp::status::ok, body.content_type, std::move(body.text), keep, head);
    }

    void reply(bhttp::status status, const std::string& type, std::string text, bool keep,
               bool head) {
        auto res = std::make_shared<bhttp::response<bhttp::string_body>>(status, 11);
        res->set(bhttp::field::server, "packbridge");
        res->set(bhttp::field::content_type, type);
        if (status == bhttp::status::method_not_allowed) res->set(bhttp::field::allow, "GET, HEAD");
        res->keep_alive(keep);
        const auto length = text.size();
        if (!head) res->body() = std::move(text);
        res->prepare_payload();
        if (head) res->content_length(length);
        stream_.expires_after(kIdleTimeout);
        bhttp::async_write(
            stream_, *res,
            [self = shared_from_this(), res, keep](beast::error_code ec, std::size_t) {
                if (ec) return;
                if (keep) {
                    self->read();
                } else {
                    beast::error_code ignored;
                    self->stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
                }
            });
    }

    beast::tcp_stream stream_;
    beast::flat_buffer buffer_{kMaxHeaderBytes + 1024};
    std::optional<bhttp::request_parser<bhttp::empty_body>> parser_;
    std::shared_ptr<Server::Shared> shared_;
    int requests_ = 0;
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
    if (acceptor_.listen(16, ec); ec) {
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
                    // Over the limit: closed at once rather than queued; a scraper retries.
                    boost::system::error_code ignored;
                    socket.close(ignored);
                } else {
                    std::make_shared<Session>(std::move(socket), shared)->read();
                }
            }
            if (acceptor_.is_open()) accept();
        });
}

}  // namespace packbridge::http
