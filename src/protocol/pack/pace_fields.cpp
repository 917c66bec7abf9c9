// SPDX-License-Identifier: Apache-2.0
// Fields every PACE-family dialect lays out the same way (0x42 cells and sensors, 0x44 state
// codes), read once here so PACE, Seplos, Pylontech and EG4 agree on them.
#include "pace_internal.hpp"
#include "packbridge/bytes.hpp"

namespace packbridge::protocol::pace::detail {

Result<std::size_t> info_n_at(std::span<const std::uint8_t> info) {
    if (info.size() < 3) return make_error(Errc::truncated, "0x44 INFO too short");
    const std::size_t n_at = 3 + std::size_t{info[2]};
    if (n_at >= info.size())
        return make_error(Errc::truncated, "0x44 INFO ends inside the cell states");
    return n_at;
}

void cell_state_warnings(std::span<const std::uint8_t> info, AlarmSet& warnings) {
    const std::size_t m = info[2];
    for (std::size_t i = 0; i < m; ++i) {
        if (info[3 + i] == 0x01) warnings.set(Alarm::cell_under_voltage);
        if (info[3 + i] == 0x02) warnings.set(Alarm::cell_over_voltage);
    }
}

void current_voltage_state_warnings(std::span<const std::uint8_t> info, std::size_t at,
                                    AlarmSet& warnings) {
    if (info[at] == 0x02) warnings.set(Alarm::charge_over_current);
    if (info[at + 1] == 0x01) warnings.set(Alarm::pack_under_voltage);
    if (info[at + 1] == 0x02) warnings.set(Alarm::pack_over_voltage);
    if (info[at + 2] == 0x02) warnings.set(Alarm::discharge_over_current);
}

std::vector<std::int16_t> read_cells_and_temps(std::span<const std::uint8_t> b, std::size_t& p,
                                               std::int32_t kelvin_offset, PackAnalog& into) {
    const std::size_t m = b[p++];
    for (std::size_t i = 0; i < m; ++i, p += 2)
        into.cell_mv.push_back(bytes::load_be16(b, p));
    const std::size_t n = b[p++];
    std::vector<std::int16_t> temps;
    for (std::size_t i = 0; i < n; ++i, p += 2)
        temps.push_back(to_decidegrees(bytes::load_be16(b, p), kelvin_offset));
    return temps;
}

void place_temperatures(const std::vector<std::int16_t>& temps, LastTwoSensors order,
                        PackAnalog& into) {
    const std::size_t n = temps.size();
    const std::size_t cell_sensors = n >= 6 ? n - 2 : n;
    into.cell_temp_dc.assign(temps.begin(),
                             temps.begin() + static_cast<std::ptrdiff_t>(cell_sensors));
    if (n < 6) return;
    const bool ambient_first = order == LastTwoSensors::ambient_mosfet;
    into.ambient_temp_dc = temps[ambient_first ? n - 2 : n - 1];
    into.mosfet_temp_dc = temps[ambient_first ? n - 1 : n - 2];
}

}  // namespace packbridge::protocol::pace::detail
