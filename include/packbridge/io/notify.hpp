// SPDX-License-Identifier: Apache-2.0
#pragma once

// systemd service notifications (sd_notify): READY=1 once both sides run, WATCHDOG=1 from the
// event loop while the output is alive, STOPPING=1 on the way out, STATUS= for `systemctl
// status`. Outside systemd (no NOTIFY_SOCKET) every call is a cheap no-op.

#include <chrono>
#include <optional>
#include <string>

namespace packbridge::io {

class Notifier {
  public:
    Notifier();

    [[nodiscard]] bool enabled() const { return enabled_; }
    // Half the WatchdogSec= interval (systemd's advice), when the watchdog is on for us.
    [[nodiscard]] std::optional<std::chrono::microseconds> watchdog_interval() const {
        return watchdog_;
    }

    void ready(const std::string& status);
    void reloading();
    void stopping();
    void watchdog();
    void status(const std::string& text);

  private:
    void send(const std::string& message);

    bool enabled_ = false;
    std::optional<std::chrono::microseconds> watchdog_;
};

}  // namespace packbridge::io
