// SPDX-License-Identifier: Apache-2.0
// The journal entry a log line becomes: priorities and structured fields, as pure functions.
#include <syslog.h>

#include <catch2/catch.hpp>
#include <set>
#include <string>
#include <vector>

#include "packbridge/util/journal.hpp"

using namespace packbridge::logging;
using Fields = std::vector<std::string>;

TEST_CASE("spdlog levels map to syslog priorities", "[journal]") {
    CHECK(journal_priority(spdlog::level::trace) == LOG_DEBUG);
    CHECK(journal_priority(spdlog::level::debug) == LOG_DEBUG);
    CHECK(journal_priority(spdlog::level::info) == LOG_INFO);
    CHECK(journal_priority(spdlog::level::warn) == LOG_WARNING);
    CHECK(journal_priority(spdlog::level::err) == LOG_ERR);
    CHECK(journal_priority(spdlog::level::critical) == LOG_CRIT);
}

TEST_CASE("a plain line carries message, priority and identifier only", "[journal]") {
    CHECK(journal_fields(spdlog::level::info, "stopped", {}, "packbridge") ==
          Fields{"MESSAGE=stopped", "PRIORITY=6", "SYSLOG_IDENTIFIER=packbridge"});
}

TEST_CASE("a pack event carries PACKBRIDGE_EVENT=, PACKBRIDGE_PACK= and PACKBRIDGE_ADDRESS=",
          "[journal]") {
    EventFields fields;
    fields.packs = {11};
    fields.event = Event::pack_lost;
    CHECK(journal_fields(spdlog::level::warn, "bus: pack 11 offline", fields, "packbridge") ==
          Fields{"MESSAGE=bus: pack 11 offline", "PRIORITY=4", "SYSLOG_IDENTIFIER=packbridge",
                 "PACKBRIDGE_EVENT=pack_lost", "PACKBRIDGE_PACK=11", "PACKBRIDGE_ADDRESS=0x0B"});
}

TEST_CASE("a link event carries PACKBRIDGE_LINK=, and pack and link combine", "[journal]") {
    EventFields link;
    link.link = "can0";
    link.event = Event::link_lost;
    CHECK(journal_fields(spdlog::level::err, "CAN: can0 lost", link, "pb") ==
          Fields{"MESSAGE=CAN: can0 lost", "PRIORITY=3", "SYSLOG_IDENTIFIER=pb",
                 "PACKBRIDGE_EVENT=link_lost", "PACKBRIDGE_LINK=can0"});
    EventFields both;
    both.packs = {0};
    both.link = "/dev/ttyUSB0";
    CHECK(journal_fields(spdlog::level::debug, "x", both, "pb") ==
          Fields{"MESSAGE=x", "PRIORITY=7", "SYSLOG_IDENTIFIER=pb", "PACKBRIDGE_PACK=0",
                 "PACKBRIDGE_ADDRESS=0x00", "PACKBRIDGE_LINK=/dev/ttyUSB0"});
}

TEST_CASE("a limit held by two packs repeats PACKBRIDGE_PACK= and carries PACKBRIDGE_REASON=",
          "[journal]") {
    EventFields fields;
    fields.event = Event::limit_changed;
    fields.packs = {2, 5};
    fields.reason = "CCL 50.0 A: pack 2 charge MOSFET off; pack 5 cell 3 3.550 V taper";
    CHECK(journal_fields(spdlog::level::info, "CCL reasons changed: ...", fields, "pb") ==
          Fields{"MESSAGE=CCL reasons changed: ...", "PRIORITY=6", "SYSLOG_IDENTIFIER=pb",
                 "PACKBRIDGE_EVENT=limit_changed", "PACKBRIDGE_PACK=2", "PACKBRIDGE_ADDRESS=0x02",
                 "PACKBRIDGE_PACK=5", "PACKBRIDGE_ADDRESS=0x05",
                 "PACKBRIDGE_REASON=CCL 50.0 A: pack 2 charge MOSFET off; pack 5 cell 3 3.550 V "
                 "taper"});
}

TEST_CASE("every event has its own snake_case PACKBRIDGE_EVENT= name", "[journal]") {
    std::set<std::string> names;
    for (int i = static_cast<int>(Event::pack_lost); i <= static_cast<int>(Event::flag_changed);
         ++i) {
        const std::string name = to_string(static_cast<Event>(i));
        INFO(i << ": " << name);
        CHECK(name != "unknown");
        CHECK(name.find_first_not_of("abcdefghijklmnopqrstuvwxyz_") == std::string::npos);
        CHECK(names.insert(name).second);
    }
    CHECK(std::string(to_string(Event::pack_back)) == "pack_back");
    CHECK(std::string(to_string(Event::safe_state_entered)) == "safe_state_entered");
    CHECK(std::string(to_string(Event::inverter_line_lost)) == "inverter_line_lost");
    // Event::none adds no field.
    CHECK(journal_fields(spdlog::level::info, "x", EventFields{}, "pb").size() == 3);
}

TEST_CASE("multi-line messages stay one journal field", "[journal]") {
    const auto fields = journal_fields(spdlog::level::info, "a\nb", {}, "pb");
    CHECK(fields.front() == "MESSAGE=a\nb");
}
