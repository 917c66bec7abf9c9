#pragma once

// The journal side of logging. Under systemd every message goes to journald with its syslog
// priority, and messages about one pack or one link carry structured fields (PACK=, ADDRESS=,
// LINK=) so `journalctl PACK=3` or `journalctl LINK=can0` finds them without grepping text.
// Building the fields is pure (tested); JournalSink only hands them to sd_journal_sendv.

#include <spdlog/sinks/base_sink.h>

#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace packbridge::logging {

// What a message is about, passed explicitly by the caller (see log_event.hpp).
struct EventFields {
    std::optional<std::uint8_t> pack;  // PACK=3 and ADDRESS=0x03 (the ADR on the pack bus)
    std::string link;                  // LINK=can0, LINK=/dev/ttyUSB0; empty = none
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
