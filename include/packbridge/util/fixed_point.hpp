// SPDX-License-Identifier: Apache-2.0
#pragma once

// Integer fixed-point values as decimal text, without binary floating point between the number
// and what a person reads (limit reasons, `packbridge status`).

#include <cstdint>
#include <string>

namespace packbridge {

// `value` in units of 10^-scale_digits shown with `decimals` places, rounded half away from zero:
// fixed_point(52105, 3, 2) == "52.11" (mV as V), fixed_point(-5, 3, 1) == "0.0" (no "-0.0").
std::string fixed_point(std::int64_t value, int scale_digits, int decimals);

}  // namespace packbridge
