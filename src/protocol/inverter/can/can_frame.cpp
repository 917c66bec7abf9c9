// SPDX-License-Identifier: Apache-2.0
#include "packbridge/protocol/inverter/can/can_frame.hpp"

#include <algorithm>
#include <cstdarg>
#include <cstdio>

namespace packbridge::protocol {

std::string to_candump(const CanFrame& frame) {
    char buf[64];
    int n = frame.extended ? std::snprintf(buf, sizeof buf, "%08X#", frame.id)
                           : std::snprintf(buf, sizeof buf, "%03X#", frame.id);
    std::string out(buf, static_cast<std::size_t>(n));
    for (std::uint8_t i = 0; i < frame.dlc && i < 8; ++i) {
        std::snprintf(buf, sizeof buf, "%02X", frame.data[i]);
        out += buf;
    }
    return out;
}

void put_text(CanFrame& f, std::string_view text, char pad) {
    f.data.fill(static_cast<std::uint8_t>(pad));
    const std::size_t n = std::min<std::size_t>(text.size(), f.data.size());
    for (std::size_t i = 0; i < n; ++i)
        f.data[i] = static_cast<std::uint8_t>(text[i]);
}

std::string text_of(const CanFrame& f) {
    std::string s;
    for (std::size_t i = 0; i < std::min<std::size_t>(f.dlc, 8) && f.data[i] != 0; ++i)
        s.push_back(static_cast<char>(f.data[i]));
    return s;
}

std::string format_text(const char* format, ...) {
    // Summaries fit the stack buffer; a longer one is formatted again at its length.
    char buf[256];
    std::va_list args;
    va_start(args, format);
    std::va_list again;
    va_copy(again, args);
    const int n = std::vsnprintf(buf, sizeof buf, format, args);
    va_end(args);
    std::string out;
    if (n < 0) {
        out = "(unformattable)";
    } else if (static_cast<std::size_t>(n) < sizeof buf) {
        out.assign(buf, static_cast<std::size_t>(n));
    } else {
        out.resize(static_cast<std::size_t>(n) + 1);
        std::vsnprintf(out.data(), out.size(), format, again);
        out.resize(static_cast<std::size_t>(n));
    }
    va_end(again);
    return out;
}

std::string describe_unknown(const CanFrame& frame) {
    return frame.extended ? format_text("id %08X", frame.id) : format_text("id %03X", frame.id);
}

}  // namespace packbridge::protocol
