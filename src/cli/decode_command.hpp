// SPDX-License-Identifier: Apache-2.0
#pragma once

// `packbridge decode FRAME...` (or frames on stdin, one per line): decodes pack-bus frames copied
// from a log and prints each as one JSON object per line, or says which check failed.

#include <istream>
#include <ostream>
#include <span>
#include <string>

namespace packbridge::cli {

// Exit code: 0 when every frame decoded, 1 when any was invalid, 2 on bad arguments.
int decode_command(std::span<const std::string> args, std::ostream& out, std::ostream& err);
// The same with an explicit input stream for frames when no FRAME argument is given.
int decode_command(std::span<const std::string> args, std::istream& in, std::ostream& out,
                   std::ostream& err);

}  // namespace packbridge::cli
