// SPDX-License-Identifier: Apache-2.0
#include "packbridge/protocol/inverter/rs485/modbus_slave.hpp"

namespace packbridge::protocol::modbus {
namespace {

std::string describe(const Request& r) {
    return "FC" + std::to_string(r.function) + " slave " + std::to_string(r.slave) + " start " +
           std::to_string(r.address) + " count " + std::to_string(r.count);
}

Rs485Outcome reply(std::vector<std::uint8_t> frame, std::string detail) {
    return {Rs485Outcome::Kind::answered, std::move(frame), std::move(detail)};
}

}  // namespace

bool inside(std::uint16_t start, std::uint16_t count, std::uint16_t first, std::uint16_t last) {
    const std::uint32_t end = std::uint32_t{start} + count;  // one past the last register read
    return count > 0 && start >= first && end - 1 <= last;
}

std::vector<std::uint8_t> SlaveResponder::read_reply_frame(
    std::uint8_t function, std::span<const std::uint16_t> registers) const {
    return read_reply(slave_, function, registers);
}

Rs485Outcome SlaveResponder::handle(std::span<const std::uint8_t> request, const Battery& battery,
                                    TimePoint) {
    auto parsed = parse_request(request);
    if (!parsed) return {Rs485Outcome::Kind::malformed, std::nullopt, parsed.error().describe()};
    const Request& r = *parsed;
    const bool broadcast = r.slave == kBroadcast;
    if (!broadcast && r.slave != slave_) {
        return {Rs485Outcome::Kind::not_for_us, std::nullopt, describe(r)};
    }
    if (broadcast) {
        // Broadcast: act (writes are acknowledged internally and ignored), never answer.
        return {Rs485Outcome::Kind::broadcast, std::nullopt, describe(r)};
    }
    if (!battery.transmit) return {Rs485Outcome::Kind::silenced, std::nullopt, describe(r)};

    if (r.malformed) {
        const auto code =
            *r.malformed == Exception::illegal_function ? unknown_function_code() : *r.malformed;
        return reply(exception_reply(slave_, r.function, code), describe(r) + ": exception");
    }
    if (serves_read(r.function)) {
        if (r.count == 0 || r.count > kMaxReadCount) {
            return reply(exception_reply(slave_, r.function, Exception::illegal_value),
                         describe(r) + ": bad count");
        }
        auto result = read(r.function, r.address, r.count, battery);
        if (const auto* code = std::get_if<Exception>(&result)) {
            return reply(exception_reply(slave_, r.function, *code), describe(r) + ": exception");
        }
        return reply(read_reply_frame(r.function, std::get<std::vector<std::uint16_t>>(result)),
                     describe(r));
    }
    if (r.function == fc::write_single || r.function == fc::write_multiple) {
        if (r.count == 0 || r.count > kMaxWriteCount) {
            return reply(exception_reply(slave_, r.function, Exception::illegal_value),
                         describe(r) + ": bad count");
        }
        if (!writable_ || !inside(r.address, r.count, writable_->first, writable_->last)) {
            return reply(exception_reply(slave_, r.function, Exception::illegal_address),
                         describe(r) + ": exception");
        }
        if (r.function == fc::write_single)
            return reply(write_single_reply(slave_, r.address, r.values.front()), describe(r));
        return reply(write_multiple_reply(slave_, r.address, r.count), describe(r));
    }
    return reply(exception_reply(slave_, r.function, unknown_function_code()),
                 describe(r) + ": unknown function");
}

}  // namespace packbridge::protocol::modbus
