// SPDX-License-Identifier: Apache-2.0
#pragma once

// Child processes for tests: run a command to completion with a timeout and capture its output,
// or keep one running in the background and stop it (SIGTERM, then SIGKILL) when done. Every
// wait is bounded so a hung child fails the test instead of hanging ctest.

#include <sys/types.h>

#include <chrono>
#include <string>
#include <vector>

namespace packbridge::testing {

struct ProcessResult {
    int exit_code = -1;      // exit status, or -1 when killed by a signal
    bool timed_out = false;  // we killed it after the timeout
    std::string out;         // stdout
    std::string err;         // stderr
};

// Runs argv[0] (looked up in PATH when it has no '/') with argv, stdin from /dev/null.
// Throws std::runtime_error when it cannot be started at all.
ProcessResult run_process(const std::vector<std::string>& argv, std::chrono::milliseconds timeout);

// A background child; stdout and stderr go to `log_path` (or /dev/null when empty).
class ChildProcess {
  public:
    ChildProcess(const std::vector<std::string>& argv, const std::string& log_path = {});
    ~ChildProcess();
    ChildProcess(const ChildProcess&) = delete;
    ChildProcess& operator=(const ChildProcess&) = delete;

    [[nodiscard]] pid_t pid() const { return pid_; }
    [[nodiscard]] bool running();
    // SIGTERM, wait up to `grace`, then SIGKILL. Idempotent.
    void stop(std::chrono::milliseconds grace = std::chrono::milliseconds(2000));

  private:
    pid_t pid_ = -1;
};

}  // namespace packbridge::testing
