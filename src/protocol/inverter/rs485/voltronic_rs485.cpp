// SPDX-License-Identifier: Apache-2.0
#include "packbridge/protocol/inverter/rs485/voltronic_rs485.hpp"

#include <algorithm>

#include "packbridge/protocol/inverter/rs485/rs485_view.hpp"
#include "packbridge/protocol/wire_units.hpp"

namespace packbridge::protocol {
namespace {

using namespace voltronic_reg;
using wire::round_div;
using wire::to_u16;

constexpr std::size_t kTemperatureSensors =
    6;  // 5 cell sensors as Pylon shows them + MOSFET (sensor 6)
constexpr std::int64_t kDeciAmpMa = 100;
constexpr std::int64_t kDeciVoltMv = 100;

namespace status_bit {
constexpr std::uint16_t charge_enable = 1U << 7;
constexpr std::uint16_t discharge_enable = 1U << 6;
constexpr std::uint16_t charge_immediately = 1U << 5;
constexpr std::uint16_t full_charge_request = 1U << 3;
}  // namespace status_bit

void put_u32(std::vector<std::uint16_t>& m, std::uint16_t at, std::uint32_t v) {
    m[at] = static_cast<std::uint16_t>(v >> 16);  // high word first (the document does not say)
    m[at + 1] = static_cast<std::uint16_t>(v & 0xFFFF);
}

// Two state bytes per register, the first of each pair in the high byte.
void put_pairs(std::vector<std::uint16_t>& m, std::uint16_t first,
               const std::vector<std::uint8_t>& states) {
    for (std::size_t i = 0; i < states.size(); ++i) {
        const auto shift = (i % 2 == 0) ? 8U : 0U;
        m[first + i / 2] = static_cast<std::uint16_t>(m[first + i / 2] | (states[i] << shift));
    }
}

std::vector<std::uint16_t> build_map(const Battery& b) {
    std::vector<std::uint16_t> m(std::size_t{last} + 1, 0);
    // 0x0001-0x0006 protocol type/version, firmware/hardware versions: 0 (document defaults).
    const auto n = std::min<std::size_t>(rs485::cells_per_pack(b), cells_max);
    m[cell_count] = static_cast<std::uint16_t>(n);
    const auto cells = rs485::aggregate_cells(b, n);  // mV: the document's "0.1V" is implausible
    std::copy(cells.begin(), cells.end(), m.begin() + cells_first);
    m[temp_count] = kTemperatureSensors;
    auto temps = rs485::aggregate_temperatures(b, kTemperatureSensors - 1);
    const auto mos = rs485::mosfet_temperatures(b);
    temps.push_back(mos.present ? mos.max : b.temp_mean_dc);
    for (std::size_t i = 0; i < temps.size(); ++i) {
        m[temps_first + i] = to_u16(rs485::deci_kelvin(temps[i]));
    }
    m[charge_current] = b.current_ma > 0 ? to_u16(round_div(b.current_ma, kDeciAmpMa)) : 0;
    m[discharge_current] =
        b.current_ma < 0 ? to_u16(round_div(-std::int64_t{b.current_ma}, kDeciAmpMa)) : 0;
    m[voltage] = to_u16(round_div(b.voltage_mv, kDeciVoltMv));
    m[soc] = b.soc_pct();
    put_u32(m, full_capacity, b.full_mah);
    m[packs] = static_cast<std::uint16_t>(b.modules.size());
    for (const auto& field : voltronic_alarm_fields()) {
        m[field.index] = static_cast<std::uint16_t>(
            alarm_table::word(voltronic_alarm_fields(), field.index, b.warnings, b.protections));
    }
    put_u32(m, pack_design_capacity,
            b.modules.empty() ? b.design_mah : b.modules.front().design_mah);
    // State pairs (the bank's per-cell verdict; the sensor slots showing the extremes; the
    // MOSFET sensor 6 from its own alarm).
    put_pairs(m, cell_states_first, rs485::aggregate_cell_states(b, n));
    auto temp_states = rs485::aggregate_temperature_states(b, kTemperatureSensors - 1);
    temp_states.push_back((b.warnings | b.protections).test(Alarm::mosfet_over_temperature)
                              ? rs485::state::high
                              : rs485::state::normal);
    put_pairs(m, temp_states_first, temp_states);
    m[charge_voltage_limit] = to_u16(round_div(b.charge_voltage.value, kDeciVoltMv));
    m[discharge_voltage_limit] = to_u16(round_div(b.discharge_voltage.value, kDeciVoltMv));
    m[charge_current_limit] = to_u16(round_div(b.charge_current.value, kDeciAmpMa));
    m[discharge_current_limit] = to_u16(round_div(b.discharge_current.value, kDeciAmpMa));
    std::uint16_t st = 0;
    if (b.charge_enable) st |= status_bit::charge_enable;
    if (b.discharge_enable) st |= status_bit::discharge_enable;
    if (b.force_charge) st |= status_bit::charge_immediately;
    if (b.full_charge_request) st |= status_bit::full_charge_request;
    m[status] = st;
    // Minutes to empty at the present discharge current (floor); 0 when not discharging.
    if (b.flow() == Flow::discharging) {
        const std::int64_t minutes =
            std::int64_t{b.remaining_mah} * 60 / (-std::int64_t{b.current_ma});
        m[minutes_to_empty] = to_u16(minutes);
    }
    put_u32(m, remaining_capacity, b.remaining_mah);
    return m;
}

void push_be16(std::vector<std::uint8_t>& out, std::uint16_t v) {
    out.push_back(static_cast<std::uint8_t>(v >> 8));
    out.push_back(static_cast<std::uint8_t>(v & 0xFF));
}

}  // namespace

modbus::ReadResult VoltronicRs485Responder::read(std::uint8_t, std::uint16_t start,
                                                 std::uint16_t count,
                                                 const Battery& battery) const {
    if (!modbus::inside(start, count, 0, last)) return modbus::Exception::illegal_address;
    const auto map = build_map(battery);
    return std::vector<std::uint16_t>(map.begin() + start, map.begin() + start + count);
}

std::vector<std::uint8_t> VoltronicRs485Responder::read_reply_frame(
    std::uint8_t function, std::span<const std::uint16_t> registers) const {
    if (length_ == VoltronicLength::standard)
        return modbus::read_reply(slave(), function, registers);
    std::vector<std::uint8_t> out{slave(), function};
    const auto words = static_cast<std::uint16_t>(registers.size());
    push_be16(out,
              length_ == VoltronicLength::words ? words : static_cast<std::uint16_t>(2 * words));
    for (const auto r : registers)
        push_be16(out, r);
    modbus::append_crc(out);
    return out;
}

}  // namespace packbridge::protocol
