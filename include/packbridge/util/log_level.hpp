// SPDX-License-Identifier: Apache-2.0
#pragma once

// Log levels, shared by the config file ("log.level") and the logging setup.

namespace packbridge {

enum class LogLevel { trace, debug, info, warn, error };

}  // namespace packbridge
