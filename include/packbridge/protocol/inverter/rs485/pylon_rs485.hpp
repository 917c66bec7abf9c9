// SPDX-License-Identifier: Apache-2.0
#pragma once

// Pylontech LV RS485 as a battery answers it (inverter-rs485.md section 1): DIP 32 default
// (Voltronic/MPP/TRONTE, inverter battery type PYL) and SRNE variant "pylon". ASCII frames
// through the shared protocol/ascii_frame layer (one implementation of LCHKSUM/CHKSUM).
//
// * ADR 0x02 + 0x10 * group (or rs485.address); ADR 0x00 answered too (switchable).
// * Any VER accepted; replies carry the configured VER (0x20, or 0x28 for diyBMS-style masters).
// * Replies carry RTN 00, never the CID2 (Battery-Emulator #3001).
// * Per-battery commands 0x4F 0x51 0x42 0x44 0x47 0x92 0x93 0x96 and system commands
//   0x60-0x63. Another CID2 at our ADR: RTN 04 with empty INFO. Bad CHKSUM/LCHKSUM, another
//   ADR, CID1 other than 0x46: silence.
// * 0x42/0x44 command 0xFF: one block per counted pack ("module"); any other command value:
//   the aggregate shown as one pack (rs485_view).

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "packbridge/protocol/ascii/ascii_frame.hpp"
#include "packbridge/protocol/inverter/alarm_table.hpp"
#include "packbridge/protocol/inverter/rs485/rs485_responder.hpp"
#include "packbridge/protocol/inverter/rs485/rs485_settings.hpp"

namespace packbridge::protocol {

namespace pylon_cmd {
inline constexpr std::uint8_t cid1_battery = 0x46;
inline constexpr std::uint8_t analog = 0x42;
inline constexpr std::uint8_t alarm = 0x44;
inline constexpr std::uint8_t system_parameters = 0x47;
inline constexpr std::uint8_t protocol_version = 0x4F;
inline constexpr std::uint8_t manufacturer = 0x51;
inline constexpr std::uint8_t management = 0x92;
inline constexpr std::uint8_t serial_number = 0x93;
inline constexpr std::uint8_t firmware = 0x96;
inline constexpr std::uint8_t system_info = 0x60;
inline constexpr std::uint8_t system_analog = 0x61;
inline constexpr std::uint8_t system_alarm = 0x62;
inline constexpr std::uint8_t system_management = 0x63;
inline constexpr std::uint8_t all_modules = 0xFF;
}  // namespace pylon_cmd

namespace pylon_rtn {
inline constexpr std::uint8_t normal = 0x00;
inline constexpr std::uint8_t cid2_invalid = 0x04;
}  // namespace pylon_rtn

// 0x92/0x63 status byte.
namespace pylon_status {
inline constexpr std::uint8_t charge_enable = 1U << 7;
inline constexpr std::uint8_t discharge_enable = 1U << 6;
inline constexpr std::uint8_t charge_immediately = 1U << 5;  // only for a real force-charge request
inline constexpr std::uint8_t full_charge_request = 1U << 3;
}  // namespace pylon_status

// The alarm tables (src/protocol/inverter/rs485/pylon_rs485_alarms.cpp), one row per bit of the
// spec's lists: 0x44 Status1 (field 0, from the protections) and 0x62 (fields 0-3: alarm1,
// alarm2 from the warnings, protect1, protect2 from the protections).
std::span<const alarm_table::Field> pylon_rs485_status1_fields();
std::span<const alarm_table::Field> pylon_rs485_system_alarm_fields();

struct PylonRs485Options {
    std::uint8_t address = 0x02;
    std::string device_name = "US3000C";  // 0x51/0x60, 10 characters
    PylonRs485Config pylon;
};

// Options from the inverter settings: the address is `address` when set, else 0x02 + 0x10 * group;
// the device name is `name` when not empty.
PylonRs485Options pylon_rs485_options(const PylonRs485Config& pylon,
                                      std::optional<std::uint8_t> address, std::string_view name);

class PylonRs485Responder final : public Rs485Responder {
  public:
    explicit PylonRs485Responder(PylonRs485Options options = {}) : options_(std::move(options)) {}

    Rs485Outcome handle(std::span<const std::uint8_t> request, const Battery& battery,
                        TimePoint now) override;
    [[nodiscard]] Rs485Framing framing() const override { return Rs485Framing::ascii; }
    [[nodiscard]] std::string_view name() const override { return "pylon-rs485"; }
    // ~100 ms answer (inverter-rs485.md 1.1); masters wait up to 500 ms.
    [[nodiscard]] Duration answer_deadline() const override { return milliseconds(100); }

    [[nodiscard]] const PylonRs485Options& options() const { return options_; }

  private:
    std::vector<std::uint8_t> info_for(std::uint8_t cid2, std::uint8_t command,
                                       const Battery& battery) const;

    PylonRs485Options options_;
};

}  // namespace packbridge::protocol
