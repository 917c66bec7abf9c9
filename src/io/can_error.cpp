// SPDX-License-Identifier: Apache-2.0
#include "packbridge/io/can_error.hpp"

#include <linux/can.h>
#include <linux/can/error.h>

namespace packbridge::io {

std::string CanErrorEvent::to_string() const {
    std::string s;
    auto add = [&s](bool on, const char* what) {
        if (!on) return;
        if (!s.empty()) s += ", ";
        s += what;
    };
    add(bus_off, "bus-off");
    add(error_passive, "error-passive");
    add(error_warning && !error_passive, "error-warning");
    add(no_ack, "no ACK (nobody listening: inverter off or CANH/CANL miswired)");
    add(restarted, "controller restarted");
    add(back_to_active, "back to error-active");
    add(tx_timeout, "TX timeout");
    add(overflow, "controller buffer overflow");
    add(bus_error, "bus error (check wiring and the 120 ohm termination)");
    return s;
}

CanErrorEvent decode_error_frame(std::uint32_t can_id, const std::array<std::uint8_t, 8>& data) {
    CanErrorEvent e;
    const std::uint32_t cls = can_id & CAN_ERR_MASK;
    e.tx_timeout = (cls & CAN_ERR_TX_TIMEOUT) != 0;
    e.no_ack = (cls & CAN_ERR_ACK) != 0;
    e.bus_off = (cls & CAN_ERR_BUSOFF) != 0;
    e.restarted = (cls & CAN_ERR_RESTARTED) != 0;
    e.bus_error = (cls & (CAN_ERR_PROT | CAN_ERR_BUSERROR)) != 0;
    if ((cls & CAN_ERR_CRTL) != 0) {
        const std::uint8_t crtl = data[1];
        e.error_passive = (crtl & (CAN_ERR_CRTL_RX_PASSIVE | CAN_ERR_CRTL_TX_PASSIVE)) != 0;
        e.error_warning = (crtl & (CAN_ERR_CRTL_RX_WARNING | CAN_ERR_CRTL_TX_WARNING)) != 0;
        e.back_to_active = (crtl & CAN_ERR_CRTL_ACTIVE) != 0;
        e.overflow = (crtl & (CAN_ERR_CRTL_RX_OVERFLOW | CAN_ERR_CRTL_TX_OVERFLOW)) != 0;
    }
    if ((cls & CAN_ERR_CNT) != 0) {
        e.has_counters = true;
        e.tx_errors = data[6];
        e.rx_errors = data[7];
    }
    return e;
}

}  // namespace packbridge::io
