// SPDX-License-Identifier: Apache-2.0
#pragma once

// The CAN interface's link settings through libsocketcan (netlink): bitrate, restart-ms, state,
// start/stop/restart. Needs CAP_NET_ADMIN for the setters; the getters work unprivileged. vcan
// interfaces support only start/stop: the rest fails there, as it does on a real vcan.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "packbridge/result.hpp"

namespace packbridge::io {

enum class CanState {
    error_active,
    error_warning,
    error_passive,
    bus_off,
    stopped,
    sleeping,
    unknown
};
const char* to_string(CanState state);

// Stops the link, sets bitrate and restart-ms, starts it. Each step's failure says which.
Result<void> configure_can_link(const std::string& interface, std::uint32_t bitrate,
                                std::uint32_t restart_ms);
// The controller state; Errc::unsupported for interfaces without one (vcan).
Result<CanState> can_link_state(const std::string& interface);
Result<std::uint32_t> can_link_bitrate(const std::string& interface);
Result<std::uint32_t> can_link_restart_ms(const std::string& interface);
// Manual restart after bus-off (the kernel refuses unless the controller is bus-off).
Result<void> restart_can_link(const std::string& interface);

// --- inverter.can.configure without the capability ------------------------------------------
// Setting the bitrate needs CAP_NET_ADMIN, which the packaged unit grants only through the
// drop-in packbridge-can-configure.conf. Without it libsocketcan just returns -1, so packbridge
// checks the capability itself and says which drop-in to install.

// The drop-in's name and where the package installs it.
inline constexpr const char* kCanConfigureDropIn = "packbridge-can-configure.conf";
inline constexpr const char* kCanConfigureDropInPath =
    "/usr/share/doc/packbridge/examples/systemd/packbridge-can-configure.conf";

// Whether capability `cap` (CAP_NET_ADMIN = 12) is in the "CapEff:" line of a
// /proc/<pid>/status text; nullopt when there is no parsable CapEff line. Pure.
std::optional<bool> capability_in_status(std::string_view proc_status, unsigned cap);
// The same for this process (/proc/self/status); nullopt when it cannot be read.
std::optional<bool> have_net_admin();
// What to do when inverter.can.configure is set and CAP_NET_ADMIN is missing: names the
// interface, the drop-in (file and installed path), `systemctl edit`, and the alternative.
std::string can_configure_capability_error(const std::string& interface);

}  // namespace packbridge::io
