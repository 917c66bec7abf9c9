// SPDX-License-Identifier: Apache-2.0
#include "packbridge/protocol/inverter/can/limits_frame.hpp"

#include <span>

#include "packbridge/bytes.hpp"
#include "packbridge/protocol/wire_units.hpp"

namespace packbridge::protocol {

CanFrame limits_frame(const Battery& b) {
    using namespace bytes;
    using wire::round_div;
    CanFrame limits = make_frame(0x351);
    store_le16(payload(limits), 0, wire::to_u16(round_div(b.charge_voltage.value, 100)));
    // Limits are positive magnitudes even though the fields are typed signed (spec section 0.2).
    store_le16s(payload(limits), 2, wire::to_s16(round_div(b.charge_current.value, 100)));
    store_le16s(payload(limits), 4, wire::to_s16(round_div(b.discharge_current.value, 100)));
    store_le16(payload(limits), 6, wire::to_u16(round_div(b.discharge_voltage.value, 100)));
    return limits;
}

std::string describe_limits_frame(const CanFrame& f) {
    using namespace bytes;
    const std::span<const std::uint8_t> d{f.data.data(), f.data.size()};
    return format_text("limits CVL %.1f V CCL %.1f A DCL %.1f A DVL %.1f V", load_le16(d, 0) / 10.0,
                       load_le16s(d, 2) / 10.0, load_le16s(d, 4) / 10.0, load_le16(d, 6) / 10.0);
}

}  // namespace packbridge::protocol
