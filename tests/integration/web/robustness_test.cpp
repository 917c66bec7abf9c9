// SPDX-License-Identifier: Apache-2.0
// The status page's HTTP server in the running daemon, under requests no browser sends: a table
// of bad requests with their status codes, a slow client, 100 connections at once with the
// daemon's memory measured, and the CAN dry-run frame period while the page is hammered.
#include <atomic>
#include <catch2/catch.hpp>
#include <cmath>
#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>
#include <thread>
#include <vector>

#include "raw_http.hpp"
#include "support/daemon_process.hpp"
#include "support/dry_run_frames.hpp"
#include "support/sim_process.hpp"

using namespace packbridge::testing;
using namespace std::chrono_literals;
namespace fs = std::filesystem;

namespace {

// The daemon with dry-run CAN against three simulated packs, serving HTTP on a free port.
struct WebDaemon {
    TempDir dir;
    SimProcess sim{{"--addresses", "0-2", "--evolve-ms", "500"}};
    std::uint16_t port = free_port();
    std::unique_ptr<DaemonProcess> daemon;

    WebDaemon() {
        const auto config = dir.path / "packbridge.json";
        std::ofstream(config) << R"({"bus": {"device": ")" << sim.device()
                              << R"(", "addresses": "0-2", "mode": "master"},
  "inverter": {"brand": "deye", "can": {"interface": "-"}},
  "battery": {"stale_after_s": 3, "comms_loss_s": 30},
  "status": {"path": ")" << (dir.path / "status.json").string()
                              << R"("}, "log": {"summary_interval_s": 0},
  "http": {"listen": "127.0.0.1:)"
                              << port << R"(", "history_interval_s": 1}})";
        daemon = std::make_unique<DaemonProcess>(config, dir.path);
        REQUIRE(wait_until(
            [&] {
                try {
                    return request_status(port, get("/api/status"), 1000ms) == 200;
                } catch (const std::exception&) {
                    return false;
                }
            },
            10s));
    }

    static std::string get(const std::string& path) {
        return "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n";
    }

    // The daemon's resident memory, kB (its pid is in the status document).
    [[nodiscard]] long rss_kb() const {
        RawConnection c(port);
        c.send(get("/api/status"));
        const auto pid = nlohmann::json::parse(body_of(c.read_response(5s)))["pid"].get<int>();
        std::ifstream status("/proc/" + std::to_string(pid) + "/status");
        for (std::string line; std::getline(status, line);)
            if (line.rfind("VmRSS:", 0) == 0) return std::stol(line.substr(6));
        return -1;
    }
};

}  // namespace

TEST_CASE("bad requests to the status page get their HTTP error and the server keeps serving",
          "[web]") {
    WebDaemon d;
    const std::string host = "Host: 127.0.0.1\r\n";
    std::string flood = "GET / HTTP/1.1\r\n" + host;
    for (int i = 0; flood.size() < 9 * 1024; ++i)
        flood += "X-Flood-" + std::to_string(i) + ": " + std::string(40, 'a') + "\r\n";
    flood += "\r\n";
    struct Row {
        const char* what;
        std::string request;
        int status;
    };
    const std::vector<Row> table{
        {"the page", "GET / HTTP/1.1\r\n" + host + "\r\n", 200},
        {"HEAD of the page", "HEAD / HTTP/1.1\r\n" + host + "\r\n", 200},
        {"the status JSON", "GET /api/status HTTP/1.1\r\n" + host + "\r\n", 200},
        {"the history", "GET /api/history?since=0 HTTP/1.1\r\n" + host + "\r\n", 200},
        {"an unknown path", "GET /admin HTTP/1.1\r\n" + host + "\r\n", 404},
        {"a path outside the root", "GET /../../etc/passwd HTTP/1.1\r\n" + host + "\r\n", 404},
        {"POST", "POST /api/status HTTP/1.1\r\n" + host + "Content-Length: 0\r\n\r\n", 405},
        {"PUT", "PUT / HTTP/1.1\r\n" + host + "Content-Length: 0\r\n\r\n", 405},
        {"DELETE", "DELETE /metrics HTTP/1.1\r\n" + host + "\r\n", 405},
        {"a request with a body", "POST / HTTP/1.1\r\n" + host + "Content-Length: 5\r\n\r\nhello",
         413},
        {"a 3 KiB URL", "GET /" + std::string(3 * 1024, 'x') + " HTTP/1.1\r\n" + host + "\r\n",
         414},
        {"a 9 KiB header flood", flood, 431},
        {"a URL longer than the header limit",
         "GET /?" + std::string(9 * 1024, 'x') + " HTTP/1.1\r\n" + host + "\r\n", 431},
        {"garbage", "HELLO THERE\r\n\r\n", 400},
    };
    // The slow client in parallel: a request line and one header, then nothing.
    int slow_status = 0;
    std::chrono::milliseconds slow_took{};
    std::thread slow([&] {
        RawConnection c(d.port);
        const auto start = std::chrono::steady_clock::now();
        c.send("GET / HTTP/1.1\r\n" + host);
        slow_status = status_of(c.read_response(8s));
        slow_took = std::chrono::duration_cast<std::chrono::milliseconds>(
            std::chrono::steady_clock::now() - start);
    });
    for (const auto& row : table) {
        INFO(row.what);
        CHECK(request_status(d.port, row.request) == row.status);
    }
    slow.join();
    INFO("slow client answered after " << slow_took.count() << " ms");
    CHECK(slow_status == 408);
    CHECK(slow_took >= 4500ms);
    CHECK(slow_took < 7000ms);
    // The page carries its policy; nothing is served from elsewhere.
    RawConnection page(d.port);
    page.send(WebDaemon::get("/"));
    const auto response = page.read_response(5s);
    CHECK(response.find("Content-Security-Policy: default-src 'none'; script-src 'sha256-") !=
          std::string::npos);
    CHECK(request_status(d.port, WebDaemon::get("/api/status")) == 200);
}

TEST_CASE("100 connections at once get 200 or 503 and the daemon's memory stays bounded", "[web]") {
    WebDaemon d;
    const long before = d.rss_kb();
    // 100 open at once: the first 16 are served, the rest told 503 at once and closed.
    int ok = 0;
    int busy = 0;
    {
        std::vector<std::unique_ptr<RawConnection>> held;
        for (int i = 0; i < 100; ++i)
            held.push_back(std::make_unique<RawConnection>(d.port));
        std::this_thread::sleep_for(300ms);
        for (auto& c : held)
            c->send(WebDaemon::get("/api/status"));
        for (auto& c : held) {
            const int status = status_of(c->read_response(5s));
            ok += status == 200 ? 1 : 0;
            busy += status == 503 ? 1 : 0;
        }
    }
    std::printf("100 held connections: %d answered 200, %d answered 503\n", ok, busy);
    CHECK(ok == 16);
    CHECK(busy == 84);
    // Then 10 rounds of 100 parallel clients, each its own connection.
    std::atomic<int> answered{0};
    std::atomic<int> unanswered{0};
    for (int round = 0; round < 10; ++round) {
        std::vector<std::thread> clients;
        for (int i = 0; i < 100; ++i)
            clients.emplace_back([&, i] {
                const char* paths[] = {"/", "/api/status", "/api/history", "/metrics"};
                const int status = request_status(d.port, WebDaemon::get(paths[i % 4]));
                (status == 200 || status == 503 ? answered : unanswered)++;
            });
        for (auto& t : clients)
            t.join();
    }
    const long after = d.rss_kb();
    std::printf("1000 parallel requests: %d answered (200 or 503), %d not; RSS %ld kB -> %ld kB\n",
                answered.load(), unanswered.load(), before, after);
    CHECK(answered == 1000);
    CHECK(before > 0);
#if defined(__SANITIZE_ADDRESS__)
    // ASan (scripts/sanitize) keeps freed memory in quarantine: RSS grows by design there.
    WARN("RSS bound not checked under AddressSanitizer");
#else
    // Bounded: 16 sessions of at most 9 KiB of buffers plus answers; 4 MiB is far above that
    // and far below what an unbounded queue of 1000 requests would take.
    CHECK(after - before < 4096);
#endif
    CHECK(request_status(d.port, WebDaemon::get("/api/status")) == 200);
}

TEST_CASE("the CAN dry-run frames keep their period while the status page is hammered", "[web]") {
    WebDaemon d;
    const auto wall = [] {
        return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch())
            .count();
    };
    std::this_thread::sleep_for(4s);  // a quiet window to compare with
    const double start = wall();
    std::atomic<bool> stop{false};
    std::atomic<int> served{0};
    std::vector<std::thread> clients;
    for (int i = 0; i < 3; ++i)
        clients.emplace_back([&, i] {
            const char* paths[] = {"/", "/api/history", "/api/status"};
            while (!stop) {
                try {
                    if (request_status(d.port, WebDaemon::get(paths[i])) == 200) ++served;
                } catch (const std::exception&) {
                }
            }
        });
    std::this_thread::sleep_for(6s);
    stop = true;
    for (auto& t : clients)
        t.join();
    const double end = wall();
    std::this_thread::sleep_for(1500ms);  // the last frames on file

    const auto frames = frames_with_id(parse_dry_run(d.daemon->stdout_text()), "351");
    std::vector<DryRunFrame> quiet;
    std::vector<DryRunFrame> loaded;
    for (const auto& f : frames) {
        if (f.at < start) quiet.push_back(f);
        if (f.at >= start && f.at <= end) loaded.push_back(f);
    }
    const auto jitter = [](const std::vector<DryRunFrame>& fs) {
        double worst = 0;
        for (std::size_t i = 1; i < fs.size(); ++i)
            worst = std::max(worst, std::abs(fs[i].at - fs[i - 1].at - 1.0));
        return worst;
    };
    std::printf(
        "CAN 0x351 period jitter: quiet %.2f ms (%zu frames), %d page requests in 6 s %.2f ms "
        "(%zu frames)\n",
        jitter(quiet) * 1000, quiet.size(), served.load(), jitter(loaded) * 1000, loaded.size());
    CHECK(served > 100);
    CHECK(loaded.size() >= 5);
    // The same bound as the MQTT outage test: room for a loaded CI machine, and still a failure
    // for anything that blocks the loop (a 24 h history rendered synchronously per request
    // would not, it is one pass over 270 KiB; a blocking read would).
    CHECK(jitter(loaded) < 0.25);
}
