// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <filesystem>

namespace packbridge::testing {

// Where the checkout and the build tree are, so tests can find config/ and the built binaries.
std::filesystem::path source_dir();
std::filesystem::path binary_dir();
std::filesystem::path packbridge_binary();
std::filesystem::path sim_binary();

}  // namespace packbridge::testing
