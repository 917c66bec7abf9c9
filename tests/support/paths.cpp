// SPDX-License-Identifier: Apache-2.0
#include "support/paths.hpp"

namespace packbridge::testing {

std::filesystem::path source_dir() {
    return PACKBRIDGE_SOURCE_DIR;
}
std::filesystem::path binary_dir() {
    return PACKBRIDGE_BINARY_DIR;
}
std::filesystem::path packbridge_binary() {
    return binary_dir() / "packbridge";
}
std::filesystem::path sim_binary() {
    return binary_dir() / "packbridge-sim";
}

}  // namespace packbridge::testing
