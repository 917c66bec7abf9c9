// The journal entry a log line becomes: priorities and structured fields, as pure functions.
#include <syslog.h>

#include <catch2/catch.hpp>
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

TEST_CASE("a pack event carries PACK= and ADDRESS=", "[journal]") {
    EventFields fields;
    fields.pack = 11;
    CHECK(journal_fields(spdlog::level::warn, "bus: pack 11 offline", fields, "packbridge") ==
          Fields{"MESSAGE=bus: pack 11 offline", "PRIORITY=4", "SYSLOG_IDENTIFIER=packbridge",
                 "PACK=11", "ADDRESS=0x0B"});
}

TEST_CASE("a link event carries LINK=, and both kinds combine", "[journal]") {
    EventFields link;
    link.link = "can0";
    CHECK(journal_fields(spdlog::level::err, "CAN: can0 lost", link, "pb") ==
          Fields{"MESSAGE=CAN: can0 lost", "PRIORITY=3", "SYSLOG_IDENTIFIER=pb", "LINK=can0"});
    EventFields both{std::uint8_t{0}, "/dev/ttyUSB0"};
    CHECK(journal_fields(spdlog::level::debug, "x", both, "pb") ==
          Fields{"MESSAGE=x", "PRIORITY=7", "SYSLOG_IDENTIFIER=pb", "PACK=0", "ADDRESS=0x00",
                 "LINK=/dev/ttyUSB0"});
}

TEST_CASE("multi-line messages stay one journal field", "[journal]") {
    const auto fields = journal_fields(spdlog::level::info, "a\nb", {}, "pb");
    CHECK(fields.front() == "MESSAGE=a\nb");
}
