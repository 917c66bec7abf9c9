// SPDX-License-Identifier: Apache-2.0
// The HTTP server on a real localhost socket, driven by curl: routes, 404, 405, 431, HEAD.
#include "packbridge/http/server.hpp"

#include <catch2/catch.hpp>
#include <thread>

#include "support/process.hpp"

using namespace packbridge;
using namespace std::chrono_literals;

namespace {

struct Running {
    boost::asio::io_context io;
    http::Server server{io, {{"/metrics", [](std::string_view) {
                                  return http::Body{"text/plain", "up 1\n"};
                              }}}};
    std::thread thread;
    Running() {
        auto at = http::parse_listen("127.0.0.1:0");
        REQUIRE(at);
        REQUIRE(server.start(*at));
        thread = std::thread([this] {
            auto guard = boost::asio::make_work_guard(io);
            io.run();
        });
    }
    ~Running() {
        boost::asio::post(io, [this] {
            server.stop();
            io.stop();
        });
        thread.join();
    }
    [[nodiscard]] std::string url(const std::string& path) const {
        return "http://127.0.0.1:" + std::to_string(server.port()) + path;
    }
};

// curl's -w line: "<code> <size of the body>", and the headers (-D -) before it.
testing::ProcessResult curl(std::vector<std::string> args) {
    std::vector<std::string> argv{"curl", "-s", "-D", "-", "-w", "\n%{http_code} %{size_download}"};
    argv.insert(argv.end(), args.begin(), args.end());
    return testing::run_process(argv, 5000ms);
}

bool ends_with(const std::string& s, const std::string& tail) {
    return s.size() >= tail.size() && s.compare(s.size() - tail.size(), tail.size(), tail) == 0;
}

}  // namespace

TEST_CASE("the server answers GET on its route and 404 elsewhere", "[http]") {
    Running r;
    auto ok = curl({r.url("/metrics")});
    CHECK(ok.exit_code == 0);
    CHECK(ends_with(ok.out, "up 1\n\n200 5"));
    CHECK(ok.out.find("Content-Type: text/plain") != std::string::npos);
    CHECK(ends_with(curl({r.url("/metrics?x=1")}).out, "200 5"));
    CHECK(ends_with(curl({r.url("/")}).out, "404 10"));
    CHECK(ends_with(curl({r.url("/metrics/x")}).out, "404 10"));
}

TEST_CASE("other methods get 405 with Allow, HEAD gets the length without a body", "[http]") {
    Running r;
    const auto post = curl({"-X", "POST", r.url("/metrics")});
    CHECK(post.out.find("HTTP/1.1 405") == 0);
    CHECK(post.out.find("Allow: GET, HEAD") != std::string::npos);
    const auto head = curl({"-I", r.url("/metrics")});
    CHECK(head.out.find("HTTP/1.1 200") == 0);
    CHECK(head.out.find("Content-Length: 5") != std::string::npos);
    CHECK(ends_with(head.out, "200 0"));
}

TEST_CASE("a request header over 8 KiB gets 431 and the server keeps serving", "[http]") {
    Running r;
    const auto big = curl({"-H", "X-Big: " + std::string(9000, 'x'), r.url("/metrics")});
    CHECK(big.out.find("HTTP/1.1 431") == 0);
    CHECK(ends_with(curl({r.url("/metrics")}).out, "200 5"));
}

TEST_CASE("a route gets the query and adds its headers, long URLs get 414 and bodies 413",
          "[http]") {
    boost::asio::io_context io;
    http::Server server{io, {{"/q", [](std::string_view query) {
                                  return http::Body{"text/plain",
                                                    std::string(query) + "\n",
                                                    {{"Cache-Control", "no-store"}}};
                              }}}};
    REQUIRE(server.start(*http::parse_listen("127.0.0.1:0")));
    std::thread thread([&io] {
        auto guard = boost::asio::make_work_guard(io);
        io.run();
    });
    const std::string base = "http://127.0.0.1:" + std::to_string(server.port());
    const auto q = curl({base + "/q?since=12&x=1"});
    CHECK(ends_with(q.out, "since=12&x=1\n\n200 13"));
    CHECK(q.out.find("Cache-Control: no-store") != std::string::npos);
    CHECK(q.out.find("X-Content-Type-Options: nosniff") != std::string::npos);
    CHECK(curl({base + "/q?" + std::string(3000, 'x')}).out.find("HTTP/1.1 414") == 0);
    CHECK(curl({"-X", "POST", "-d", "hello", base + "/q"}).out.find("HTTP/1.1 413") == 0);
    boost::asio::post(io, [&] {
        server.stop();
        io.stop();
    });
    thread.join();
}

TEST_CASE("listen addresses parse as IPv4 and bracketed IPv6, names and bad ports are refused",
          "[http]") {
    CHECK(http::parse_listen("127.0.0.1:9790")->port() == 9790);
    CHECK(http::parse_listen("[::1]:9790")->address().is_v6());
    CHECK_FALSE(http::parse_listen("localhost:9790"));
    CHECK_FALSE(http::parse_listen("127.0.0.1:99999"));
    CHECK_FALSE(http::parse_listen("127.0.0.1"));
}
