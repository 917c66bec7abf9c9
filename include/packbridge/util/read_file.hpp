// SPDX-License-Identifier: Apache-2.0
#pragma once

// Reads a small text file (the config, the status file) whole, with errors a user can act on:
// each names the path and what the OS said ("Permission denied", "No such file or directory"),
// a directory or a device is refused as such instead of being parsed, and the size is capped so
// /dev/zero or a stray 50 MB file cannot eat the Pi's memory.

#include <cstddef>
#include <string>
#include <string_view>

#include "packbridge/result.hpp"

namespace packbridge {

// Every error reads "<path>: cannot <open|read> <what>: <reason>", `what` naming the file's role
// ("the config file"), the reason being the OS's (strerror: "Permission denied", "No such file
// or directory") or "it is a directory", "it is a character device, not a regular file", "it is
// 52428800 bytes, more than the 1048576-byte limit". Errc::not_found when the file does not
// exist, Errc::io for what the OS refused, Errc::invalid for the wrong kind or size.
// Never blocks on a FIFO.
Result<std::string> read_small_file(const std::string& path, std::string_view what,
                                    std::size_t max_bytes);

}  // namespace packbridge
