// SPDX-License-Identifier: Apache-2.0
#pragma once

// Logging set-up: spdlog everywhere. Under systemd (JOURNAL_STREAM names our stderr) messages go
// to the journal with proper priorities; otherwise to stderr with a timestamp.

#include <memory>
#include <optional>
#include <string_view>

#include "packbridge/util/log_level.hpp"

namespace packbridge::logging {

enum class Target { automatic, journal, stderr_ };

void init(LogLevel level, Target target = Target::automatic);
void set_level(LogLevel level);

// The journal sink when init() chose the journal, else null: log_event.hpp sends structured
// fields through it.
class JournalSink;
std::shared_ptr<JournalSink> journal_sink();

// True when JOURNAL_STREAM matches the device:inode of our stderr (systemd.exec(5)).
bool stderr_is_journal();

}  // namespace packbridge::logging
