// SPDX-License-Identifier: Apache-2.0
#pragma once

// Decoders of the smaller PACE-family replies (pack-protocol.md sections 2.5-2.8, 5.3): PACE
// 0x90 pack count, 0xA6 capacity and 0xB1 date/time; 0x4F protocol version and 0x51
// manufacturer info (Seplos / Pylontech); Pylontech 0x92 charge/discharge limits; and the empty
// OK reply. Each returns Errc::rejected for RTN != 0. Pure: no IO, no clock, no logging.

#include <cstdint>
#include <string>

#include "packbridge/protocol/ascii/ascii_frame.hpp"
#include "packbridge/result.hpp"

namespace packbridge::protocol::pace {

inline constexpr std::uint8_t kCidPackCount = 0x90, kCidPylonLimits = 0x92, kCidHistory = 0xA1,
                              kCidCapacity = 0xA6, kCidDateTime = 0xB1;

// 0xA6 (PACE only: Seplos uses the code for a write).
struct PackCapacity {
    std::uint32_t remaining_mah = 0;
    std::uint32_t full_mah = 0;
    std::uint32_t design_mah = 0;
};

// 0xB1: the pack's clock, as sent (no time zone).
struct PackDateTime {
    std::uint16_t year = 2000;
    std::uint8_t month = 1, day = 1, hour = 0, minute = 0, second = 0;
    friend bool operator==(const PackDateTime&, const PackDateTime&) = default;
};

// 0x4F: the reply carries the version in VER (0x20 = 2.0, 0x21 = 2.1) and no INFO.
struct ProtocolVersion {
    std::uint8_t major = 0, minor = 0;
};

// 0x51: device name (10 ASCII), software version (2 bytes, kept raw: what they encode is not
// documented - 02 07 and 10 06 are seen) and manufacturer / protocol name (20 ASCII), trimmed.
struct ManufacturerInfo {
    std::string device_name;
    std::uint8_t version_high = 0, version_low = 0;
    std::string manufacturer;
};

// Pylontech 0x92: charge/discharge management (section 2.7).
struct PylonLimits {
    std::uint8_t address = 0;  // the command value
    std::uint32_t charge_voltage_mv = 0;
    std::uint32_t discharge_voltage_mv = 0;
    std::int32_t charge_current_ma = 0;     // s16 in 100 mA on the wire
    std::int32_t discharge_current_ma = 0;  // negative: current out of the pack
    std::uint8_t status = 0;                // raw status byte
    bool charge_enabled = false;            // bit 7
    bool discharge_enabled = false;         // bit 6
    bool force_charge_1 = false;            // bit 5
    bool force_charge_2 = false;            // bit 4
    bool full_charge_request = false;       // bit 3
};

Result<std::uint8_t> decode_pack_count(const ascii::Frame& frame);  // 0x90
Result<PackCapacity> decode_capacity(const ascii::Frame& frame);    // 0xA6
// 0xB1; Errc::out_of_range when a field is not a calendar value.
Result<PackDateTime> decode_date_time(const ascii::Frame& frame);
Result<ProtocolVersion> decode_protocol_version(const ascii::Frame& frame);    // 0x4F
Result<ManufacturerInfo> decode_manufacturer_info(const ascii::Frame& frame);  // 0x51
Result<PylonLimits> decode_pylon_limits(const ascii::Frame& frame);            // 0x92

// An OK reply without INFO: the acknowledgement of a write, and the 0xA1 history end marker
// ("no more records", F-33). False for error replies and for replies that carry data.
bool is_empty_ok_reply(const ascii::Frame& frame);

}  // namespace packbridge::protocol::pace
