// SPDX-License-Identifier: Apache-2.0
#include "packbridge/util/logging.hpp"

#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>
#include <sys/stat.h>

#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>

#include "packbridge/util/journal.hpp"

namespace packbridge::logging {
namespace {

// Set once by init() before the event loop runs; read from the loop thread only.
std::shared_ptr<JournalSink> g_journal;

spdlog::level::level_enum to_spdlog(LogLevel level) {
    switch (level) {
        case LogLevel::trace:
            return spdlog::level::trace;
        case LogLevel::debug:
            return spdlog::level::debug;
        case LogLevel::info:
            return spdlog::level::info;
        case LogLevel::warn:
            return spdlog::level::warn;
        case LogLevel::error:
            return spdlog::level::err;
    }
    return spdlog::level::info;
}

}  // namespace

std::shared_ptr<JournalSink> journal_sink() {
    return g_journal;
}

bool stderr_is_journal() {
    const char* env = std::getenv("JOURNAL_STREAM");
    if (env == nullptr) return false;
    unsigned long long dev = 0;
    unsigned long long ino = 0;
    if (std::sscanf(env, "%llu:%llu", &dev, &ino) != 2) return false;
    struct stat st {};
    if (fstat(2, &st) != 0) return false;
    return st.st_dev == dev && st.st_ino == ino;
}

void init(LogLevel level, Target target) {
    const bool journal =
        target == Target::journal || (target == Target::automatic && stderr_is_journal());
    std::shared_ptr<spdlog::logger> logger;
    if (journal) {
        // The journal stamps time and priority itself; the message stays plain text.
        g_journal = std::make_shared<JournalSink>("packbridge");
        logger = std::make_shared<spdlog::logger>("packbridge", g_journal);
    } else {
        g_journal.reset();
        auto sink = std::make_shared<spdlog::sinks::stderr_color_sink_mt>();
        logger = std::make_shared<spdlog::logger>("packbridge", sink);
        logger->set_pattern("%Y-%m-%d %H:%M:%S.%e %^%-5l%$ %v");
    }
    logger->set_level(to_spdlog(level));
    logger->flush_on(spdlog::level::trace);
    spdlog::set_default_logger(logger);
}

void set_level(LogLevel level) {
    spdlog::set_level(to_spdlog(level));
}

}  // namespace packbridge::logging
