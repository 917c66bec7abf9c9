#include "packbridge/io/can_link.hpp"

#include <libsocketcan.h>
#include <linux/can/netlink.h>

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

}  // namespace packbridge::io
