// SPDX-License-Identifier: Apache-2.0
#pragma once

// One normalised alarm vocabulary for every pack dialect (PACE, Seplos, Pylon) and every
// inverter protocol. Pack decoders map their bits into it; the bank takes unions over packs and
// adds gateway alarms; inverter encoders map it out to their own bits. Warnings and protections
// are kept as two separate sets of the same kinds.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace packbridge {

enum class Alarm : std::uint8_t {
    cell_over_voltage,
    cell_under_voltage,
    pack_over_voltage,
    pack_under_voltage,
    charge_over_current,
    discharge_over_current,
    charge_over_temperature,
    charge_under_temperature,
    discharge_over_temperature,
    discharge_under_temperature,
    mosfet_over_temperature,
    ambient_over_temperature,
    ambient_under_temperature,
    short_circuit,
    cell_imbalance,
    low_soc,
    internal_fault,  // AFE, NTC, cell, MOSFET, EEPROM faults reported by the BMS
    // Gateway alarms: raised by the bank, never by a pack.
    pack_lost,    // a configured or discovered pack stopped answering
    bus_lost,     // no fresh data from any pack
    quorum_lost,  // fewer fresh packs than battery.min_packs
    count_
};

inline constexpr std::size_t kAlarmCount = static_cast<std::size_t>(Alarm::count_);

// Stable machine name ("cell_over_voltage") used in the status file and logs.
const char* to_string(Alarm alarm);

class AlarmSet {
  public:
    constexpr AlarmSet() = default;

    constexpr void set(Alarm a, bool on = true) {
        const std::uint32_t bit = std::uint32_t{1} << static_cast<unsigned>(a);
        bits_ = on ? (bits_ | bit) : (bits_ & ~bit);
    }
    [[nodiscard]] constexpr bool test(Alarm a) const {
        return (bits_ >> static_cast<unsigned>(a)) & 1U;
    }
    [[nodiscard]] constexpr bool any() const { return bits_ != 0; }
    [[nodiscard]] constexpr bool none() const { return bits_ == 0; }
    [[nodiscard]] constexpr std::uint32_t bits() const { return bits_; }
    constexpr AlarmSet& operator|=(AlarmSet other) {
        bits_ |= other.bits_;
        return *this;
    }
    friend constexpr AlarmSet operator|(AlarmSet a, AlarmSet b) { return a |= b; }
    friend constexpr bool operator==(AlarmSet, AlarmSet) = default;

    // "cell_over_voltage, short_circuit" (empty string when none).
    [[nodiscard]] std::string to_string() const;

  private:
    std::uint32_t bits_ = 0;
};

// The machine names of the alarms set, in enum order: what the status file, `decode` and the
// simulator's dump show as a JSON array.
std::vector<const char*> alarm_names(AlarmSet set);

// The alarm with this machine name, nullopt for an unknown name.
std::optional<Alarm> alarm_from_name(std::string_view name);

}  // namespace packbridge
