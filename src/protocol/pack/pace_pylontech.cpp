// SPDX-License-Identifier: Apache-2.0
// Pylontech (VER 0x20, CID1 0x46) 0x42 analog records (section 2.2.6) and 0x44 status (3.12).
#include "pace_internal.hpp"
#include "packbridge/bytes.hpp"
#include "packbridge/protocol/pack/alarm_tables.hpp"

namespace packbridge::protocol::pace::detail {
namespace {

using bytes::load_be16;
using bytes::load_be16s;
using bytes::load_be24;

constexpr std::uint8_t kMaxCells = 32;

// Bytes after P: P=2 total(2) cycles(2); P=4 total1(2) cycles(2) remain2(3) total2(3).
std::optional<std::size_t> tail_after_p(std::uint8_t p) {
    if (p == 2) return 4;
    if (p == 4) return 10;
    return std::nullopt;
}

// Size of M, cells, N, temps, current, voltage, remain1 and P from `at`, if it fits.
std::optional<std::size_t> fixed_part(std::span<const std::uint8_t> b, std::size_t at) {
    if (at >= b.size() || b[at] == 0 || b[at] > kMaxCells) return std::nullopt;
    const std::size_t n_at = at + 1 + 2 * std::size_t{b[at]};
    if (n_at >= b.size()) return std::nullopt;
    const std::size_t size = n_at - at + 1 + 2 * std::size_t{b[n_at]} + 7;
    if (at + size > b.size()) return std::nullopt;
    return size;
}

PackAnalog decode_record(std::span<const std::uint8_t> b, std::size_t at) {
    PackAnalog a;
    std::size_t p = at;
    const std::vector<std::int16_t> temps = read_cells_and_temps(b, p, kKelvinOffsetV20, a);
    const std::size_t n = temps.size();
    // T1 is the BMS board (not a cell sensor): reported as the pack's ambient reading. Then the
    // cell-group averages; a sixth sensor (US3000) is the MOSFET.
    const std::size_t cell_end = n >= 6 ? n - 1 : n;
    if (n >= 1) a.ambient_temp_dc = temps[0];
    for (std::size_t i = 1; i < cell_end; ++i)
        a.cell_temp_dc.push_back(temps[i]);
    if (n >= 6) a.mosfet_temp_dc = temps[n - 1];
    a.current_ma = load_be16s(b, p) * 100;  // 100 mA
    a.voltage_mv = load_be16(b, p + 2);
    a.remaining_mah = load_be16(b, p + 4);  // mAh
    const std::uint8_t pcount = b[p + 6];
    p += 7;
    a.full_mah = load_be16(b, p);
    a.cycles = load_be16(b, p + 2);
    if (pcount == 4) {
        // Capacity above 65 Ah: remain1 = total1 = 0xFFFF, the 3-byte values follow the cycles.
        a.remaining_mah = load_be24(b, p + 4);
        a.full_mah = load_be24(b, p + 7);
    }
    // No design capacity in this layout: design_mah stays 0 (unknown).
    return a;
}

}  // namespace

std::optional<std::vector<std::size_t>> split_pylon_records(std::span<const std::uint8_t> info) {
    std::vector<std::size_t> out;
    std::size_t at = 2;
    while (at < info.size()) {
        const auto fixed = fixed_part(info, at);
        if (!fixed) return std::nullopt;
        const auto tail = tail_after_p(info[at + *fixed - 1]);
        if (!tail || at + *fixed + *tail > info.size()) return std::nullopt;
        out.push_back(at);
        at += *fixed + *tail;
    }
    if (out.empty()) return std::nullopt;
    return out;
}

Result<std::vector<PackAnalog>> decode_pylon_analog(std::span<const std::uint8_t> info) {
    const auto records = split_pylon_records(info);
    if (!records) {
        return make_error(Errc::bad_length, "Pylontech 0x42 INFO of " +
                                                std::to_string(info.size()) +
                                                " bytes does not split into P=2 / P=4 records");
    }
    std::vector<PackAnalog> out;
    for (const auto at : *records)
        out.push_back(decode_record(info, at));
    return out;
}

Result<PackStatus> decode_pylon_status(std::span<const std::uint8_t> b) {
    // flag, cmd, M, M states, N, N states, charge-current, voltage, discharge-current, Status1-5.
    const auto n_at_or = info_n_at(b);
    if (!n_at_or) return n_at_or.error();
    const std::size_t n_at = *n_at_or;
    const std::size_t tail = n_at + 1 + b[n_at];
    if (tail + 8 > b.size())
        return make_error(Errc::truncated, "Pylontech 0x44 INFO shorter than Status1-5");
    PackStatus s;
    cell_state_warnings(b, s.warnings);
    current_voltage_state_warnings(b, tail, s.warnings);
    const std::size_t st = tail + 3;
    apply_alarm_table(alarm_table(Dialect::pylontech), b.subspan(st, 5), s);
    s.discharge_mosfet_on = (b[st + 1] & 0x04) != 0;
    s.charge_mosfet_on = (b[st + 1] & 0x02) != 0;
    s.charging = (b[st + 2] & 0x80) != 0;  // effective charge current
    s.discharging = (b[st + 2] & 0x40) != 0;
    s.fully_charged = (b[st + 2] & 0x08) != 0;
    return s;
}

}  // namespace packbridge::protocol::pace::detail
