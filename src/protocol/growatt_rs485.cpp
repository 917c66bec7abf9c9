#include "packbridge/protocol/growatt_rs485.hpp"

#include <algorithm>
#include <vector>

#include "packbridge/protocol/rs485_view.hpp"

namespace packbridge::protocol {
namespace {

using namespace growatt_reg;
namespace st = growatt_status;

constexpr std::int32_t kActiveCurrentMa = 100;   // |I| above 0.1 A counts as (dis)charging
constexpr std::uint16_t kVersions = 0x0101;      // hardware 1 (high byte), software 1 (low byte)
constexpr std::uint16_t kSohValueMask = 0x007F;  // b0-6 value, b7 flag

// Error register 0x0014 (protections) and warning register 0x0022 (warnings).
struct AlarmBit {
    Alarm alarm;
    std::uint16_t bit;
};
constexpr AlarmBit kErrorBits[] = {
    {Alarm::discharge_over_current, 1U << 0},
    {Alarm::short_circuit, 1U << 1},
    {Alarm::cell_over_voltage, 1U << 2},
    {Alarm::pack_over_voltage, 1U << 2},
    {Alarm::cell_under_voltage, 1U << 3},
    {Alarm::pack_under_voltage, 1U << 3},
    {Alarm::discharge_over_temperature, 1U << 4},
    {Alarm::charge_over_temperature, 1U << 5},
    {Alarm::discharge_under_temperature, 1U << 6},
    {Alarm::charge_under_temperature, 1U << 7},
    {Alarm::internal_fault, 1U << 9},
    {Alarm::cell_imbalance, 1U << 10},
    {Alarm::charge_over_current, 1U << 11},
    {Alarm::mosfet_over_temperature, 1U << 12},
    {Alarm::ambient_over_temperature, 1U << 13},
    {Alarm::ambient_under_temperature, 1U << 14},
};
constexpr AlarmBit kWarningBits[] = {
    {Alarm::cell_over_voltage, 1U << 0},          {Alarm::cell_under_voltage, 1U << 1},
    {Alarm::pack_over_voltage, 1U << 2},          {Alarm::pack_under_voltage, 1U << 3},
    {Alarm::discharge_over_current, 1U << 4},     {Alarm::charge_over_current, 1U << 5},
    {Alarm::discharge_over_temperature, 1U << 6}, {Alarm::discharge_under_temperature, 1U << 7},
    {Alarm::charge_over_temperature, 1U << 8},    {Alarm::charge_under_temperature, 1U << 9},
    {Alarm::mosfet_over_temperature, 1U << 10},   {Alarm::ambient_over_temperature, 1U << 11},
    {Alarm::ambient_under_temperature, 1U << 12},
};
// b14-15 chemistry: 00 = LFP (packbridge only serves LiFePO4 packs).

template <std::size_t N>
std::uint16_t bits_of(const AlarmSet& set, const AlarmBit (&table)[N]) {
    std::uint16_t out = 0;
    for (const auto& e : table) {
        if (set.test(e.alarm)) out |= e.bit;
    }
    return out;
}

std::uint16_t state_code(std::int32_t current_ma) {
    if (current_ma > kActiveCurrentMa) return st::state_charging;
    if (current_ma < -kActiveCurrentMa) return st::state_discharging;
    return st::state_standby;
}

std::uint16_t status_word(const Battery& b, std::uint16_t errors) {
    const auto state = state_code(b.current_ma);
    std::uint16_t w = state;
    w |= static_cast<std::uint16_t>(state << st::sp_status_shift);
    if (errors != 0) w |= st::error_valid;
    if (std::any_of(b.modules.begin(), b.modules.end(),
                    [](const Module& m) { return m.balancing_mask != 0; })) {
        w |= st::balancing;
    }
    if (b.discharge_enable) w |= st::discharge_enabled;
    if (b.charge_enable) w |= st::charge_enabled;
    // b7 = 0: terminal connected (the document's coding; ai-republic's 1 is the opposite).
    if (b.force_charge) w |= st::force_charge;
    return w;
}

std::vector<std::uint16_t> build_map(const Battery& b) {
    using rs485::clamp_s16;
    using rs485::clamp_u16;
    using rs485::div_round;
    std::vector<std::uint16_t> m(std::size_t{last} + 1, 0);
    const auto current_10ma = static_cast<std::uint16_t>(clamp_s16(div_round(b.current_ma, 10)));
    const auto errors = bits_of(b.protections, kErrorBits);
    m[current] = current_10ma;
    // 0x0011/0x0012 date & time: packbridge has no battery clock to report; 0 = not set.
    m[status] = status_word(b, errors);
    m[error] = errors;
    m[soc] = b.soc_pct();
    m[voltage] = clamp_u16(div_round(b.voltage_mv, 10));
    m[current2] = current_10ma;
    m[temperature] = static_cast<std::uint16_t>(
        clamp_s16(std::clamp<std::int64_t>(div_round(b.temp_mean_dc, 10), -127, 127)));
    m[charge_limit] = clamp_u16(div_round(b.charge_current.value, 10));
    m[remaining] = clamp_u16(div_round(b.remaining_mah, 10));
    m[full] = clamp_u16(div_round(b.full_mah, 10));
    m[versions] = kVersions;
    m[cell_delta] = static_cast<std::uint16_t>(
        b.cell_max_mv >= b.cell_min_mv ? b.cell_max_mv - b.cell_min_mv : 0);
    m[cycles] = clamp_u16(b.cycles);
    m[box_info] = 0;  // the spec's vector: b0 and battery ID 0
    m[soh] = static_cast<std::uint16_t>(b.soh_pct() & kSohValueMask);
    m[charge_voltage] = clamp_u16(div_round(b.charge_voltage.value, 10));
    m[warning] = bits_of(b.warnings, kWarningBits);
    m[discharge_limit] = clamp_u16(div_round(b.discharge_current.value, 10));
    m[extended_error] = 0;
    m[cell_max] = b.cell_max_mv;
    m[cell_min] = b.cell_min_mv;
    m[cell_max_number] = b.cell_max_at.index;
    m[cell_min_number] = b.cell_min_at.index;
    m[cells_in_series] = static_cast<std::uint16_t>(rs485::cells_per_pack(b));
    const auto cells = rs485::aggregate_cells(b, cells_count);
    std::copy(cells.begin(), cells.end(), m.begin() + cells_first);
    return m;
}

}  // namespace

std::uint16_t GrowattRs485Responder::register_value(std::uint16_t address, const Battery& battery) {
    if (address > last) return 0;
    return build_map(battery)[address];
}

modbus::ReadResult GrowattRs485Responder::read(std::uint8_t, std::uint16_t start,
                                               std::uint16_t count, const Battery& battery) const {
    if (!modbus::inside(start, count, first, last)) return modbus::Exception::illegal_address;
    const auto map = build_map(battery);
    return std::vector<std::uint16_t>(map.begin() + start, map.begin() + start + count);
}

std::optional<modbus::Exception> GrowattRs485Responder::write(
    std::uint16_t start, std::span<const std::uint16_t> values) const {
    if (!modbus::inside(start, static_cast<std::uint16_t>(values.size()), first, last)) {
        return modbus::Exception::illegal_address;
    }
    return std::nullopt;
}

}  // namespace packbridge::protocol
