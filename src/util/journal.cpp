#include "packbridge/util/journal.hpp"

#include <sys/uio.h>
#include <syslog.h>
#include <systemd/sd-journal.h>

#include <cstdio>

namespace packbridge::logging {

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
    if (fields.pack) {
        out.push_back("PACK=" + std::to_string(*fields.pack));
        char adr[16];
        std::snprintf(adr, sizeof adr, "ADDRESS=0x%02X", static_cast<unsigned>(*fields.pack));
        out.emplace_back(adr);
    }
    if (!fields.link.empty()) out.push_back("LINK=" + fields.link);
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
