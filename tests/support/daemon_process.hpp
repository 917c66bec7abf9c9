// SPDX-License-Identifier: Apache-2.0
#pragma once

// `packbridge run` as a child process for lifecycle tests: extra environment (NOTIFY_SOCKET,
// WATCHDOG_USEC), stdout (dry-run frames) and stderr (the log) in files, signals on demand.
// The destructor SIGKILLs a child the test did not stop, so a failing test never leaks it.

#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <map>
#include <string>
#include <utility>

namespace packbridge::testing {

class DaemonProcess {
  public:
    // Runs `packbridge run --config <config> --dry-run` with `env` added to the environment;
    // output files go into `dir`.
    DaemonProcess(const std::filesystem::path& config, const std::filesystem::path& dir,
                  const std::map<std::string, std::string>& env = {});
    ~DaemonProcess();
    DaemonProcess(const DaemonProcess&) = delete;
    DaemonProcess& operator=(const DaemonProcess&) = delete;

    void signal(int signo) const;
    [[nodiscard]] bool running();
    // SIGTERM, then the exit code (128 + signal when killed) and how long the stop took;
    // {-1, timeout} when it did not exit within `timeout`.
    std::pair<int, std::chrono::milliseconds> terminate(
        std::chrono::milliseconds timeout = std::chrono::milliseconds(5000));

    [[nodiscard]] std::string stdout_text() const;
    [[nodiscard]] std::string stderr_text() const;

  private:
    pid_t pid_ = -1;
    std::filesystem::path out_;
    std::filesystem::path err_;
};

// A private temporary directory, removed with everything in it.
struct TempDir {
    std::filesystem::path path;
    TempDir();
    ~TempDir();
};

}  // namespace packbridge::testing
