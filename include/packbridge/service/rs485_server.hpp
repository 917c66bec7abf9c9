// SPDX-License-Identifier: Apache-2.0
#pragma once

// The RS485 inverter link, where packbridge is the SLAVE (inverter-rs485.md): the inverter polls,
// packbridge answers each request from the CURRENT Battery and never sends anything unasked.
//
//   ByteTransport (io::Serial via SerialTransport, reopen with back-off)
//     -> bytes stamped with their arrival time
//     -> framing: Modbus RTU (protocol::modbus::RtuFramer: 3.5-character silence, armed as a
//        timer at every byte arrival, or known length) or "~...\r" (protocol::ascii::Assembler)
//     -> protocol::Rs485Responder::handle(request, battery_source(), now)
//     -> reply written once the turnaround (default the Modbus t3.5 silence) has passed since
//        the request's last byte, counted late when it left after the protocol's deadline.
//
// What the responder decides is final: another address, a bad CRC/CHKSUM, a broadcast, or
// Battery.transmit == false (on_comms_loss = silence) give no reply; the safe state gives zero
// limits and cleared flags because that is what the Battery carries. Nothing here crashes on
// input: malformed bytes are counted and logged at debug.
//
// "Inverter alive" = a valid request for us (or a broadcast) within inverter.alive_timeout_s.
// Both transitions are logged once; a line that never sees a valid request warns after the same
// timeout from start() (an unpolled line is the commonest wiring fault, it must not stay quiet).

#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "packbridge/battery.hpp"
#include "packbridge/clock.hpp"
#include "packbridge/config.hpp"
#include "packbridge/protocol/inverter/rs485/rs485_responder.hpp"
#include "packbridge/service/timers.hpp"
#include "packbridge/service/transport.hpp"

namespace packbridge::protocol::modbus {
class RtuFramer;
}
namespace packbridge::protocol::ascii {
class Assembler;
}

namespace packbridge::service {

struct Rs485Counters {
    std::uint64_t requests = 0;       // whole frames handed to the protocol (any address)
    std::uint64_t answers = 0;        // replies written (including exception replies)
    std::uint64_t exceptions = 0;     // of which protocol error replies (Modbus 0x80|FC, RTN != 0)
    std::uint64_t wrong_address = 0;  // valid requests for another slave: silence
    std::uint64_t broadcasts = 0;     // valid broadcasts: acted on, never answered
    std::uint64_t silenced = 0;       // valid requests for us while Battery.transmit is false
    std::uint64_t malformed = 0;      // dropped frames / garbage runs (bad CRC, truncated, noise)
    std::uint64_t bad_checksum = 0;   // of which the CRC/CHKSUM/LCHKSUM was wrong (Modbus: CRC or
                                      // noise, the framer cannot tell them apart)
    std::uint64_t garbage_bytes = 0;  // bytes in the dropped runs
    std::uint64_t late = 0;           // replies that finished leaving after the deadline
    std::uint64_t write_errors = 0;   // replies the port refused
};

struct Rs485ServerOptions {
    std::uint32_t baud = 9600;             // for the Modbus t3.5 silence
    Duration alive_timeout = seconds(10);  // inverter.alive_timeout_s
    // Least time from a request's last byte to the reply's first (inverter.rs485.turnaround_ms).
    Duration turnaround{};
    // An ASCII frame with no '\r' this long after its last byte is dropped (PACE/Pylon masters
    // wait 500 ms for an answer, so a frame this stale can no longer be answered usefully).
    Duration ascii_stale_after = milliseconds(500);
};

Rs485ServerOptions rs485_server_options(const InverterConfig& config);

class Rs485Server {
  public:
    // `transport`, `timers` and `battery` must outlive this object. `battery` is the daemon's
    // snapshot of the current tick: every answer is built from it. The protocol responder comes
    // from protocol::make_rs485_responder(config.inverter).
    Rs485Server(ByteTransport& transport, Timers& timers,
                std::unique_ptr<protocol::Rs485Responder> protocol, const Battery& battery,
                Rs485ServerOptions options);
    ~Rs485Server();
    Rs485Server(const Rs485Server&) = delete;
    Rs485Server& operator=(const Rs485Server&) = delete;

    // Starts reading the transport and answering. stop() cancels timers and stops the transport.
    void start();
    void stop();

    // Bytes as they arrived; start() routes the transport here. Public so a test (or a listen
    // tap) can inject bytes with their own arrival time.
    void on_bytes(std::span<const std::uint8_t> bytes, TimePoint arrival);

    [[nodiscard]] const Rs485Counters& counters() const { return counters_; }
    // A valid request for us (or a broadcast) within alive_timeout before `now`.
    [[nodiscard]] bool inverter_alive(TimePoint now) const;
    // No valid request for alive_timeout: since the last one, or since start() if none came.
    [[nodiscard]] bool inverter_silent(TimePoint now) const;
    [[nodiscard]] std::optional<TimePoint> last_valid_request() const { return last_valid_; }
    // The worst time seen from a request's last byte to its reply handed to the port.
    [[nodiscard]] Duration worst_latency() const { return worst_latency_; }
    [[nodiscard]] const protocol::Rs485Responder& protocol() const { return *protocol_; }

  private:
    void drain_modbus(TimePoint now);
    void feed_ascii(std::span<const std::uint8_t> bytes, TimePoint arrival);
    void handle_request(std::span<const std::uint8_t> request, TimePoint request_end);
    void send(std::vector<std::uint8_t> reply, TimePoint request_end);
    void send_due();
    void write_reply(std::vector<std::uint8_t> reply, TimePoint request_end);
    [[nodiscard]] std::string frame_text(std::span<const std::uint8_t> bytes) const;
    // Logs each value that starts to go out clamped once, and once when none is any more.
    void log_clamps(std::vector<std::string> notes);
    void dropped(std::size_t bytes, bool bad_checksum, const std::string& why);
    void note_valid(TimePoint now);
    void check_alive();

    ByteTransport& transport_;
    Timers& timers_;
    std::unique_ptr<protocol::Rs485Responder> protocol_;
    const Battery& battery_;
    Rs485ServerOptions options_;
    std::unique_ptr<protocol::modbus::RtuFramer> rtu_;
    std::unique_ptr<protocol::ascii::Assembler> ascii_;
    std::unique_ptr<OneShot> frame_timer_;  // Modbus silence / ASCII stale partial frame
    std::unique_ptr<OneShot> alive_timer_;
    struct PendingReply {
        std::vector<std::uint8_t> reply;
        TimePoint request_end;
    };
    std::unique_ptr<OneShot> reply_timer_;  // holds replies until their turnaround has passed
    std::deque<PendingReply> pending_;      // in request order
    std::optional<TimePoint> last_valid_;
    TimePoint started_{};
    TimePoint last_byte_{};
    bool alive_ = false;
    bool running_ = false;
    Duration worst_latency_{};
    std::vector<std::string> clamp_notes_;  // the clamps already logged
    std::uint64_t ascii_noise_seen_ = 0;    // assembler noise already counted
    Rs485Counters counters_;
    std::shared_ptr<bool> token_ = std::make_shared<bool>(true);  // guards write completions
};

}  // namespace packbridge::service
