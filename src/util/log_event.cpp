// SPDX-License-Identifier: Apache-2.0
#include "packbridge/util/log_event.hpp"

#include "packbridge/util/logging.hpp"

namespace packbridge::logging {

void emit(spdlog::level::level_enum level, const EventFields& fields, std::string_view text) {
    auto* logger = spdlog::default_logger_raw();
    if (!logger->should_log(level)) return;
    // spdlog messages have no room for structured fields, so the journal sink takes them
    // directly; stderr gets the same text through the logger and its pattern.
    if (auto sink = journal_sink()) {
        sink->send(level, text, fields);
    } else {
        logger->log(level, "{}", text);
    }
}

}  // namespace packbridge::logging
