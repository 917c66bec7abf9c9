// SPDX-License-Identifier: Apache-2.0
#include "broker.hpp"

#include <netinet/in.h>
#include <pwd.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

namespace packbridge::testing {
namespace fs = std::filesystem;
using namespace std::chrono_literals;

bool wait_for(const std::function<bool()>& done, std::chrono::milliseconds timeout) {
    const auto until = std::chrono::steady_clock::now() + timeout;
    while (!done()) {
        if (std::chrono::steady_clock::now() > until) return false;
        std::this_thread::sleep_for(50ms);
    }
    return true;
}

namespace {

void run_ok(const std::vector<std::string>& argv) {
    const auto r = run_process(argv, 20000ms);
    if (r.exit_code != 0) throw std::runtime_error(argv[0] + " failed: " + r.err);
}

bool accepts(std::uint16_t port) {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(port);
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    const bool ok = ::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0;
    ::close(fd);
    return ok;
}

}  // namespace

Broker::Broker(const fs::path& dir, BrokerOptions options)
    : dir_(dir), options_(std::move(options)), port_(free_port()) {
    fs::create_directories(dir_);
    std::ofstream conf(dir_ / "mosquitto.conf");
    // Run as whoever runs the test (as root mosquitto would switch to its own user and lose
    // access to this private directory).
    if (const passwd* pw = ::getpwuid(::geteuid())) conf << "user " << pw->pw_name << "\n";
    conf << "persistence false\n"
         << "log_dest file " << (dir_ / "mosquitto.log").string() << "\n"
         << "listener " << port_ << " 127.0.0.1\n";
    if (options_.tls) {
        // A CA and a server certificate for localhost / 127.0.0.1, made here with openssl.
        const auto p = [this](const char* f) { return (dir_ / f).string(); };
        std::ofstream(p("san.ext")) << "subjectAltName=DNS:localhost,IP:127.0.0.1\n";
        run_ok({"openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
                "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", p("ca.key"), "-out",
                p("ca.crt"), "-days", "2", "-subj", "/CN=packbridge test CA"});
        run_ok({"openssl", "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
                "-nodes", "-keyout", p("server.key"), "-out", p("server.csr"), "-subj",
                "/CN=localhost"});
        run_ok({"openssl", "x509", "-req", "-in", p("server.csr"), "-CA", p("ca.crt"), "-CAkey",
                p("ca.key"), "-CAcreateserial", "-out", p("server.crt"), "-days", "2", "-extfile",
                p("san.ext")});
        conf << "cafile " << p("ca.crt") << "\ncertfile " << p("server.crt") << "\nkeyfile "
             << p("server.key") << "\n";
    }
    if (!options_.user.empty()) {
        const auto pw = (dir_ / "passwords").string();
        std::ofstream(pw).close();
        run_ok({"mosquitto_passwd", "-b", pw, options_.user, options_.password});
        conf << "allow_anonymous false\npassword_file " << pw << "\n";
    } else {
        conf << "allow_anonymous true\n";
    }
    conf.close();
    start();
}

void Broker::start() {
    process_ = std::make_unique<ChildProcess>(
        std::vector<std::string>{"mosquitto", "-c", (dir_ / "mosquitto.conf").string()},
        (dir_ / "mosquitto.out").string());
    if (!wait_for([this] { return accepts(port_); }, 5000ms))
        throw std::runtime_error("mosquitto did not start on port " + std::to_string(port_));
}

void Broker::kill() {
    ::kill(process_->pid(), SIGKILL);
    process_->stop();
}

std::vector<std::string> Broker::client_args() const {
    std::vector<std::string> args{"-h", options_.tls ? "localhost" : "127.0.0.1", "-p",
                                  std::to_string(port_)};
    if (options_.tls) {
        args.emplace_back("--cafile");
        args.push_back(ca_file().string());
    }
    if (!options_.user.empty()) {
        args.insert(args.end(), {"-u", options_.user, "-P", options_.password});
    }
    return args;
}

namespace {

std::vector<MqttMessage> parse(const std::string& text) {
    std::vector<MqttMessage> out;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) {
        const auto space = line.find(' ');
        if (space == std::string::npos) continue;
        out.push_back({line.substr(0, space), line.substr(space + 1)});
    }
    return out;
}

}  // namespace

std::vector<MqttMessage> retained(const Broker& broker, const std::string& filter) {
    std::vector<std::string> argv{"mosquitto_sub"};
    const auto args = broker.client_args();
    argv.insert(argv.end(), args.begin(), args.end());
    // Retained messages arrive at once on subscription; a second of silence means that was all.
    argv.insert(argv.end(), {"-v", "-t", filter, "--retained-only", "-W", "1"});
    return parse(run_process(argv, 5000ms).out);
}

Subscriber::Subscriber(const Broker& broker, const fs::path& log,
                       const std::vector<std::string>& filters)
    : log_(log) {
    std::vector<std::string> argv{"mosquitto_sub"};
    const auto args = broker.client_args();
    argv.insert(argv.end(), args.begin(), args.end());
    argv.emplace_back("-v");
    for (const auto& f : filters)
        argv.insert(argv.end(), {"-t", f});
    process_ = std::make_unique<ChildProcess>(argv, log.string());
    std::this_thread::sleep_for(200ms);  // subscribed before the daemon starts publishing
}

std::vector<MqttMessage> Subscriber::messages() const {
    std::ifstream in(log_);
    std::stringstream text;
    text << in.rdbuf();
    return parse(text.str());
}

void write_monitor_config(const fs::path& path, const std::string& device, const fs::path& status,
                          const std::string& monitor) {
    std::ofstream out(path);
    out << R"({"bus": {"device": ")" << device << R"(", "addresses": "0-2", "mode": "master"},
  "inverter": {"brand": "deye", "can": {"interface": "-"}},
  "battery": {"stale_after_s": 3, "comms_loss_s": 30},
  "status": {"path": ")"
        << status.string() << R"("}, "log": {"summary_interval_s": 0})"
        << (monitor.empty() ? "" : ", ") << monitor << "}";
}

}  // namespace packbridge::testing
