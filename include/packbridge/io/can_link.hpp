#pragma once

// The CAN interface's link settings through libsocketcan (netlink): bitrate, restart-ms, state,
// start/stop/restart. Needs CAP_NET_ADMIN for the setters; the getters work unprivileged. vcan
// interfaces support only start/stop: the rest fails there, as it does on a real vcan.

#include <cstdint>
#include <string>

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

}  // namespace packbridge::io
