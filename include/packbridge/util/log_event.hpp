#pragma once

// Log lines about one pack or one link, with the subject passed explicitly so the journal gets
// PACK=/ADDRESS=/LINK= fields (journal.hpp). Outside the journal they are ordinary spdlog lines:
// the text itself must still name the pack or link for a human reading stderr.
//
//   logging::pack_event(spdlog::level::warn, 3, "bus: pack 3 offline ({})", why);
//   logging::link_event(spdlog::level::info, "can0", "CAN: can0 up again");

#include <spdlog/spdlog.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>

#include "packbridge/util/journal.hpp"

namespace packbridge::logging {

// Sends an already formatted line: to the journal with `fields` when logging goes there, else to
// the default logger. Respects the logger's level either way.
void emit(spdlog::level::level_enum level, const EventFields& fields, std::string_view text);

template <class... Args>
void event(spdlog::level::level_enum level, EventFields fields,
           spdlog::format_string_t<Args...> format, Args&&... args) {
    if (!spdlog::default_logger_raw()->should_log(level)) return;  // no formatting when filtered
    emit(level, fields, fmt::format(format, std::forward<Args>(args)...));
}

template <class... Args>
void pack_event(spdlog::level::level_enum level, std::uint8_t address,
                spdlog::format_string_t<Args...> format, Args&&... args) {
    event(level, EventFields{address, {}}, format, std::forward<Args>(args)...);
}

template <class... Args>
void link_event(spdlog::level::level_enum level, std::string link,
                spdlog::format_string_t<Args...> format, Args&&... args) {
    event(level, EventFields{std::nullopt, std::move(link)}, format, std::forward<Args>(args)...);
}

}  // namespace packbridge::logging
