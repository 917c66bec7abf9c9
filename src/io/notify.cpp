// SPDX-License-Identifier: Apache-2.0
#include "packbridge/io/notify.hpp"

#include <systemd/sd-daemon.h>

#include <cstdint>
#include <cstdlib>
#include <ctime>
#include <string>

namespace packbridge::io {

Notifier::Notifier() {
    const char* socket = std::getenv("NOTIFY_SOCKET");
    enabled_ = socket != nullptr && *socket != '\0';
    std::uint64_t usec = 0;
    if (sd_watchdog_enabled(0, &usec) > 0 && usec > 0) {
        // systemd recommends pinging at half the configured interval.
        watchdog_ = std::chrono::microseconds(usec / 2);
    }
}

void Notifier::send(const std::string& message) {
    if (!enabled_) return;
    sd_notify(0, message.c_str());
}

void Notifier::ready(const std::string& status_text) {
    send("READY=1\nSTATUS=" + status_text);
}
void Notifier::reloading() {
    // Type=notify-reload (systemd 253+) requires MONOTONIC_USEC with RELOADING=1 to tell this
    // reload from an older one; earlier systemd ignores it.
    timespec ts{};
    clock_gettime(CLOCK_MONOTONIC, &ts);
    const auto usec = static_cast<std::uint64_t>(ts.tv_sec) * 1000000U +
                      static_cast<std::uint64_t>(ts.tv_nsec) / 1000U;
    send("RELOADING=1\nMONOTONIC_USEC=" + std::to_string(usec));
}
void Notifier::stopping() {
    send("STOPPING=1");
}
void Notifier::watchdog() {
    send("WATCHDOG=1");
}
void Notifier::status(const std::string& text) {
    send("STATUS=" + text);
}

}  // namespace packbridge::io
