// SPDX-License-Identifier: Apache-2.0
#pragma once

// The request dispatch every Modbus-RTU inverter protocol shares: parse, filter the slave
// address, handle broadcast, validate counts, then ask the protocol's register map. A protocol
// only says what its registers hold and how its read reply is shaped.

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "packbridge/protocol/inverter/rs485/rs485_responder.hpp"
#include "packbridge/protocol/modbus/modbus_rtu.hpp"

namespace packbridge::protocol::modbus {

using ReadResult = std::variant<std::vector<std::uint16_t>, Exception>;

// Registers an inverter may write (FC06/FC10). A write inside is acknowledged and ignored:
// packbridge never lets the inverter change how the battery is managed. Outside, and for a map
// without one, the answer is exception 02.
struct WritableRange {
    std::uint16_t first = 0;
    std::uint16_t last = 0;
};

class SlaveResponder : public Rs485Responder {
  public:
    // The protocol's name (a string literal: the view is kept) and answer deadline, as
    // Rs485Responder::name() and answer_deadline() report them.
    SlaveResponder(std::uint8_t slave, std::string_view name, Duration answer_deadline,
                   std::optional<WritableRange> writable)
        : slave_(slave), name_(name), answer_deadline_(answer_deadline), writable_(writable) {}

    [[nodiscard]] std::string_view name() const final { return name_; }
    [[nodiscard]] Duration answer_deadline() const final { return answer_deadline_; }

    Rs485Outcome handle(std::span<const std::uint8_t> request, const Battery& battery,
                        TimePoint now) override;
    [[nodiscard]] Rs485Framing framing() const override { return Rs485Framing::modbus_rtu; }
    [[nodiscard]] std::uint8_t slave() const { return slave_; }

  protected:
    // `count` registers from `start` (FC03 or FC04), count already checked to be 1..125.
    virtual ReadResult read(std::uint8_t function, std::uint16_t start, std::uint16_t count,
                            const Battery& battery) const = 0;
    // The read reply; standard Modbus unless the protocol says otherwise (Voltronic LIb).
    virtual std::vector<std::uint8_t> read_reply_frame(
        std::uint8_t function, std::span<const std::uint16_t> registers) const;
    // Exception code used for a function code the map does not serve.
    [[nodiscard]] virtual Exception unknown_function_code() const {
        return Exception::illegal_function;
    }
    // Which function codes are reads served by read(): FC03 and FC04 by default.
    [[nodiscard]] virtual bool serves_read(std::uint8_t function) const {
        return function == fc::read_holding || function == fc::read_input;
    }

  private:
    std::uint8_t slave_;
    std::string_view name_;
    Duration answer_deadline_;
    std::optional<WritableRange> writable_;
};

// Helper for maps: true when [start, start + count) lies inside [first, last].
bool inside(std::uint16_t start, std::uint16_t count, std::uint16_t first, std::uint16_t last);

}  // namespace packbridge::protocol::modbus
