// SPDX-License-Identifier: Apache-2.0
#include "packbridge/protocol/inverter/rs485/rs485_view.hpp"

#include <algorithm>

#include "packbridge/protocol/wire_units.hpp"

namespace packbridge::protocol::rs485 {
namespace {

using wire::round_div;

constexpr std::size_t kDefaultCells = 16;
constexpr std::int32_t kKelvinOffsetDeci = 2731;  // Pylon: 0.1 K = 0.1 degC + 2731

// Puts `max` at 1-based slot `max_index` and `min` at `min_index` (the next slot when they
// coincide), ignoring indices outside the slots.
struct ExtremeSlots {
    std::size_t max;
    std::size_t min;
};
ExtremeSlots extreme_slots(std::size_t n, std::size_t max_index, std::size_t min_index) {
    std::size_t max_slot = (max_index >= 1 && max_index <= n) ? max_index - 1 : 0;
    std::size_t min_slot = (min_index >= 1 && min_index <= n) ? min_index - 1 : n - 1;
    if (min_slot == max_slot && n > 1) min_slot = (max_slot + 1) % n;
    return {max_slot, min_slot};
}

template <class T>
void place_extremes(std::vector<T>& slots, T max, std::size_t max_index, T min,
                    std::size_t min_index) {
    if (slots.empty()) return;
    const auto at = extreme_slots(slots.size(), max_index, min_index);
    slots[at.max] = max;
    slots[at.min] = min;
}

std::uint8_t cell_state(bool high, bool low) {
    if (high && low) return state::other;
    if (high) return state::high;
    if (low) return state::low;
    return state::normal;
}

bool mask_bit(std::uint32_t mask, std::size_t i) {
    return i < 32 && ((mask >> i) & 1U) != 0;
}

}  // namespace

std::size_t cells_per_pack(const Battery& battery) {
    return battery.cells_per_module != 0 ? battery.cells_per_module : kDefaultCells;
}

std::vector<std::uint16_t> aggregate_cells(const Battery& battery, std::size_t n) {
    std::vector<std::uint16_t> slots(n, 0);
    for (std::size_t i = 0; i < n; ++i) {
        std::uint64_t sum = 0;
        std::uint64_t count = 0;
        for (const auto& m : battery.modules) {
            if (i < m.cell_mv.size()) {
                sum += m.cell_mv[i];
                ++count;
            }
        }
        // One cast around the whole conditional: `count ? uint16 : 0` is an int, which gcc -O0
        // (the sanitizer build) reports under -Wconversion.
        slots[i] = static_cast<std::uint16_t>(count ? (sum + count / 2) / count : 0);
    }
    if (battery.cell_max_mv != 0 || battery.cell_min_mv != 0) {
        place_extremes(slots, battery.cell_max_mv, battery.cell_max_at.index, battery.cell_min_mv,
                       battery.cell_min_at.index);
    }
    return slots;
}

std::vector<std::int16_t> aggregate_temperatures(const Battery& battery, std::size_t n) {
    std::vector<std::int16_t> slots(n, battery.temp_mean_dc);
    place_extremes(slots, battery.temp_max_dc, battery.temp_max_at.index, battery.temp_min_dc,
                   battery.temp_min_at.index);
    return slots;
}

std::vector<std::uint8_t> module_cell_states(const Module& module, std::size_t n) {
    std::vector<std::uint8_t> out(n, state::normal);
    for (std::size_t i = 0; i < n; ++i)
        out[i] =
            cell_state(mask_bit(module.cells_high_mask, i), mask_bit(module.cells_low_mask, i));
    return out;
}

std::vector<std::uint8_t> aggregate_cell_states(const Battery& battery, std::size_t n) {
    std::vector<std::uint8_t> out(n, state::normal);
    for (std::size_t i = 0; i < n; ++i) {
        bool high = false;
        bool low = false;
        for (const auto& m : battery.modules) {
            high = high || mask_bit(m.cells_high_mask, i);
            low = low || mask_bit(m.cells_low_mask, i);
        }
        out[i] = cell_state(high, low);
    }
    return out;
}

std::vector<std::uint8_t> aggregate_temperature_states(const Battery& battery, std::size_t n) {
    std::vector<std::uint8_t> out(n, state::normal);
    if (n == 0) return out;
    const AlarmSet any = battery.warnings | battery.protections;
    const bool hot =
        any.test(Alarm::charge_over_temperature) || any.test(Alarm::discharge_over_temperature);
    const bool cold =
        any.test(Alarm::charge_under_temperature) || any.test(Alarm::discharge_under_temperature);
    const auto at = extreme_slots(n, battery.temp_max_at.index, battery.temp_min_at.index);
    if (hot) out[at.max] = state::high;
    if (cold) out[at.min] = state::low;
    return out;
}

std::vector<std::int16_t> module_temperatures(const Module& module, std::size_t n) {
    std::int64_t sum = 0;
    for (const auto t : module.cell_temp_dc)
        sum += t;
    const auto mean = module.cell_temp_dc.empty()
                          ? std::int16_t{0}
                          : static_cast<std::int16_t>(round_div(
                                sum, static_cast<std::int64_t>(module.cell_temp_dc.size())));
    // Padding uses the MOSFET sensor when there is one: it is a real reading, the mean is not.
    std::vector<std::int16_t> out(n, module.has_mosfet_temp ? module.mosfet_temp_dc : mean);
    for (std::size_t i = 0; i < n && i < module.cell_temp_dc.size(); ++i)
        out[i] = module.cell_temp_dc[i];
    return out;
}

std::uint8_t module_number(const Battery& battery, std::uint8_t pack_address) {
    for (std::size_t i = 0; i < battery.modules.size(); ++i) {
        if (battery.modules[i].address == pack_address) return static_cast<std::uint8_t>(i + 1);
    }
    return 0;
}

std::uint16_t position_word(const Battery& battery, const Location& at) {
    const auto module = module_number(battery, at.pack);
    return static_cast<std::uint16_t>((module << 8) | (at.index & 0xFF));
}

std::int32_t deci_kelvin(std::int32_t deci_celsius) {
    return deci_celsius + kKelvinOffsetDeci;
}

TempStats mosfet_temperatures(const Battery& battery) {
    TempStats s;
    std::int64_t sum = 0;
    std::int64_t count = 0;
    for (const auto& m : battery.modules) {
        if (!m.has_mosfet_temp) continue;
        const Location at{m.address, 1, 0};
        if (!s.present || m.mosfet_temp_dc > s.max) {
            s.max = m.mosfet_temp_dc;
            s.max_at = at;
        }
        if (!s.present || m.mosfet_temp_dc < s.min) {
            s.min = m.mosfet_temp_dc;
            s.min_at = at;
        }
        s.present = true;
        sum += m.mosfet_temp_dc;
        ++count;
    }
    if (count) s.mean = static_cast<std::int16_t>(round_div(sum, count));
    return s;
}

}  // namespace packbridge::protocol::rs485
