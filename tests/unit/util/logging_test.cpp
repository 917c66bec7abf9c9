// SPDX-License-Identifier: Apache-2.0
#include "packbridge/util/logging.hpp"

#include <catch2/catch.hpp>
#include <cstdlib>

using namespace packbridge;

TEST_CASE("every log level name parses back to the level it names", "[logging]") {
    for (auto level :
         {LogLevel::trace, LogLevel::debug, LogLevel::info, LogLevel::warn, LogLevel::error}) {
        CHECK(parse_log_level(to_string(level)) == level);
    }
    CHECK(to_string(LogLevel::warn) == "warn");
    CHECK(parse_log_level("warning") == LogLevel::warn);
    CHECK_FALSE(parse_log_level("loud").has_value());
}

TEST_CASE("stderr counts as the journal only when JOURNAL_STREAM names it", "[logging]") {
    ::unsetenv("JOURNAL_STREAM");
    CHECK_FALSE(logging::stderr_is_journal());
    ::setenv("JOURNAL_STREAM", "1:1", 1);  // a device:inode that is not our stderr
    CHECK_FALSE(logging::stderr_is_journal());
    ::setenv("JOURNAL_STREAM", "garbage", 1);
    CHECK_FALSE(logging::stderr_is_journal());
    ::unsetenv("JOURNAL_STREAM");
}
