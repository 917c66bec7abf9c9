// SPDX-License-Identifier: Apache-2.0
#include "support/rs485_example.hpp"

#include <stdexcept>

#include "support/example_state.hpp"

namespace packbridge::testing {

// The spec's example state (inverter-rs485.md section 0.3: 123 cycles) as the real bank computes
// it from three pack readings; every RS485 vector test is fed from this.
Battery rs485_example_battery() {
    return example_battery(123);
}

std::vector<std::uint8_t> hex_bytes(std::string_view hex) {
    std::vector<std::uint8_t> out;
    int hi = -1;
    for (const char c : hex) {
        if (c == ' ') continue;
        int v;
        if (c >= '0' && c <= '9')
            v = c - '0';
        else if (c >= 'A' && c <= 'F')
            v = c - 'A' + 10;
        else if (c >= 'a' && c <= 'f')
            v = c - 'a' + 10;
        else
            throw std::invalid_argument("hex_bytes: not hex: " + std::string(hex));
        if (hi < 0) {
            hi = v;
        } else {
            out.push_back(static_cast<std::uint8_t>((hi << 4) | v));
            hi = -1;
        }
    }
    if (hi >= 0) throw std::invalid_argument("hex_bytes: odd digit count: " + std::string(hex));
    return out;
}

std::string hex_string(const std::vector<std::uint8_t>& bytes) {
    static constexpr char kDigits[] = "0123456789ABCDEF";
    std::string out;
    for (std::size_t i = 0; i < bytes.size(); ++i) {
        if (i) out.push_back(' ');
        out.push_back(kDigits[bytes[i] >> 4]);
        out.push_back(kDigits[bytes[i] & 0xF]);
    }
    return out;
}

std::vector<std::uint8_t> ascii_bytes(std::string_view text) {
    return {text.begin(), text.end()};
}

}  // namespace packbridge::testing
