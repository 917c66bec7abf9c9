// SPDX-License-Identifier: Apache-2.0
#include "support/sim_process.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <atomic>
#include <fstream>
#include <stdexcept>
#include <thread>

#include "support/paths.hpp"

namespace packbridge::testing {

namespace {

std::atomic<int> g_counter{0};

// Reads one line from fd with a deadline (the child's stdout).
std::string read_line(int fd, std::chrono::milliseconds timeout) {
    std::string line;
    const auto until = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < until) {
        pollfd p{fd, POLLIN, 0};
        if (::poll(&p, 1, 50) <= 0) {
            continue;
        }
        char c = 0;
        const auto n = ::read(fd, &c, 1);
        if (n <= 0) {
            break;
        }
        if (c == '\n') {
            return line;
        }
        line.push_back(c);
    }
    throw std::runtime_error("packbridge-sim did not start (got '" + line + "')");
}

}  // namespace

SimProcess::SimProcess(std::vector<std::string> args) {
    dir_ = std::filesystem::temp_directory_path() /
           ("pb-sim-" + std::to_string(::getpid()) + "-" + std::to_string(g_counter++));
    std::filesystem::create_directories(dir_);
    fifo_ = dir_ / "control";
    dump_ = dir_ / "state.json";
    std::vector<std::string> argv_s{sim_binary().string(), "--control", fifo_.string(),
                                    "--dump-state", dump_.string()};
    argv_s.insert(argv_s.end(), args.begin(), args.end());
    std::vector<char*> argv;
    for (auto& s : argv_s) {
        argv.push_back(s.data());
    }
    argv.push_back(nullptr);
    std::array<int, 2> pipefd{};
    if (::pipe2(pipefd.data(), O_CLOEXEC) != 0) {
        throw std::runtime_error("pipe failed");
    }
    pid_ = ::fork();
    if (pid_ == 0) {
        ::dup2(pipefd[1], STDOUT_FILENO);
        ::execv(argv[0], argv.data());
        ::_exit(127);
    }
    ::close(pipefd[1]);
    const auto first = read_line(pipefd[0], std::chrono::seconds(5));
    const auto second = read_line(pipefd[0], std::chrono::seconds(5));
    ::close(pipefd[0]);
    if (!first.starts_with("PTY ") || second != "READY") {
        throw std::runtime_error("packbridge-sim said '" + first + "' / '" + second + "'");
    }
    device_ = first.substr(4);
}

SimProcess::~SimProcess() {
    if (pid_ > 0) {
        ::kill(pid_, SIGTERM);
        for (int i = 0; i < 100; ++i) {
            if (::waitpid(pid_, nullptr, WNOHANG) == pid_) {
                pid_ = -1;
                break;
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
        }
        if (pid_ > 0) {
            ::kill(pid_, SIGKILL);
            ::waitpid(pid_, nullptr, 0);
        }
    }
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
}

void SimProcess::command(const std::string& line) const {
    const int fd = ::open(fifo_.c_str(), O_WRONLY | O_CLOEXEC);
    if (fd < 0) {
        throw std::runtime_error("cannot open the simulator's control FIFO");
    }
    const std::string text = line + "\n";
    if (::write(fd, text.data(), text.size()) != static_cast<ssize_t>(text.size())) {
        ::close(fd);
        throw std::runtime_error("short write to the control FIFO");
    }
    ::close(fd);
}

nlohmann::json SimProcess::state() const {
    auto read_seq = [this]() -> std::pair<std::uint64_t, nlohmann::json> {
        std::ifstream in(dump_);
        if (!in) {
            return {0, {}};
        }
        try {
            auto j = nlohmann::json::parse(in);
            return {j.at("seq").get<std::uint64_t>(), j};
        } catch (const std::exception&) {
            return {0, {}};
        }
    };
    const auto before = read_seq().first;
    command("dump");
    const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(3);
    while (std::chrono::steady_clock::now() < until) {
        auto [seq, j] = read_seq();
        if (seq > before) {
            return j;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    throw std::runtime_error("packbridge-sim did not write its state");
}

}  // namespace packbridge::testing
