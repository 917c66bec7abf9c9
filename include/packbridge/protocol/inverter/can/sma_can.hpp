// SPDX-License-Identifier: Apache-2.0
#pragma once

// SMA Sunny Island / Victron "CAN-bus BMS" / Sofar family (DIP 16), battery -> inverter,
// little-endian, every frame DLC 8 zero-padded. Spec: inverter-can.md section 4. Pure.
//
// SMA-strict set: 0x351 limits, 0x355 SOC/SOH/HiResSOC, 0x356 V/A/T, 0x35A alarm/warning bit
// pairs, 0x35B events, 0x35E name, 0x35F type/version/capacity. Victron adds 0x370-0x377, 0x379
// and 0x382 (never 0x359/0x35C, never a Pylontech/BYD/LG name). Sofar adds 0x359 with only the
// module count and "PN" (section 4.8).
//
// SMA silently rejects values outside its ranges and keeps the last good one (section 4.1), so
// out-of-range values are clamped into range and every clamp is reported for the caller to log.

#include <chrono>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "packbridge/battery.hpp"
#include "packbridge/protocol/inverter/alarm_table.hpp"
#include "packbridge/protocol/inverter/can/can_frame.hpp"

namespace packbridge::protocol::sma_can {

// SMA's inhibit time: never send one id more often than this (section 4.1).
inline constexpr std::chrono::milliseconds kMinSameIdSpacing{200};
// The Goodwe/SMA V1.2 sheet sends the same set every 100 ms (section 4.8).
inline constexpr std::chrono::milliseconds kGoodweSameIdSpacing{100};

// 0x35A: 16 alarm items in bytes 0-3, 16 warning items at the same positions in bytes 4-7.
// Item k occupies bits 2k (raised, "arrives") and 2k+1 (cleared, "leaves"); 00/11 = no change.
inline constexpr std::uint8_t kPairRaised = 0b01;
inline constexpr std::uint8_t kPairCleared = 0b10;
inline constexpr std::size_t kWarningOffset = 4;  // warnings start at byte 4
// The spec's items 0-12, in its order.
enum class Item : std::uint8_t {
    general,
    high_voltage,
    low_voltage,
    high_temperature,
    low_temperature,
    high_temperature_charge,
    low_temperature_charge,
    high_discharge_current,
    high_charge_current,
    contactor,
    short_circuit,
    bms_internal,
    cell_imbalance,
    // 13..15 reserved (SMA: not for BMS use), always sent as 00.
};
inline constexpr std::size_t kDefinedItems = 13;
static_assert(static_cast<std::size_t>(Item::cell_imbalance) + 1 == kDefinedItems);

// The pair of `item` inside a 4-byte alarm (or warning) block: byte index and bit shift.
constexpr std::size_t item_byte(Item item) {
    return static_cast<std::size_t>(item) / 4;
}
constexpr unsigned item_shift(Item item) {
    return 2U * (static_cast<unsigned>(item) % 4U);
}

// The 0x35A table: field 0 the alarms (from the protections), field 1 the warnings, bit k =
// item k (src/protocol/inverter/can/sma_can_alarms.cpp).
std::span<const alarm_table::Field> alarm_fields();
// The items the battery's warnings (or protections) raise, bit k = item k.
std::uint16_t raised_items(const Battery& battery, bool warnings);
// Writes the 16 pairs of a 4-byte block: defined items raised (01) or cleared (10), reserved
// items 00 (section 4.3: "cleared" clears an earlier alarm on both SMA and Victron).
void put_items(std::span<std::uint8_t> block, std::uint16_t raised);

// SMA Sunny Island accepted ranges (section 4.1), in the Battery's units.
inline constexpr std::uint32_t kSmaCvlMinMv = 41000;
inline constexpr std::uint32_t kSmaCvlMaxMv = 63000;
inline constexpr std::uint32_t kSmaDvlMinMv = 41000;
inline constexpr std::uint32_t kSmaDvlMaxMv = 48000;
inline constexpr std::uint32_t kSmaCurrentMaxMa = 1'200'000;

// goodwe: the "Goodwe/SMA CAN Bus protocol V1.2" sheet: exactly the SMA set, 0x35E "GoodWe".
enum class Profile { sma, victron, sofar, goodwe };

// The shortest period a profile allows between two frames of one id.
std::chrono::milliseconds min_same_id_spacing(Profile profile);

struct Options {
    Profile profile = Profile::victron;
    // 0x35E (first 8 characters) and, on Victron, 0x370/0x371 (16). "" = profile default,
    // "GATEWAY" for every profile (section 4.6). On Victron a name that triggers a Venus OS
    // battery quirk (see victron_quirk_name) is replaced by the default and reported.
    std::string name;
    // Victron 0x382 product/family name; "" = the name.
    std::string product_name;
    // 0x35F bytes 0-1: SMA battery type / Victron product id. Placeholder, section 4.6.
    std::uint16_t battery_type = 0;
    // 0x35F byte 2 major, byte 3 minor (BMS / firmware version).
    std::uint8_t version_major = 1;
    std::uint8_t version_minor = 0;
    // 0x35F bytes 6-7: SMA manufacturer id (reserved) / Victron hardware version.
    std::uint16_t hardware_version = 0;
    // Clamp CVL/DVL/CCL/DCL into the Sunny Island's accepted ranges. Default: on for SMA and
    // Sofar; off for Victron, which serves 12/24 V systems too (a 24 V CVL must not be raised
    // to 41 V). Values that do not fit their wire field are clamped (and reported) regardless.
    enum class Ranges { profile_default, sma, field_only };
    Ranges ranges = Ranges::profile_default;
    // Sofar only, unverified (section 4.8): remaining Ah x10 in 0x355 bytes 6-7 and the cycle
    // count in 0x356 bytes 6-7, as YamBMS sends them.
    bool sofar_capacity_and_cycles = false;
};

struct Encoded {
    std::vector<CanFrame> frames;      // one period, in send order
    std::vector<std::string> clamped;  // "CVL 40.0 V below SMA minimum, sent 41.0 V", ...
};

Encoded encode(const Battery& battery, const Options& options);

// The 0x35E default of a profile ("GATEWAY"; Goodwe: "GoodWe").
std::string default_name(Profile profile);

// True for names that make Venus OS apply a product quirk (PYLON..., BYD..., LG..., DYNESS...):
// Pylontech caps CVL at 52.4 V, BYD floats at 55 V / 40 A when CCL = 0 (section 4.5).
bool victron_quirk_name(std::string_view name);

// "limits CVL 56.0 V CCL 100.0 A DCL 150.0 A DVL 48.0 V": one-line summary for the dry run and
// trace logs.
std::string describe(const CanFrame& frame);

}  // namespace packbridge::protocol::sma_can
