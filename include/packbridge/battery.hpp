// SPDX-License-Identifier: Apache-2.0
#pragma once

// The one battery the inverter sees: the bank's output, the encoders' only input.
// Integer fixed-point units throughout (mV, mA, mAh, 0.1 degC, 0.01 %), so that every encoder
// scales exactly and two encoders never disagree by a rounding step.

#include <cstdint>
#include <string>
#include <vector>

#include "packbridge/alarms.hpp"
#include "packbridge/clock.hpp"

namespace packbridge {

// Where a cell or sensor sits: pack address and 1-based index within that pack.
struct Location {
    std::uint8_t pack = 0;
    std::uint16_t index = 0;   // 1-based cell or sensor number inside the pack
    std::uint16_t global = 0;  // 1-based position counting over the counted packs in address order
};

// Why a limit has the value it has. One limit may carry several reasons (the binding ones).
struct LimitReason {
    enum class Kind : std::uint8_t {
        config_ceiling,      // the configured maximum (value = the ceiling, mV or mA)
        pack_sum,            // sum of per-pack limits of accepting packs (value = number of packs)
        pack_mosfet_off,     // pack's charge/discharge MOSFET is off (pack = address)
        pack_protection,     // pack reports a protection on this side (pack = address)
        pack_blocks_all,     // on_pack_block=stop_all and a pack blocks (pack = address)
        temperature_taper,   // derated by temperature (value = temperature, 0.1 degC)
        temperature_block,   // temperature outside the allowed range (value = 0.1 degC)
        cell_voltage_taper,  // derated by the highest/lowest cell (value = mV; pack, cell)
        cell_voltage_block,  // cell at its limit (value = mV; pack, cell)
        ramp,                // increase being ramped (value = target, mA)
        quorum_lost,         // safe state: too few fresh packs (value = fresh packs)
        comms_lost,          // safe state: no fresh data (value = seconds since last)
        full,                // battery full / SOC hold
    };
    // Which current a pack-specific reason talks about ("pack 3 charge MOSFET off").
    enum class Side : std::uint8_t { none, charge, discharge };
    Kind kind = Kind::config_ceiling;
    std::uint8_t pack = 0xFF;  // 0xFF = not pack-specific
    std::uint16_t cell = 0;    // 1-based, 0 = not cell-specific
    std::int32_t value = 0;
    Side side = Side::none;

    friend bool operator==(const LimitReason&, const LimitReason&) = default;
};

// "pack 3 charge MOSFET off", "pack 5 cell 3 3.512 V taper", "config ceiling 100.0 A".
std::string to_string(const LimitReason& reason, bool is_voltage);

struct Limit {
    std::uint32_t value = 0;  // mV for voltage limits, mA for current limits
    std::vector<LimitReason> reasons;
};

// The SOH the inverter frames carry when no counted pack reports one (Pylontech packs have
// neither an SOH nor a design-capacity field): the inverter protocols have no "unknown" value,
// and a low number raises SOH warnings on some inverters. Documented in docs/configuration.md
// (pack families); status.json, MQTT and /metrics show the SOH as unknown instead.
inline constexpr std::uint16_t kSohUnknownFallbackCenti = 10000;

// Which way current flows, as every protocol's state bits report it: beyond 0.1 A either way
// (Pylon's "effective" current), so that all frames of one snapshot agree on it.
enum class Flow : std::uint8_t { idle, charging, discharging };
inline constexpr std::int32_t kActiveCurrentMa = 100;
constexpr Flow flow_of(std::int32_t current_ma) {
    if (current_ma > kActiveCurrentMa) return Flow::charging;
    if (current_ma < -kActiveCurrentMa) return Flow::discharging;
    return Flow::idle;
}

// One counted pack as the inverter protocols that want per-module data see it.
struct Module {
    std::uint8_t address = 0;
    std::uint32_t voltage_mv = 0;
    std::int32_t current_ma = 0;
    std::uint32_t remaining_mah = 0;
    std::uint32_t full_mah = 0;
    std::uint32_t design_mah = 0;
    std::uint16_t soc_centi = 0;  // 0.01 %
    std::uint16_t soh_centi = 0;  // 0.01 %; kSohUnknownFallbackCenti when !soh_known
    bool soh_known = false;       // the pack reports SOH or a design capacity (not Pylontech)
    std::uint32_t cycles = 0;
    std::vector<std::uint16_t> cell_mv;
    std::vector<std::int16_t> cell_temp_dc;
    std::int16_t mosfet_temp_dc = 0;
    bool has_mosfet_temp = false;
    AlarmSet warnings;
    AlarmSet protections;
    bool charge_mosfet_on = false;
    bool discharge_mosfet_on = false;
    // The bank's verdict: this pack refuses that side (its MOSFET is off or a protection of that
    // side is active). Codecs count these (Victron 0x372) rather than re-deriving the policy.
    bool blocks_charge = false;
    bool blocks_discharge = false;
    std::uint32_t balancing_mask = 0;  // bit i = cell i+1 balancing (the BMS's own flags)
    // The bank's per-cell verdict (bit i = cell i+1; cells beyond 32 are not flagged): the pack
    // reports a cell over- (under-)voltage warning or protection and this cell holds its highest
    // (lowest) voltage. Per-cell protocols (Pylon RS485 0x44, Voltronic-485 0x0040-) show these.
    std::uint32_t cells_high_mask = 0;
    std::uint32_t cells_low_mask = 0;
    // The pack's BMS says it is full, or its SOC is 100 %.
    bool fully_charged = false;

    [[nodiscard]] Flow flow() const { return flow_of(current_ma); }
};

struct Battery {
    TimePoint at{};  // the time the bank computed this

    // --- safety state (read this first) ---
    bool safe_state = true;  // limits are zero and both enables off
    bool transmit = false;   // false => inverter outputs must stay silent (on_comms_loss=silence)

    // --- measured values, aggregated over counted packs ---
    std::uint8_t packs_counted = 0;  // online and fresh
    std::uint8_t packs_known = 0;    // configured or discovered
    std::uint32_t voltage_mv = 0;    // mean
    std::int32_t current_ma = 0;     // sum, + charging
    std::uint16_t soc_centi = 0;     // 0.01 %, capacity weighted, 0..10000
    // 0.01 %, weighted by capacity over the counted packs whose SOH is known; when none is,
    // kSohUnknownFallbackCenti (the frames need a number; status.json says null).
    std::uint16_t soh_centi = 0;
    bool soh_known = false;
    std::uint32_t remaining_mah = 0;
    std::uint32_t full_mah = 0;
    std::uint32_t design_mah = 0;
    std::uint32_t cycles = 0;  // max over counted packs

    std::int16_t temp_min_dc = 0;  // over all cell sensors of counted packs, 0.1 degC
    std::int16_t temp_max_dc = 0;
    std::int16_t temp_mean_dc = 0;  // rounded mean
    Location temp_min_at;
    Location temp_max_at;
    std::int16_t mosfet_temp_max_dc = 0;
    bool has_mosfet_temp = false;
    std::int16_t ambient_temp_dc = 0;
    bool has_ambient_temp = false;

    std::uint16_t cell_min_mv = 0;
    std::uint16_t cell_max_mv = 0;
    Location cell_min_at;
    Location cell_max_at;
    std::uint16_t cells_total = 0;
    std::uint16_t cells_per_module = 0;  // when every counted pack has the same count, else 0

    // --- limits and requests (all reasons kept) ---
    Limit charge_voltage;     // CVL, mV
    Limit discharge_voltage;  // DVL, mV
    Limit charge_current;     // CCL, mA, >= 0
    Limit discharge_current;  // DCL, mA, >= 0
    bool charge_enable = false;
    bool discharge_enable = false;
    bool force_charge = false;         // SOC at or below the force-charge threshold (hysteresis)
    bool full_charge_request = false;  // Pylon "request full charge" rule
    bool fully_charged = false;        // every counted pack is fully_charged

    // --- alarms: union over counted packs + gateway alarms ---
    AlarmSet warnings;
    AlarmSet protections;

    std::vector<Module> modules;  // counted packs, ascending address

    [[nodiscard]] Flow flow() const { return flow_of(current_ma); }
    [[nodiscard]] std::uint16_t soc_pct() const {
        return static_cast<std::uint16_t>((soc_centi + 50) / 100);
    }
    [[nodiscard]] std::uint16_t soh_pct() const {
        return static_cast<std::uint16_t>((soh_centi + 50) / 100);
    }
};

}  // namespace packbridge
