// SPDX-License-Identifier: Apache-2.0
#pragma once

// The journal side of logging. Under systemd every message goes to journald with its syslog
// priority, and messages about a pack, a link, a limit or a state change carry structured fields,
// all prefixed PACKBRIDGE_ so they never collide with journald's own:
//   PACKBRIDGE_PACK=3 (and PACKBRIDGE_ADDRESS=0x03)  the pack(s) concerned, one field per pack
//   PACKBRIDGE_LINK=can0, PACKBRIDGE_LINK=/dev/ttyUSB0
//   PACKBRIDGE_EVENT=pack_lost                       what happened (Event below)
//   PACKBRIDGE_REASON=...                            why, as text (a limit's reasons)
// so `journalctl -u packbridge PACKBRIDGE_PACK=3` answers "what happened to pack 3".
// Building the fields is pure (tested); JournalSink only hands them to sd_journal_sendv.

#include <spdlog/sinks/base_sink.h>

#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace packbridge::logging {

// What happened, as PACKBRIDGE_EVENT= names. One table: to_string() spells each.
enum class Event : std::uint8_t {
    none,
    pack_lost,           // a pack stopped answering (offline)
    pack_back,           // it answers again
    pack_timeouts,       // repeated timeouts on one pack, counted
    link_lost,           // a device or interface went away or cannot be opened
    link_back,           // it is open again
    link_configured,     // CAN bitrate / restart-ms set by packbridge
    link_config_failed,  // ... and that failed (e.g. no CAP_NET_ADMIN)
    inverter_line_lost,  // the inverter stopped asking (RS485) / output problem
    inverter_line_back,  // it asks again
    safe_state_entered,
    safe_state_left,
    output_silenced,  // on_comms_loss=silence: no frames
    output_resumed,
    alarm_raised,  // warning or protection raised (PACKBRIDGE_REASON names it)
    alarm_cleared,
    limit_changed,  // the reasons behind CVL/DVL/CCL/DCL changed
    flag_changed,   // charge/discharge enable, force/full-charge request
};
const char* to_string(Event event);

// What a message is about, passed explicitly by the caller (see log_event.hpp).
struct EventFields {
    std::vector<std::uint8_t> packs;  // PACKBRIDGE_PACK=3 + PACKBRIDGE_ADDRESS=0x03, each
    std::string link;                 // PACKBRIDGE_LINK=can0; empty = none
    Event event = Event::none;        // PACKBRIDGE_EVENT=; none = no field
    std::string reason;               // PACKBRIDGE_REASON=; empty = none
};

// syslog priority (LOG_ERR ...) for an spdlog level.
int journal_priority(spdlog::level::level_enum level);

// The journal entry as "KEY=value" strings: MESSAGE, PRIORITY, SYSLOG_IDENTIFIER and the event's
// fields. Values may contain newlines; sd_journal_sendv takes them as they are.
std::vector<std::string> journal_fields(spdlog::level::level_enum level, std::string_view message,
                                        const EventFields& fields, std::string_view identifier);

// An spdlog sink writing to journald. Plain spdlog calls arrive through the logger without
// fields; log_event.hpp helpers call send() directly with theirs.
class JournalSink final : public spdlog::sinks::base_sink<std::mutex> {
  public:
    explicit JournalSink(std::string identifier) : identifier_(std::move(identifier)) {}

    void send(spdlog::level::level_enum level, std::string_view message, const EventFields& fields);

  protected:
    void sink_it_(const spdlog::details::log_msg& msg) override;
    void flush_() override {}

  private:
    void write(spdlog::level::level_enum level, std::string_view message,
               const EventFields& fields);

    std::string identifier_;
};

}  // namespace packbridge::logging
