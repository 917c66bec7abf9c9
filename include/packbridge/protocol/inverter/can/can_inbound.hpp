// SPDX-License-Identifier: Apache-2.0
#pragma once

// Inverter -> battery CAN frames the gateway hears (inverter-can.md sections 1.1, 1.2, 3, 4.1,
// 5.1), decoded for logging and liveness only. Nothing here changes what the battery does: the
// Luxpower 0x300 shutdown command in particular is reported, never obeyed. Pure; any id, DLC and
// payload is safe (bytes at or past the DLC are never read; a DLC above 8 counts as 8).
//
//   0x305  keep-alive (Pylon/Deye/Lux/Sol-Ark answer 8 x 00; Schneider sends it 29-bit; the SMA
//          Sunny Island broadcasts its own V/A/T/SOC in it). Standard or extended id.
//   0x307  Victron GX identification "12 34 56 78 56 49 43 00" ("...VIC"); on SMA the relay state.
//   0x301  Growatt LV poll, answered with the growatt_can set. Standard id only.
//   0x300  Luxpower V03+ remote command, byte 0 bit 0 = "shut down the battery". Standard only.

#include <cstdint>
#include <optional>
#include <string>

#include "packbridge/protocol/inverter/can/can_frame.hpp"

namespace packbridge::protocol::can_inbound {

inline constexpr std::uint32_t kLuxCommandId = 0x300;
inline constexpr std::uint32_t kGrowattPollId = 0x301;
inline constexpr std::uint32_t kKeepAliveId = 0x305;
inline constexpr std::uint32_t kIdentificationId = 0x307;

inline constexpr std::uint8_t kLuxShutdown = 1U << 0;  // 0x300 byte 0

enum class Kind : std::uint8_t {
    keep_alive,      // 0x305
    identification,  // 0x307
    growatt_poll,    // 0x301
    lux_command,     // 0x300
};

// "keep-alive", "identification", "growatt poll", "lux command".
const char* to_string(Kind kind);

// The Sunny Island's own readings in a non-zero 0x305 (LE; section 4.1).
struct SmaStatus {
    std::uint16_t voltage_dv = 0;     // 0.1 V
    std::int16_t current_da = 0;      // 0.1 A, SMA's sign: NEGATIVE while charging
    std::int16_t temperature_dc = 0;  // 0.1 degC
    std::int16_t soc_permille = 0;    // 0.1 %
};

struct Inbound {
    Kind kind = Kind::keep_alive;
    std::uint32_t id = 0;
    bool extended = false;
    std::uint8_t dlc = 0;   // as received, clamped to 8
    bool complete = false;  // DLC 8, as every one of these frames is specified

    std::optional<SmaStatus> sma;     // 0x305: DLC 8 and not all zero
    bool victron = false;             // 0x307: bytes 4-6 are "VIC"
    std::uint8_t command = 0;         // 0x300: byte 0 (0 when the frame has no byte 0)
    bool shutdown_requested = false;  // 0x300: byte 0 bit 0; reported, never obeyed
};

// The frame's meaning, or nullopt for any other id (and for an extended 0x300/0x301/0x307,
// which are different 29-bit ids).
std::optional<Inbound> decode(const CanFrame& frame);

// One line for the log: "305 keep-alive", "300 lux command: SHUTDOWN requested (not obeyed)".
std::string describe(const Inbound& inbound);

}  // namespace packbridge::protocol::can_inbound
