// SPDX-License-Identifier: Apache-2.0
#include "packbridge/util/fixed_point.hpp"

namespace packbridge {

std::string fixed_point(std::int64_t value, int scale_digits, int decimals) {
    std::int64_t out_div = 1;
    for (int i = 0; i < scale_digits - decimals; ++i)
        out_div *= 10;
    const bool neg = value < 0;
    std::int64_t mag = neg ? -value : value;
    mag = (mag + out_div / 2) / out_div;  // round half away from zero to `decimals`
    std::int64_t unit = 1;
    for (int i = 0; i < decimals; ++i)
        unit *= 10;
    // Appended piece by piece: GCC 12 at -O3 sees `"literal" + std::string` (an insert at the
    // front) as a possibly overlapping memcpy and warns (-Wrestrict, a known false positive).
    std::string s;
    if (neg && mag != 0) s += '-';
    s += std::to_string(mag / unit);
    if (decimals > 0) {
        const std::string frac = std::to_string(mag % unit);  // < unit: at most `decimals` digits
        s += '.';
        s.append(static_cast<std::size_t>(decimals) - frac.size(), '0');
        s += frac;
    }
    return s;
}

}  // namespace packbridge
