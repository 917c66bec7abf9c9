// SPDX-License-Identifier: Apache-2.0
#pragma once

// The inverter-side RS485 protocols, where packbridge is the SLAVE: the inverter polls, the
// responder answers one whole request from the current Battery. One interface for all of them
// so the RS485 service (serial IO, deadlines) is protocol-agnostic:
//   * framing() tells the service which assembler cuts the byte stream into requests
//     (modbus::RtuFramer, or the "~...\r" ASCII assembler);
//   * handle() takes one whole request and says what to do: send `reply`, or stay silent and why.
// Pure: no IO, no clock reads (`now` is passed in), no logging.

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "packbridge/battery.hpp"
#include "packbridge/clock.hpp"
#include "packbridge/result.hpp"

namespace packbridge::protocol {

enum class Rs485Framing : std::uint8_t {
    modbus_rtu,  // binary, frames end by silence / known length: modbus::RtuFramer
    ascii,       // "~...\r" frames: the shared ASCII frame layer
};

struct Rs485Outcome {
    enum class Kind : std::uint8_t {
        answered,    // a valid request for us: send `reply`
        broadcast,   // a valid request to the broadcast address: acted on, never answered
        not_for_us,  // a valid request for another address: silence
        malformed,   // bad checksum/CRC, truncated, not a request: silence (count, log at debug)
        silenced,  // a valid request for us, but Battery.transmit is false (on_comms_loss=silence)
    };
    Kind kind = Kind::malformed;
    std::optional<std::vector<std::uint8_t>> reply;
    std::string detail;  // what was asked or what was wrong, for the debug log

    // A valid request was addressed to us (or broadcast): the inverter is alive.
    [[nodiscard]] bool inverter_alive() const {
        return kind == Kind::answered || kind == Kind::broadcast || kind == Kind::silenced;
    }
};

const char* to_string(Rs485Outcome::Kind kind);

class Rs485Responder {
  public:
    virtual ~Rs485Responder() = default;

    // One whole request frame (Modbus: address through CRC; ASCII: '~' through '\r').
    virtual Rs485Outcome handle(std::span<const std::uint8_t> request, const Battery& battery,
                                TimePoint now) = 0;

    // The reply to send, or nullopt for silence.
    std::optional<std::vector<std::uint8_t>> answer(std::span<const std::uint8_t> request,
                                                    const Battery& battery, TimePoint now) {
        return handle(request, battery, now).reply;
    }

    [[nodiscard]] virtual Rs485Framing framing() const = 0;
    // "growatt-rs485", "pylon-rs485", ... for logs and the status file.
    [[nodiscard]] virtual std::string_view name() const = 0;
    // How long the master waits for an answer: the service must reply well within it.
    [[nodiscard]] virtual Duration answer_deadline() const = 0;
    // Values of this battery that do not fit their register and go out clamped, one stable
    // sentence each (the same while the same registers clamp): the service logs changes.
    [[nodiscard]] virtual std::vector<std::string> clamped_registers(const Battery&) const {
        return {};
    }
};

}  // namespace packbridge::protocol
