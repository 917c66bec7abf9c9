// SPDX-License-Identifier: Apache-2.0
#include "packbridge/pack_reading.hpp"

#include <algorithm>

namespace packbridge {

bool PackAnalog::absent() const {
    const bool cells_zero =
        std::all_of(cell_mv.begin(), cell_mv.end(), [](auto v) { return v == 0; });
    return voltage_mv == 0 || cells_zero;
}

}  // namespace packbridge
