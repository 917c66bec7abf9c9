// SPDX-License-Identifier: Apache-2.0
#include "packbridge/util/journal.hpp"

#include <sys/uio.h>
#include <syslog.h>
#include <systemd/sd-journal.h>

#include <cstdio>

namespace packbridge::logging {

const char* to_string(Event event) {
    switch (event) {
        case Event::none:
            return "none";
        case Event::pack_lost:
            return "pack_lost";
        case Event::pack_back:
            return "pack_back";
        case Event::pack_timeouts:
            return "pack_timeouts";
        case Event::link_lost:
            return "link_lost";
        case Event::link_back:
            return "link_back";
        case Event::link_configured:
            return "link_configured";
        case Event::link_config_failed:
            return "link_config_failed";
        case Event::inverter_line_lost:
            return "inverter_line_lost";
        case Event::inverter_line_back:
            return "inverter_line_back";
        case Event::safe_state_entered:
            return "safe_state_entered";
        case Event::safe_state_left:
            return "safe_state_left";
        case Event::output_silenced:
            return "output_silenced";
        case Event::output_resumed:
            return "output_resumed";
        case Event::alarm_raised:
            return "alarm_raised";
        case Event::alarm_cleared:
            return "alarm_cleared";
        case Event::limit_changed:
            return "limit_changed";
        case Event::flag_changed:
            return "flag_changed";
    }
    return "unknown";
}

int journal_priority(spdlog::level::level_enum level) {
    switch (level) {
        case spdlog::level::trace:
        case spdlog::level::debug:
            return LOG_DEBUG;
        case spdlog::level::info:
            return LOG_INFO;
        case spdlog::level::warn:
            return LOG_WARNING;
        case spdlog::level::err:
            return LOG_ERR;
        case spdlog::level::critical:
            return LOG_CRIT;
        case spdlog::level::off:
        case spdlog::level::n_levels:
            break;
    }
    return LOG_INFO;
}

std::vector<std::string> journal_fields(spdlog::level::level_enum level, std::string_view message,
                                        const EventFields& fields, std::string_view identifier) {
    std::vector<std::string> out;
    out.push_back("MESSAGE=" + std::string(message));
    out.push_back("PRIORITY=" + std::to_string(journal_priority(level)));
    out.push_back("SYSLOG_IDENTIFIER=" + std::string(identifier));
    if (fields.event != Event::none)
        out.push_back(std::string("PACKBRIDGE_EVENT=") + to_string(fields.event));
    // A field may repeat in one journal entry: a limit held back by packs 2 and 5 matches both
    // PACKBRIDGE_PACK=2 and PACKBRIDGE_PACK=5.
    for (const auto pack : fields.packs) {
        out.push_back("PACKBRIDGE_PACK=" + std::to_string(pack));
        char adr[32];
        std::snprintf(adr, sizeof adr, "PACKBRIDGE_ADDRESS=0x%02X", static_cast<unsigned>(pack));
        out.emplace_back(adr);
    }
    if (!fields.link.empty()) out.push_back("PACKBRIDGE_LINK=" + fields.link);
    if (!fields.reason.empty()) out.push_back("PACKBRIDGE_REASON=" + fields.reason);
    return out;
}

void JournalSink::send(spdlog::level::level_enum level, std::string_view message,
                       const EventFields& fields) {
    std::lock_guard<std::mutex> lock(mutex_);
    write(level, message, fields);
}

void JournalSink::sink_it_(const spdlog::details::log_msg& msg) {
    write(msg.level, std::string_view(msg.payload.data(), msg.payload.size()), EventFields{});
}

void JournalSink::write(spdlog::level::level_enum level, std::string_view message,
                        const EventFields& fields) {
    const auto entries = journal_fields(level, message, fields, identifier_);
    std::vector<iovec> iov;
    iov.reserve(entries.size());
    for (const auto& e : entries) {
        // sd_journal_sendv only reads the buffers; iovec just has no const member.
        iov.push_back(iovec{const_cast<char*>(e.data()), e.size()});
    }
    // A journal that cannot be written has nowhere to report to; the line is lost.
    (void)sd_journal_sendv(iov.data(), static_cast<int>(iov.size()));
}

}  // namespace packbridge::logging
