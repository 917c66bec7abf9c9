// SPDX-License-Identifier: Apache-2.0
#pragma once

// Runs the built packbridge-sim as a child process on a fresh pty, with a control FIFO and a
// state dump file in a private temp directory. Stops it (SIGTERM, then SIGKILL) on destruction.

#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace packbridge::testing {

class SimProcess {
  public:
    // `args` are passed to packbridge-sim after --control/--dump-state. Throws when the simulator
    // does not report READY within a few seconds.
    explicit SimProcess(std::vector<std::string> args);
    ~SimProcess();
    SimProcess(const SimProcess&) = delete;
    SimProcess& operator=(const SimProcess&) = delete;

    // The pty slave path the gateway should open.
    [[nodiscard]] const std::string& device() const { return device_; }
    // Sends one control command line.
    void command(const std::string& line) const;
    // Asks for a fresh dump and returns it (waits for its seq to advance).
    [[nodiscard]] nlohmann::json state() const;

  private:
    pid_t pid_ = -1;
    std::filesystem::path dir_;
    std::filesystem::path fifo_;
    std::filesystem::path dump_;
    std::string device_;
};

// Runs `io` (or any poll function) until `done()` or `timeout`; returns done().
template <class Poll, class Done>
bool run_until(Poll poll, Done done, std::chrono::milliseconds timeout) {
    const auto until = std::chrono::steady_clock::now() + timeout;
    while (!done() && std::chrono::steady_clock::now() < until) {
        poll();
    }
    return done();
}

}  // namespace packbridge::testing
