// SPDX-License-Identifier: Apache-2.0
#include "support/daemon_process.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <thread>

#include "support/paths.hpp"

namespace packbridge::testing {
namespace {

std::string read_file(const std::filesystem::path& p) {
    std::ifstream in(p);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

}  // namespace

DaemonProcess::DaemonProcess(const std::filesystem::path& config, const std::filesystem::path& dir,
                             const std::map<std::string, std::string>& env)
    : out_(dir / "stdout"), err_(dir / "stderr") {
    const std::string bin = packbridge_binary().string();
    pid_ = ::fork();
    if (pid_ == 0) {
        const int out = ::open(out_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
        const int err = ::open(err_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
        ::dup2(out, 1);
        ::dup2(err, 2);
        // Only what the test asks for: an inherited NOTIFY_SOCKET or JOURNAL_STREAM (ctest run
        // from a systemd unit) would send the child's messages elsewhere.
        ::unsetenv("NOTIFY_SOCKET");
        ::unsetenv("WATCHDOG_USEC");
        ::unsetenv("WATCHDOG_PID");
        ::unsetenv("JOURNAL_STREAM");
        for (const auto& [key, value] : env)
            ::setenv(key.c_str(), value.c_str(), 1);
        ::execl(bin.c_str(), bin.c_str(), "run", "--config", config.c_str(), "--dry-run", nullptr);
        ::_exit(127);
    }
}

DaemonProcess::~DaemonProcess() {
    if (pid_ > 0) {
        ::kill(pid_, SIGKILL);
        ::waitpid(pid_, nullptr, 0);
    }
}

void DaemonProcess::signal(int signo) const {
    if (pid_ > 0) ::kill(pid_, signo);
}

bool DaemonProcess::running() {
    if (pid_ <= 0) return false;
    int status = 0;
    if (::waitpid(pid_, &status, WNOHANG) == pid_) {
        pid_ = -1;
        return false;
    }
    return true;
}

std::pair<int, std::chrono::milliseconds> DaemonProcess::terminate(
    std::chrono::milliseconds timeout) {
    using namespace std::chrono;
    const auto start = steady_clock::now();
    if (pid_ <= 0) return {-1, milliseconds(0)};
    ::kill(pid_, SIGTERM);
    int status = 0;
    while (steady_clock::now() - start < timeout) {
        if (::waitpid(pid_, &status, WNOHANG) == pid_) {
            pid_ = -1;
            return {WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status),
                    duration_cast<milliseconds>(steady_clock::now() - start)};
        }
        std::this_thread::sleep_for(milliseconds(5));
    }
    return {-1, timeout};
}

std::string DaemonProcess::stdout_text() const {
    return read_file(out_);
}

std::string DaemonProcess::stderr_text() const {
    return read_file(err_);
}

TempDir::TempDir() {
    char tmpl[] = "/tmp/pb-test-XXXXXX";
    if (::mkdtemp(tmpl) != nullptr) path = tmpl;
}

TempDir::~TempDir() {
    std::error_code ec;
    if (!path.empty()) std::filesystem::remove_all(path, ec);
}

}  // namespace packbridge::testing
