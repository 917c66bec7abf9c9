// SPDX-License-Identifier: Apache-2.0
#pragma once

// Helpers shared by the PACE-family decoders (pace_*.cpp); not part of the public API.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "packbridge/protocol/pack/pace.hpp"

namespace packbridge::protocol::pace::detail {

inline constexpr std::int32_t kKelvinOffsetPace = 2730;  // VER 0x25: degC = (raw - 2730) / 10
inline constexpr std::int32_t kKelvinOffsetV20 = 2731;   // Seplos, Pylontech, EG4

inline std::int16_t to_decidegrees(std::uint16_t raw, std::int32_t offset) {
    return static_cast<std::int16_t>(static_cast<std::int32_t>(raw) - offset);
}

// "RTN 9: operation or write error" as Errc::rejected.
Error rejected(const ascii::Frame& frame);

// The common head of every 0x44 INFO: flag, group, M, M cell states, N. Returns where N sits,
// or the error when the INFO ends before it.
Result<std::size_t> info_n_at(std::span<const std::uint8_t> info);

// Warnings from the M cell state codes after INFO byte 2 (0x01 below, 0x02 above the limit).
void cell_state_warnings(std::span<const std::uint8_t> info, AlarmSet& warnings);

// Warnings from the charge-current, pack-voltage and discharge-current state codes at `at`.
void current_voltage_state_warnings(std::span<const std::uint8_t> info, std::size_t at,
                                    AlarmSet& warnings);

// A 0x42 record's M cell voltages and N temperature sensors from `p` on (M at b[p]); leaves `p`
// after the last sensor. The sensors are returned in wire order for the dialect to place.
std::vector<std::int16_t> read_cells_and_temps(std::span<const std::uint8_t> b, std::size_t& p,
                                               std::int32_t kelvin_offset, PackAnalog& into);

// The two sensors after the cell sensors, in the dialect's order.
enum class LastTwoSensors { ambient_mosfet, mosfet_ambient };
// Places a record's sensors: the first ones are cell sensors; with six or more, the last two are
// the ambient and MOSFET sensors in `order` (fewer than six are all cell sensors).
void place_temperatures(const std::vector<std::int16_t>& temps, LastTwoSensors order,
                        PackAnalog& into);

// Offsets of consecutive Pylontech 0x42 records from INFO byte 2, each sized by its P byte
// (P=2: 4 bytes after P, P=4: 10 bytes); nullopt unless they consume the INFO exactly.
std::optional<std::vector<std::size_t>> split_pylon_records(std::span<const std::uint8_t> info);

// Dialect-specific decoders behind decode_analog_all / decode_status (RTN already checked).
Result<std::vector<PackAnalog>> decode_pylon_analog(std::span<const std::uint8_t> info);
Result<PackStatus> decode_pylon_status(std::span<const std::uint8_t> info);
Result<std::vector<PackAnalog>> decode_eg4_analog(std::span<const std::uint8_t> info);
Result<PackStatus> decode_eg4_status(std::span<const std::uint8_t> info);

}  // namespace packbridge::protocol::pace::detail
