// SPDX-License-Identifier: Apache-2.0
#pragma once

// Log lines about one pack or one link, with the subject passed explicitly so the journal gets
// PACKBRIDGE_PACK=/PACKBRIDGE_ADDRESS=/PACKBRIDGE_LINK= fields and, when given, what happened
// (PACKBRIDGE_EVENT=, journal.hpp). Outside the journal they are ordinary spdlog lines: the text
// itself must still name the pack or link for a human reading stderr.
//
//   logging::pack_event(spdlog::level::warn, 3, Event::pack_lost, "bus: pack 3 offline ({})", why);
//   logging::link_event(spdlog::level::info, "can0", Event::link_back, "CAN: can0 up again");
//   logging::pack_event(spdlog::level::debug, 3, "bus: ...");   // no event name

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

// Fields that name only what happened (no pack, no link): `event(level, about(Event::x), ...)`.
inline EventFields about(Event what) {
    EventFields fields;
    fields.event = what;
    return fields;
}

template <class... Args>
void event(spdlog::level::level_enum level, EventFields fields,
           spdlog::format_string_t<Args...> format, Args&&... args) {
    if (!spdlog::default_logger_raw()->should_log(level)) return;  // no formatting when filtered
    emit(level, fields, fmt::format(format, std::forward<Args>(args)...));
}

template <class... Args>
void pack_event(spdlog::level::level_enum level, std::uint8_t address, Event what,
                spdlog::format_string_t<Args...> format, Args&&... args) {
    EventFields fields;
    fields.packs = {address};
    fields.event = what;
    event(level, std::move(fields), format, std::forward<Args>(args)...);
}

template <class... Args>
void pack_event(spdlog::level::level_enum level, std::uint8_t address,
                spdlog::format_string_t<Args...> format, Args&&... args) {
    pack_event(level, address, Event::none, format, std::forward<Args>(args)...);
}

template <class... Args>
void link_event(spdlog::level::level_enum level, std::string link, Event what,
                spdlog::format_string_t<Args...> format, Args&&... args) {
    EventFields fields;
    fields.link = std::move(link);
    fields.event = what;
    event(level, std::move(fields), format, std::forward<Args>(args)...);
}

template <class... Args>
void link_event(spdlog::level::level_enum level, std::string link,
                spdlog::format_string_t<Args...> format, Args&&... args) {
    link_event(level, std::move(link), Event::none, format, std::forward<Args>(args)...);
}

}  // namespace packbridge::logging
