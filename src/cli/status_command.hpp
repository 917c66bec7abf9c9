// SPDX-License-Identifier: Apache-2.0
#pragma once

// `packbridge status [--json] [--file PATH]`: reads the status file the daemon rewrites every
// cycle and prints it as a table (or the raw JSON). Exit codes: 0 fresh status shown, 1 no
// status (file missing/unreadable/invalid) or stale status (shown, with a warning), 2 usage.

#include <iosfwd>
#include <nlohmann/json.hpp>
#include <optional>
#include <span>
#include <string>

namespace packbridge::cli {

// A status file older than this (by mtime, wall clock) means the daemon is stopped or stuck.
inline constexpr int kStatusStaleAfterS = 10;

// A status file as read from disk: its JSON and its age (mtime, wall clock).
struct StatusFile {
    nlohmann::json json;
    long long age_s = 0;
    [[nodiscard]] bool stale() const { return age_s > kStatusStaleAfterS; }
};

// Reads and checks a status file; on failure `problem` says why ("no status file at ...").
std::optional<StatusFile> read_status_file(const std::string& path, std::string& problem);

// The per-address table ("Packs:" and one line per pack) of a status file. Shared with `scan`,
// which shows it instead of probing a line the daemon owns. Throws nlohmann::json::exception
// when a field is missing.
void print_pack_table(const nlohmann::json& status, std::ostream& out);

int status_command(std::span<const std::string> args, std::ostream& out, std::ostream& err);

}  // namespace packbridge::cli
