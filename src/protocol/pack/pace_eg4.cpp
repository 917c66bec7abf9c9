// SPDX-License-Identifier: Apache-2.0
// EG4 LifePower4 / Qualtech (CID1 0x4A) 0x42 analog (section 2.2.7) and 0x44 status replies.
// The 0x44 bit layout is not in pack-protocol.md section 3; it follows the EG4 document as
// transcribed by nkinnan/esphome-pace-bms (F-26 is that project's sample).
#include <algorithm>

#include "pace_internal.hpp"
#include "packbridge/bytes.hpp"
#include "packbridge/protocol/pack/alarm_tables.hpp"

namespace packbridge::protocol::pace::detail {
namespace {

using bytes::load_be16;
using bytes::load_be16s;
using bytes::load_be32;

// The temperature count byte says 4 but MOSFET and ambient follow the four cell sensors.
std::size_t temps_on_wire(std::uint8_t count) {
    return count == 4 ? 6 : count;
}

}  // namespace

Result<std::vector<PackAnalog>> decode_eg4_analog(std::span<const std::uint8_t> b) {
    // flag, group, M, cells, N, temps, current, voltage, remaining, full, cycles, UD (0x0F),
    // SOC, SOH, then extremes and cumulative counters (not decoded).
    if (b.size() < 4) return make_error(Errc::truncated, "EG4 0x42 INFO too short");
    const std::size_t m = b[2];
    const std::size_t n_at = 3 + 2 * m;
    if (n_at >= b.size()) return make_error(Errc::truncated, "EG4 0x42 INFO ends inside the cells");
    const std::size_t n = temps_on_wire(b[n_at]);
    const std::size_t tail = n_at + 1 + 2 * n;
    if (tail + 15 > b.size())
        return make_error(Errc::truncated, "EG4 0x42 INFO shorter than its SOC and SOH fields");
    PackAnalog a;
    for (std::size_t i = 0; i < m; ++i)
        a.cell_mv.push_back(load_be16(b, 3 + 2 * i));
    std::vector<std::int16_t> temps;
    for (std::size_t i = 0; i < n; ++i)
        temps.push_back(to_decidegrees(load_be16(b, n_at + 1 + 2 * i), kKelvinOffsetV20));
    // T1-T4 cells, T5 MOSFET, T6 ambient (section 2.2.7).
    place_temperatures(temps, LastTwoSensors::mosfet_ambient, a);
    a.current_ma = load_be16s(b, tail) * 10;
    a.voltage_mv = load_be16(b, tail + 2) * 10U;
    a.remaining_mah = load_be16(b, tail + 4) * 10U;
    a.full_mah = load_be16(b, tail + 6) * 10U;
    a.cycles = load_be16(b, tail + 8);
    // tail + 10: UD count (0x0F)
    a.soc_pct = static_cast<std::uint8_t>(std::min<unsigned>(load_be16(b, tail + 11), 100));
    a.soh_pct = static_cast<std::uint8_t>(std::min<unsigned>(load_be16(b, tail + 13), 100));
    // No design capacity in this layout: design_mah stays 0 (unknown).
    return std::vector<PackAnalog>{a};
}

Result<PackStatus> decode_eg4_status(std::span<const std::uint8_t> b) {
    // flag, group, M, M states, N (4 -> 6 states), current state, voltage state, UD (9), then
    // balance event, voltage event, temperature event (u16), current event, remaining capacity,
    // FET status, system status, balancing (u32), reserved.
    const auto n_at_or = info_n_at(b);
    if (!n_at_or) return n_at_or.error();
    const std::size_t n_at = *n_at_or;
    const std::size_t states = n_at + 1 + temps_on_wire(b[n_at]);
    const std::size_t e = states + 3;  // after current state, voltage state and UD
    if (e + 12 > b.size())
        return make_error(Errc::truncated, "EG4 0x44 INFO shorter than its event block");
    PackStatus s;
    cell_state_warnings(b, s.warnings);
    apply_alarm_table(alarm_table(Dialect::eg4), b.subspan(e, 6), s);
    s.discharge_mosfet_on = (b[e + 6] & 0x01) != 0;
    s.charge_mosfet_on = (b[e + 6] & 0x02) != 0;
    s.discharging = (b[e + 7] & 0x01) != 0;
    s.charging = (b[e + 7] & 0x02) != 0;
    s.balancing_mask = load_be32(b, e + 8);  // bit 0 = cell 1
    return s;
}

}  // namespace packbridge::protocol::pace::detail
