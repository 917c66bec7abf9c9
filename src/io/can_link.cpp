// SPDX-License-Identifier: Apache-2.0
#include "packbridge/io/can_link.hpp"

#include <libsocketcan.h>
#include <linux/can/netlink.h>
#include <linux/capability.h>

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <fstream>
#include <sstream>

namespace packbridge::io {

const char* to_string(CanState state) {
    switch (state) {
        case CanState::error_active:
            return "error-active";
        case CanState::error_warning:
            return "error-warning";
        case CanState::error_passive:
            return "error-passive";
        case CanState::bus_off:
            return "bus-off";
        case CanState::stopped:
            return "stopped";
        case CanState::sleeping:
            return "sleeping";
        case CanState::unknown:
            break;
    }
    return "unknown";
}

namespace {

Error failed(const std::string& interface, const char* step) {
    // libsocketcan reports failures as -1 without a reason; name the step and the usual causes.
    return Error{Errc::io, std::string(step) + " on " + interface +
                               " failed (no such CAN controller, not a real CAN controller such "
                               "as vcan, or no CAP_NET_ADMIN)"};
}

}  // namespace

Result<void> configure_can_link(const std::string& interface, std::uint32_t bitrate,
                                std::uint32_t restart_ms) {
    const char* name = interface.c_str();
    // Bit timing can only change while the link is down.
    if (can_do_stop(name) != 0) return failed(interface, "stopping the link");
    if (can_set_bitrate(name, bitrate) != 0) return failed(interface, "setting the bitrate");
    if (can_set_restart_ms(name, restart_ms) != 0) return failed(interface, "setting restart-ms");
    if (can_do_start(name) != 0) return failed(interface, "starting the link");
    return {};
}

Result<CanState> can_link_state(const std::string& interface) {
    int state = 0;
    if (can_get_state(interface.c_str(), &state) != 0)
        return make_error(Errc::unsupported, interface + " reports no controller state (vcan?)");
    switch (state) {
        case CAN_STATE_ERROR_ACTIVE:
            return CanState::error_active;
        case CAN_STATE_ERROR_WARNING:
            return CanState::error_warning;
        case CAN_STATE_ERROR_PASSIVE:
            return CanState::error_passive;
        case CAN_STATE_BUS_OFF:
            return CanState::bus_off;
        case CAN_STATE_STOPPED:
            return CanState::stopped;
        case CAN_STATE_SLEEPING:
            return CanState::sleeping;
        default:
            return CanState::unknown;
    }
}

Result<std::uint32_t> can_link_bitrate(const std::string& interface) {
    can_bittiming bt{};
    if (can_get_bittiming(interface.c_str(), &bt) != 0)
        return failed(interface, "reading the bit timing");
    return bt.bitrate;
}

Result<std::uint32_t> can_link_restart_ms(const std::string& interface) {
    std::uint32_t ms = 0;
    if (can_get_restart_ms(interface.c_str(), &ms) != 0)
        return failed(interface, "reading restart-ms");
    return ms;
}

Result<void> restart_can_link(const std::string& interface) {
    if (can_do_restart(interface.c_str()) != 0) return failed(interface, "restarting the link");
    return {};
}

std::optional<bool> capability_in_status(std::string_view proc_status, unsigned cap) {
    constexpr std::string_view key = "CapEff:";
    std::size_t at = 0;
    while (at < proc_status.size()) {
        const std::size_t end = std::min(proc_status.find('\n', at), proc_status.size());
        std::string_view line = proc_status.substr(at, end - at);
        at = end + 1;
        if (!line.starts_with(key)) continue;
        line.remove_prefix(key.size());
        while (!line.empty() && (line.front() == ' ' || line.front() == '\t'))
            line.remove_prefix(1);
        std::uint64_t mask = 0;
        const auto [ptr, ec] = std::from_chars(line.data(), line.data() + line.size(), mask, 16);
        if (ec != std::errc() || ptr == line.data() || cap >= 64) return std::nullopt;
        return ((mask >> cap) & 1U) != 0;
    }
    return std::nullopt;
}

std::optional<bool> have_net_admin() {
    std::ifstream in("/proc/self/status");
    if (!in) return std::nullopt;
    std::stringstream text;
    text << in.rdbuf();
    return capability_in_status(text.str(), CAP_NET_ADMIN);
}

std::string can_configure_capability_error(const std::string& interface) {
    return std::string(
               "inverter.can.configure is true, but packbridge has no CAP_NET_ADMIN to "
               "set the bitrate and restart-ms of ") +
           interface + ". Under systemd install the drop-in " + kCanConfigureDropIn + " (" +
           kCanConfigureDropInPath +
           "): copy it to /etc/systemd/system/packbridge.service.d/ or paste its lines into "
           "`systemctl edit packbridge`, then `systemctl restart packbridge`. Or set "
           "inverter.can.configure to false and bring " +
           interface + " up with systemd-networkd (80-can0.network) or `ip link`.";
}

}  // namespace packbridge::io
