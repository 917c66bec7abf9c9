// SPDX-License-Identifier: Apache-2.0
#include "packbridge/service/frame_text.hpp"

#include <fmt/format.h>

namespace packbridge::service {

std::string trace_text(std::string_view raw) {
    std::string text;
    text.reserve(raw.size() + 1);
    for (const char c : raw) {
        if (c == '\r') {
            text += "\\r";
        } else if (c < 0x20 || c > 0x7E) {
            text += fmt::format("\\x{:02X}", static_cast<unsigned char>(c));
        } else {
            text += c;
        }
    }
    return text;
}

std::string hex_text(std::span<const std::uint8_t> bytes) {
    std::string text;
    text.reserve(bytes.size() * 3);
    for (const std::uint8_t b : bytes) {
        if (!text.empty()) text += ' ';
        text += fmt::format("{:02X}", b);
    }
    return text;
}

}  // namespace packbridge::service
