// SPDX-License-Identifier: Apache-2.0
#pragma once

// A stand-in for systemd's NOTIFY_SOCKET: an AF_UNIX datagram socket bound to a path that a child
// gets in its environment. Each received datagram is kept with its arrival time, so tests can
// check order and spacing of READY=1 / WATCHDOG=1 / STOPPING=1.

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace packbridge::testing {

class NotifySocket {
  public:
    struct Message {
        std::string text;
        std::chrono::steady_clock::time_point at;
    };

    explicit NotifySocket(std::filesystem::path path);
    ~NotifySocket();
    NotifySocket(const NotifySocket&) = delete;
    NotifySocket& operator=(const NotifySocket&) = delete;

    [[nodiscard]] const std::filesystem::path& path() const { return path_; }
    // The next datagram, or nullopt after `timeout`. Also appended to messages().
    std::optional<Message> receive(std::chrono::milliseconds timeout);
    // Receives until a datagram contains `line` (e.g. "READY=1") or `timeout` passes.
    std::optional<Message> wait_for(const std::string& line, std::chrono::milliseconds timeout);
    [[nodiscard]] const std::vector<Message>& messages() const { return messages_; }

  private:
    std::filesystem::path path_;
    int fd_ = -1;
    std::vector<Message> messages_;
};

// True when `message` has `line` as one of its newline-separated assignments.
bool has_line(const std::string& message, const std::string& line);

}  // namespace packbridge::testing
