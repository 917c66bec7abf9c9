// SPDX-License-Identifier: Apache-2.0
#pragma once

// The one-line state the daemon hands systemd as STATUS= (`systemctl status packbridge`,
// `systemctl show -p StatusText`). Only what an installer needs at a glance and what changes
// slowly (packs counted, SOC, CCL/DCL, safe state, a missing adapter), so it can be sent only when
// it changes: voltage and current, which move every second, stay in the journal's summary line.
// Pure, so the exact text is tested.

#include <optional>
#include <string>

#include "packbridge/battery.hpp"

namespace packbridge::service {

// The pack bus as the status line needs it: open, or waiting for the device and why.
struct BusLinkState {
    std::string device;   // config bus.device
    bool open = false;    // the port is open
    std::string problem;  // why it is not, naming the device: "cannot open /dev/ttyUSB0: No such
                          // file or directory" (empty: not known yet)
};

// "packs 2/2, SOC 54.3 %, CCL 100.0 A, DCL 200.0 A"
// "SAFE STATE (zeros), packs 0/0, CCL 0.0 A, DCL 0.0 A; waiting for the pack-bus adapter (cannot
// open /dev/ttyUSB0: No such file or directory), retrying"
std::string status_line(const Battery& battery, const BusLinkState& bus);

// Sends a status line only when it differs from the last one sent: STATUS= follows every change
// without a datagram per tick while nothing moves.
class StatusLineGate {
  public:
    // The text to send now, or nullopt when it equals the last one passed through.
    std::optional<std::string> next(std::string line);

  private:
    std::optional<std::string> last_;
};

}  // namespace packbridge::service
