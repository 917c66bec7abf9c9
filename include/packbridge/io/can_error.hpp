// SPDX-License-Identifier: Apache-2.0
#pragma once

// SocketCAN error frames (CAN_ERR_FLAG set, linux/can/error.h) decoded into what the daemon
// reports: bus-off, error-passive, warning, no ACK, controller restarted. Pure, so it is tested
// natively with bytes even though this kernel has no CAN.

#include <array>
#include <cstdint>
#include <string>

namespace packbridge::io {

struct CanErrorEvent {
    bool bus_off = false;
    bool error_passive = false;   // TX or RX error counter >= 128
    bool error_warning = false;   // TX or RX error counter >= 96
    bool back_to_active = false;  // controller recovered to error-active
    bool no_ack = false;          // nobody acknowledged our frame: no inverter listening
    bool restarted = false;       // controller restarted after bus-off
    bool tx_timeout = false;
    bool overflow = false;   // controller RX/TX buffer overflow
    bool bus_error = false;  // protocol violation (bit/stuff/form error): wiring, termination
    std::uint8_t tx_errors = 0, rx_errors = 0;  // when the driver reports the counters
    bool has_counters = false;

    // "bus-off", "error-passive, no ACK", ... ("" when nothing of note).
    [[nodiscard]] std::string to_string() const;
};

// `can_id` is the raw id word including CAN_ERR_FLAG; `data` the 8 data bytes.
CanErrorEvent decode_error_frame(std::uint32_t can_id, const std::array<std::uint8_t, 8>& data);

}  // namespace packbridge::io
