// SPDX-License-Identifier: Apache-2.0
#pragma once

// What the daemon needs from the inverter side, whichever link it is: a CAN broadcaster or an
// RS485 responder. Both read the daemon's Battery snapshot, which the daemon steps once per tick
// (service/daemon.hpp): the status file and every frame of a tick come from the same snapshot.

#include "packbridge/battery.hpp"
#include "packbridge/clock.hpp"
#include "packbridge/status/status.hpp"

namespace packbridge::service {

class InverterSide {
  public:
    virtual ~InverterSide() = default;
    virtual void start() = 0;
    virtual void stop() = 0;
    // True while the output does its job: frames are being built on schedule (CAN) or the port
    // is open and being read (RS485). Drives the systemd watchdog.
    [[nodiscard]] virtual bool producing(TimePoint now) const = 0;
    // The device (CAN socket, serial port) is open now; a reload keeps the running side when
    // the new one's device did not open in start().
    [[nodiscard]] virtual bool device_open() const = 0;
    // For the status file and `packbridge status`.
    [[nodiscard]] virtual status::InverterLink link_status(TimePoint now) const = 0;
    // The snapshot just changed in a way the inverter must see now (bank/urgent.hpp): a
    // broadcaster sends its set at once instead of at its next period. A responder answers
    // every request from the current snapshot anyway.
    virtual void prompt() {}
};

}  // namespace packbridge::service
