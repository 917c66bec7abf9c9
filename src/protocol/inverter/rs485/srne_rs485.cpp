// SPDX-License-Identifier: Apache-2.0
#include "packbridge/protocol/inverter/rs485/srne_rs485.hpp"

#include <algorithm>
#include <string_view>

#include "packbridge/protocol/inverter/rs485/rs485_view.hpp"
#include "packbridge/protocol/wire_units.hpp"

namespace packbridge::protocol {
namespace {

using namespace pace_reg;
using wire::round_div;
using wire::to_s16;
using wire::to_u16;

constexpr std::string_view kVersionText = "packbridge";
constexpr std::string_view kModelText = "PB-AGGREGATE";
constexpr std::string_view kPackText = "PB-AGGREGATE";

namespace status_bit {
constexpr std::uint16_t charging = 1U << 8;
constexpr std::uint16_t discharging = 1U << 9;
constexpr std::uint16_t charge_mosfet_on = 1U << 10;
constexpr std::uint16_t discharge_mosfet_on = 1U << 11;
}  // namespace status_bit

void put_text(std::vector<std::uint16_t>& m, std::uint16_t first, std::string_view text) {
    // Two characters per register, first character in the high byte, NUL padded.
    for (std::size_t i = 0; i < 10; ++i) {
        const auto hi = 2 * i < text.size() ? static_cast<std::uint8_t>(text[2 * i]) : 0;
        const auto lo = 2 * i + 1 < text.size() ? static_cast<std::uint8_t>(text[2 * i + 1]) : 0;
        m[first + i] = static_cast<std::uint16_t>((hi << 8) | lo);
    }
}

std::vector<std::uint16_t> build_map(const Battery& b) {
    std::vector<std::uint16_t> m(std::size_t{text_last} + 1, 0);
    m[current] = static_cast<std::uint16_t>(to_s16(round_div(b.current_ma, 10)));
    m[voltage] = to_u16(round_div(b.voltage_mv, 10));
    m[soc] = b.soc_pct();
    m[soh] = b.soh_pct();
    m[remaining] = to_u16(round_div(b.remaining_mah, 10));
    m[full] = to_u16(round_div(b.full_mah, 10));
    m[design] = to_u16(round_div(b.design_mah, 10));
    m[cycles] = to_u16(b.cycles);
    for (const auto& field : pace_modbus_alarm_fields()) {
        m[field.index] = static_cast<std::uint16_t>(
            alarm_table::word(pace_modbus_alarm_fields(), field.index, b.warnings, b.protections));
    }
    std::uint16_t st = m[status];  // the fault bits from the table, then the state bits
    if (b.flow() == Flow::charging) st |= status_bit::charging;
    if (b.flow() == Flow::discharging) st |= status_bit::discharging;
    std::uint32_t balance_bits = 0;
    for (const auto& mod : b.modules) {
        if (mod.charge_mosfet_on) st |= status_bit::charge_mosfet_on;
        if (mod.discharge_mosfet_on) st |= status_bit::discharge_mosfet_on;
        balance_bits |= mod.balancing_mask;
    }
    m[status] = st;
    m[balance] = static_cast<std::uint16_t>(balance_bits & 0xFFFF);
    const auto cells = rs485::aggregate_cells(b, cells_count);
    std::copy(cells.begin(), cells.end(), m.begin() + cells_first);
    const auto temps = rs485::aggregate_temperatures(b, temps_count);
    for (std::size_t i = 0; i < temps.size(); ++i)
        m[temps_first + i] = static_cast<std::uint16_t>(temps[i]);
    const auto mos = rs485::mosfet_temperatures(b);
    m[mosfet_temp] = static_cast<std::uint16_t>(mos.present ? mos.max : b.temp_mean_dc);
    m[ambient_temp] =
        static_cast<std::uint16_t>(b.has_ambient_temp ? b.ambient_temp_dc : b.temp_mean_dc);
    put_text(m, 150, kVersionText);
    put_text(m, 160, kModelText);
    put_text(m, 170, kPackText);
    return m;
}

}  // namespace

modbus::ReadResult PaceModbusResponder::read(std::uint8_t, std::uint16_t start, std::uint16_t count,
                                             const Battery& battery) const {
    if (!modbus::inside(start, count, 0, live_last) &&
        !modbus::inside(start, count, text_first, text_last)) {
        return modbus::Exception::illegal_address;
    }
    const auto map = build_map(battery);
    return std::vector<std::uint16_t>(map.begin() + start, map.begin() + start + count);
}

}  // namespace packbridge::protocol
