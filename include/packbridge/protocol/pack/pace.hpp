// SPDX-License-Identifier: Apache-2.0
#pragma once

// The PACE-family pack bus protocol (pack-protocol.md): request builders (read commands only),
// request/reply classification, decoders of 0x42 analog, 0x44 alarm/status and identity replies
// into the normalised PackAnalog / PackStatus / PackIdentity, and reply encoders for the
// simulator and round-trip tests. Four dialects share the frame (section 1.3): PACE (VER 0x25,
// also clones with other VERs such as Boqiang 0x26), Seplos v2 and Pylontech (both VER 0x20) and
// EG4 LifePower4 (CID1 0x4A). The decoders without a Dialect argument detect it from the frame.
// The smaller replies (0x4F, 0x51, 0x90, 0x92, 0xA6, 0xB1) are in pace_misc.hpp.
// Pure: no IO, no clock, no logging.

#include <cstdint>
#include <string>
#include <vector>

#include "packbridge/pack_reading.hpp"
#include "packbridge/protocol/ascii/ascii_frame.hpp"

namespace packbridge::protocol::pace {

inline constexpr std::uint8_t kCid1Battery = 0x46;
inline constexpr std::uint8_t kCidAnalog = 0x42, kCidStatus = 0x44, kCidFirmware = 0xC1,
                              kCidSerial = 0xC2, kCidManufacturer = 0x51;
inline constexpr std::uint8_t kCidVersion = 0x4F;
inline constexpr std::uint8_t kVerPace = 0x25;
inline constexpr std::uint8_t kVerSeplos = 0x20;  // also Pylontech and EG4
inline constexpr std::uint8_t kVerPylonV21 = 0x21;
inline constexpr std::uint8_t kCid1Eg4 = 0x4A;

// The layout family of a reply (section 1.3). Requests carry no layout; they classify as the
// dialect their VER/CID1 point to.
enum class Dialect {
    pace,       // VER 0x25 and every other VER not listed below (Boqiang 0x26, ...)
    seplos,     // VER 0x20, CID1 0x46, P=10 analog record / P=20 status block, INFOFLAG 0x00
    pylontech,  // VER 0x20/0x21, CID1 0x46, P=2/P=4 analog records or INFOFLAG 0x10/0x11
    eg4,        // CID1 0x4A (EG4 LifePower4 / Qualtech, VER 0x20 or 0x22)
};
const char* to_string(Dialect dialect);
// The dialect of a reply (or request), from VER, CID1, INFOFLAG and the record structure. Only
// VER 0x20 needs the structure: Seplos and Pylontech share VER and CID1.
Dialect detect_dialect(const ascii::Frame& frame);

// The record tail after the P byte (pack-protocol.md section 2.2.4).
enum class TailVariant {
    p3,      // P=3: full, cycles, design (6 bytes)
    p2_soc,  // P=2: + SOC byte (7 bytes)
    p9,      // P=9: + SOC, cumulative charge/discharge, SOH, independent V and I (20 bytes)
};

// A read request: 0x42/0x44 carry the address as INFO, 0xC1/0xC2/0x51/0x4F carry none. Only
// these read commands exist here: the gateway can never send a write command (several act on
// the pack's hardware at once). Any other cid2 yields an empty string.
std::string build_request(std::uint8_t ver, std::uint8_t adr, std::uint8_t cid2);

// True when the CID2 position holds a request code (our own echo, or another master polling),
// false for a reply (RTN 0x00 or an error code). Uses detect_dialect().
bool is_request(const ascii::Frame& frame);
// The same for a known dialect: code 0x90 is a PACE request (pack count) but the Pylontech RTN
// "ADR error", and 0xE1-0xE4 are PACE parameter requests but Seplos RTNs (section 1.7).
bool is_request(const ascii::Frame& frame, Dialect dialect);
// The meaning of a reply's RTN (table 1.7), e.g. "CID2 invalid / command not supported".
const char* rtn_meaning(std::uint8_t rtn);
// Errc::wrong_address unless the reply comes from `expected` with our CID1.
Result<void> check_reply_address(const ascii::Frame& frame, std::uint8_t expected);

// Reply to 0x42: the first (usually only) record. Errc::rejected for RTN != 0.
Result<PackAnalog> decode_analog(const ascii::Frame& frame);
Result<PackAnalog> decode_analog(const ascii::Frame& frame, Dialect dialect);
// Every record of a multi-pack (0xFF) reply, absent slots included (PackAnalog::absent()).
Result<std::vector<PackAnalog>> decode_analog_all(const ascii::Frame& frame);
Result<std::vector<PackAnalog>> decode_analog_all(const ascii::Frame& frame, Dialect dialect);
// Reply to 0x44 in any dialect.
Result<PackStatus> decode_status(const ascii::Frame& frame);
Result<PackStatus> decode_status(const ascii::Frame& frame, Dialect dialect);
// Reply to 0xC1 (firmware), 0xC2 (serial) or 0x51 (manufacturer info); cid2 = the request.
Result<PackIdentity> decode_identity(const ascii::Frame& frame, std::uint8_t cid2);

// Reply encoders (PACE layout), used by packbridge-sim. Temperatures are sent as the cell
// sensors followed by MOSFET and ambient when the pack has both.
std::string encode_error_reply(std::uint8_t ver, std::uint8_t adr, std::uint8_t rtn);
std::string encode_analog_reply(std::uint8_t ver, std::uint8_t adr, const PackAnalog&, TailVariant);
std::string encode_status_reply(std::uint8_t ver, std::uint8_t adr, const PackStatus&,
                                std::size_t cells, std::size_t temps);
std::string encode_firmware_reply(std::uint8_t ver, std::uint8_t adr, const std::string&);
std::string encode_serial_reply(std::uint8_t ver, std::uint8_t adr, const std::string&);

}  // namespace packbridge::protocol::pace
