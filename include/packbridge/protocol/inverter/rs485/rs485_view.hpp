// SPDX-License-Identifier: Apache-2.0
#pragma once

// How the aggregated Battery is shown to RS485 inverter protocols that want "a pack" of fixed
// shape (16 cells, 5 temperatures) or per-module data (inverter-rs485.md section 0.3). Shared by
// every RS485 encoder so Pylon, Growatt, PACE-Modbus and Voltronic show the same numbers.

#include <cstdint>
#include <vector>

#include "packbridge/battery.hpp"

namespace packbridge::protocol::rs485 {

// Cells of the aggregate shown as one pack of `n` cells: slot i is the mean of cell i over the
// modules that have it; then the highest cell goes into its own cell number and the lowest cell
// into its own (the next free slot if both share a number), so the inverter sees both extremes.
std::vector<std::uint16_t> aggregate_cells(const Battery& battery, std::size_t n);

// Temperatures (0.1 degC) of the aggregate shown as `n` sensors: every slot the mean cell
// temperature, then the highest in its own sensor number and the lowest in its own (next free
// slot if they share one).
std::vector<std::int16_t> aggregate_temperatures(const Battery& battery, std::size_t n);

// A module's cell temperature sensors cut to `n`, or padded with its MOSFET temperature (its
// mean cell temperature when it has no MOSFET sensor).
std::vector<std::int16_t> module_temperatures(const Module& module, std::size_t n);

// Per-cell and per-sensor state bytes of Pylon 0x44 and Voltronic-485 0x0040-0x0055.
namespace state {
inline constexpr std::uint8_t normal = 0x00;
inline constexpr std::uint8_t low = 0x01;    // below the lower limit
inline constexpr std::uint8_t high = 0x02;   // above the upper limit
inline constexpr std::uint8_t other = 0xF0;  // other error
}  // namespace state

// A module's `n` cell states from the bank's verdict (Module::cells_high_mask/cells_low_mask).
std::vector<std::uint8_t> module_cell_states(const Module& module, std::size_t n);
// The aggregate shown as one pack of `n` cells: slot i is high (low) when cell i of any module is;
// "other" when one module's cell i is high and another's low.
std::vector<std::uint8_t> aggregate_cell_states(const Battery& battery, std::size_t n);
// States of the `n` sensors aggregate_temperatures() shows: the slot showing the highest
// temperature is high while an over-temperature warning or protection of the cells is active,
// the slot showing the lowest is low while an under-temperature one is.
std::vector<std::uint8_t> aggregate_temperature_states(const Battery& battery, std::size_t n);

// Cells per module the protocol shows: Battery.cells_per_module, else 16.
std::size_t cells_per_pack(const Battery& battery);

// 1-based position of the module with this pack address in Battery.modules, 0 when absent.
std::uint8_t module_number(const Battery& battery, std::uint8_t pack_address);
// Pylon-style position word: high byte module number, low byte the 1-based index.
std::uint16_t position_word(const Battery& battery, const Location& at);

// 0.1 degC -> 0.1 K the Pylon way (+2731).
std::int32_t deci_kelvin(std::int32_t deci_celsius);
// Rounding and clamping to wire units: packbridge/protocol/wire_units.hpp (wire::round_div,
// wire::to_u16, wire::to_s16), the same rule the CAN codecs use.

struct TempStats {
    std::int16_t mean = 0;
    std::int16_t max = 0;
    std::int16_t min = 0;
    Location max_at;
    Location min_at;
    bool present = false;
};
// MOSFET temperature over the modules that report one (positions index 1); `present` false
// when none does.
TempStats mosfet_temperatures(const Battery& battery);

}  // namespace packbridge::protocol::rs485
