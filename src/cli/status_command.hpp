#pragma once

// `packbridge status [--json] [--file PATH]`: reads the status file the daemon rewrites every
// cycle and prints it as a table (or the raw JSON). Exit codes: 0 fresh status shown, 1 no
// status (file missing/unreadable/invalid) or stale status (shown, with a warning), 2 usage.

#include <iosfwd>
#include <span>
#include <string>

namespace packbridge::cli {

// A status file older than this (by mtime, wall clock) means the daemon is stopped or stuck.
inline constexpr int kStatusStaleAfterS = 10;

int status_command(std::span<const std::string> args, std::ostream& out, std::ostream& err);

}  // namespace packbridge::cli
