// SPDX-License-Identifier: Apache-2.0
#include "packbridge/service/rs485_server.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <stdexcept>
#include <utility>

#include "packbridge/protocol/ascii/ascii_frame.hpp"
#include "packbridge/service/frame_text.hpp"
#include "packbridge/util/log_event.hpp"
// The "~...\r" assembler is the pack codec's: one implementation for both buses.
#include "packbridge/protocol/ascii/ascii_assembler.hpp"
#include "packbridge/protocol/modbus/modbus_rtu.hpp"
#include "packbridge/protocol/modbus/modbus_rtu_framer.hpp"

namespace packbridge::service {
namespace {

using Kind = protocol::Rs485Outcome::Kind;

double as_ms(Duration d) {
    return std::chrono::duration<double, std::milli>(d).count();
}

// A protocol error reply: Modbus sets bit 7 of the function code, Pylon carries RTN != 0.
bool is_error_reply(protocol::Rs485Framing framing, const std::vector<std::uint8_t>& reply) {
    if (framing == protocol::Rs485Framing::modbus_rtu) {
        return reply.size() > 1 && (reply[1] & protocol::modbus::kExceptionFlag) != 0;
    }
    const std::string_view text(reinterpret_cast<const char*>(reply.data()), reply.size());
    const auto frame = protocol::ascii::decode(text);
    return frame && frame->cid2 != 0;
}

[[maybe_unused]] bool is_checksum_error(const Error& error) {
    return error.code == Errc::checksum || error.code == Errc::length_checksum;
}

}  // namespace

Rs485ServerOptions rs485_server_options(const InverterConfig& config) {
    Rs485ServerOptions options;
    options.baud = config.rs485.baud;
    options.alive_timeout = seconds(config.alive_timeout_s);
    // The Modbus t3.5 silence at the line's baud, also for the ASCII protocols: their masters
    // sit on the same half-duplex transceivers, and 4 ms at 9600 baud is nothing against their
    // 100 ms deadline.
    options.turnaround =
        config.rs485.turnaround_ms
            ? std::chrono::duration_cast<Duration>(
                  std::chrono::duration<double, std::milli>(*config.rs485.turnaround_ms))
            : protocol::modbus::silence_interval(config.rs485.baud);
    return options;
}

Rs485Server::Rs485Server(ByteTransport& transport, Timers& timers,
                         std::unique_ptr<protocol::Rs485Responder> protocol, const Battery& battery,
                         Rs485ServerOptions options)
    : transport_(transport),
      timers_(timers),
      protocol_(std::move(protocol)),
      battery_(battery),
      options_(options),
      frame_timer_(timers.make_timer()),
      alive_timer_(timers.make_timer()),
      reply_timer_(timers.make_timer()) {
    if (protocol_->framing() == protocol::Rs485Framing::modbus_rtu) {
        rtu_ = std::make_unique<protocol::modbus::RtuFramer>(options_.baud);
    } else {
        ascii_ = std::make_unique<protocol::ascii::Assembler>();
    }
}

Rs485Server::~Rs485Server() {
    *token_ = false;
    stop();
}

void Rs485Server::start() {
    if (running_) return;
    running_ = true;
    transport_.start([this](std::span<const std::uint8_t> bytes) {
        // Stamped on delivery: one read's bytes share the time its read completed.
        on_bytes(bytes, timers_.now());
    });
    spdlog::info("inverter: {} slave, answering {:.2f} ms to {:.0f} ms after a request",
                 protocol_->name(), as_ms(options_.turnaround),
                 as_ms(protocol_->answer_deadline()));
    started_ = timers_.now();
    // Armed now, not at the first request: a line nobody polls warns like one that stopped.
    alive_timer_->start(started_ + options_.alive_timeout, [this] { check_alive(); });
}

void Rs485Server::stop() {
    if (!running_) return;
    running_ = false;
    frame_timer_->cancel();
    alive_timer_->cancel();
    reply_timer_->cancel();
    pending_.clear();
    transport_.stop();
}

void Rs485Server::on_bytes(std::span<const std::uint8_t> bytes, TimePoint arrival) {
    if (bytes.empty()) return;
    last_byte_ = arrival;
    if (rtu_) {
        rtu_->feed(bytes, arrival);
        drain_modbus(arrival);
    } else {
        feed_ascii(bytes, arrival);
    }
}

void Rs485Server::drain_modbus(TimePoint now) {
    for (auto& event : rtu_->poll(now)) {
        if (event.kind == protocol::modbus::FramerEvent::Kind::frame) {
            handle_request(event.bytes, event.end);
        } else {
            const bool crc = event.reason.find("CRC") != std::string::npos;
            dropped(event.bytes.size(), crc, event.reason);
        }
    }
    // A partial frame ends after 3.5 characters of silence: re-armed at every byte arrival, so
    // it fires only when the line has really gone quiet.
    if (const auto deadline = rtu_->deadline()) {
        frame_timer_->start(*deadline, [this] { drain_modbus(timers_.now()); });
    } else {
        frame_timer_->cancel();
    }
}

void Rs485Server::feed_ascii(std::span<const std::uint8_t> bytes, TimePoint arrival) {
    ascii_->feed(bytes, [&](const protocol::ascii::AssembledFrame& assembled) {
        if (!assembled.frame) {
            dropped(assembled.raw.size(), is_checksum_error(assembled.frame.error()),
                    assembled.frame.error().describe());
            return;
        }
        const auto* data = reinterpret_cast<const std::uint8_t*>(assembled.raw.data());
        handle_request({data, assembled.raw.size()}, arrival);
    });
    // Bytes outside any "~...\r" frame (line noise, a lost CR's leftovers) count as one dropped
    // run per read, so a noisy line shows in the counters without a log line per byte.
    if (const auto noise = ascii_->noise_bytes(); noise > ascii_noise_seen_) {
        dropped(static_cast<std::size_t>(noise - ascii_noise_seen_), false,
                "bytes outside any frame");
        ascii_noise_seen_ = noise;
    }
    if (ascii_->in_frame()) {
        // A frame whose '\r' never comes (cable pulled mid-frame, noise '~') must not swallow
        // the next request: drop it once the line has been quiet for ascii_stale_after.
        frame_timer_->start(arrival + options_.ascii_stale_after, [this] {
            if (ascii_->in_frame()) {
                ascii_->reset();
                dropped(0, false, "partial frame without CR, line quiet");
            }
        });
    } else {
        frame_timer_->cancel();
    }
}

// Trace lines for the inverter line, like the pack bus's: ASCII requests and replies as
// `packbridge decode` reads them, Modbus RTU as hex.
std::string Rs485Server::frame_text(std::span<const std::uint8_t> bytes) const {
    if (protocol_->framing() == protocol::Rs485Framing::ascii) {
        return trace_text({reinterpret_cast<const char*>(bytes.data()), bytes.size()});
    }
    return hex_text(bytes);
}

void Rs485Server::handle_request(std::span<const std::uint8_t> request, TimePoint request_end) {
    if (spdlog::should_log(spdlog::level::trace))
        spdlog::trace("inverter: rx {}", frame_text(request));
    ++counters_.requests;
    const TimePoint now = timers_.now();
    auto outcome = protocol_->handle(request, battery_, now);
    if (outcome.inverter_alive()) note_valid(now);
    switch (outcome.kind) {
        case Kind::answered:
            break;
        case Kind::broadcast:
            ++counters_.broadcasts;
            spdlog::debug("inverter: broadcast {}", outcome.detail);
            break;
        case Kind::not_for_us:
            ++counters_.wrong_address;
            spdlog::trace("inverter: not for us: {}", outcome.detail);
            break;
        case Kind::malformed:
            ++counters_.malformed;
            spdlog::debug("inverter: malformed request: {}", outcome.detail);
            break;
        case Kind::silenced:
            ++counters_.silenced;
            spdlog::trace("inverter: silent (on_comms_loss=silence): {}", outcome.detail);
            break;
    }
    if (outcome.kind == Kind::answered) log_clamps(protocol_->clamped_registers(battery_));
    if (outcome.reply) {
        if (is_error_reply(protocol_->framing(), *outcome.reply)) {
            ++counters_.exceptions;
            spdlog::debug("inverter: error reply to {}", outcome.detail);
        } else {
            spdlog::trace("inverter: {} -> {} bytes", outcome.detail, outcome.reply->size());
        }
        send(std::move(*outcome.reply), request_end);
    }
}

void Rs485Server::send(std::vector<std::uint8_t> reply, TimePoint request_end) {
    // request_end is when the request's last byte was read, never before the master sent it, so
    // the master sees at least `turnaround` of silence before the reply's first byte.
    // Replies leave in request order (back-to-back requests are each answered), each no
    // earlier than its own request's end plus the turnaround.
    pending_.push_back({std::move(reply), request_end});
    if (pending_.size() == 1) send_due();
}

void Rs485Server::send_due() {
    while (!pending_.empty()) {
        const TimePoint earliest = pending_.front().request_end + options_.turnaround;
        if (timers_.now() < earliest) {
            reply_timer_->start(earliest, [this] { send_due(); });
            return;
        }
        auto next = std::move(pending_.front());
        pending_.pop_front();
        write_reply(std::move(next.reply), next.request_end);
    }
}

void Rs485Server::write_reply(std::vector<std::uint8_t> reply, TimePoint request_end) {
    if (spdlog::should_log(spdlog::level::trace))
        spdlog::trace("inverter: tx {}", frame_text(reply));
    ++counters_.answers;
    transport_.write(reply, [this, request_end,
                             token = std::weak_ptr<bool>(token_)](const Result<void>& written) {
        if (token.expired()) return;
        if (!written) {
            ++counters_.write_errors;
            spdlog::debug("inverter: reply not sent: {}", written.error().detail);
            return;
        }
        const Duration latency = timers_.now() - request_end;
        if (latency > worst_latency_) worst_latency_ = latency;
        if (latency > protocol_->answer_deadline()) {
            ++counters_.late;
            spdlog::warn("inverter: reply left {:.1f} ms after the request (deadline {:.0f} ms)",
                         as_ms(latency), as_ms(protocol_->answer_deadline()));
        }
    });
}

void Rs485Server::log_clamps(std::vector<std::string> notes) {
    if (notes == clamp_notes_) return;
    for (const auto& note : notes) {
        if (std::find(clamp_notes_.begin(), clamp_notes_.end(), note) == clamp_notes_.end())
            spdlog::warn("inverter: {}", note);
    }
    if (notes.empty()) spdlog::info("inverter: every value fits its register again");
    clamp_notes_ = std::move(notes);
}

void Rs485Server::dropped(std::size_t bytes, bool bad_checksum, const std::string& why) {
    ++counters_.malformed;
    counters_.garbage_bytes += bytes;
    if (bad_checksum) ++counters_.bad_checksum;
    spdlog::debug("inverter: dropped {} bytes: {}", bytes, why);
}

void Rs485Server::note_valid(TimePoint now) {
    if (!alive_) {
        if (last_valid_) {
            logging::event(spdlog::level::info, logging::about(logging::Event::inverter_line_back),
                           "inverter: polling again after {:.1f} s of silence ({})",
                           std::chrono::duration<double>(now - *last_valid_).count(),
                           protocol_->name());
        } else {
            logging::event(spdlog::level::info, logging::about(logging::Event::inverter_line_back),
                           "inverter: polling ({})", protocol_->name());
        }
    }
    alive_ = true;
    last_valid_ = now;
    alive_timer_->start(now + options_.alive_timeout, [this] { check_alive(); });
}

void Rs485Server::check_alive() {
    if (!last_valid_) {
        spdlog::warn(
            "inverter: no valid request in the {} s since start ({} slave): inverter not "
            "polling, or cable, address, baud or protocol wrong",
            std::chrono::duration_cast<seconds>(options_.alive_timeout).count(), protocol_->name());
        return;
    }
    if (!alive_ || inverter_alive(timers_.now())) return;
    alive_ = false;
    logging::event(spdlog::level::warn, logging::about(logging::Event::inverter_line_lost),
                   "inverter: no valid request for {} s: inverter silent or cable/address wrong",
                   std::chrono::duration_cast<seconds>(options_.alive_timeout).count());
}

bool Rs485Server::inverter_alive(TimePoint now) const {
    return last_valid_ && now - *last_valid_ < options_.alive_timeout;
}

bool Rs485Server::inverter_silent(TimePoint now) const {
    return running_ && now - last_valid_.value_or(started_) >= options_.alive_timeout;
}

}  // namespace packbridge::service
