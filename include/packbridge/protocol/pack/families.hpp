// SPDX-License-Identifier: Apache-2.0
#pragma once

// The pack families as data: one row per family (PACE, Seplos v2, Pylontech, EG4) with what
// tells its replies apart (VER, CID1), its command set (analog, status, the identity commands
// read once), where its design capacity and SOH come from, its decoders and encoders, and its
// alarm-bit table. The poller, the simulator, `scan`, the config and the tests iterate this
// table; nothing else lists the families. Pure: no IO, no clock, no logging.

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "packbridge/pack_reading.hpp"
#include "packbridge/protocol/ascii/ascii_frame.hpp"
#include "packbridge/protocol/pack/alarm_tables.hpp"
#include "packbridge/protocol/pack/pace.hpp"

namespace packbridge::protocol::pace {

// Pylontech 0x93 (module serial) and 0x96 (firmware version), section 2.7.
inline constexpr std::uint8_t kCidPylonSerial = 0x93, kCidPylonFirmware = 0x96;

struct PackFamily {
    Dialect dialect;
    const char* name;         // as in bus.family, `scan` and status.json
    const char* description;  // for humans: which packs
    std::uint8_t ver;         // VER of its requests (bus.ver may override it)
    std::uint8_t cid1;        // CID1 of its requests and replies
    bool address_in_info;     // 0x42/0x44 requests carry the address as INFO (EG4: no INFO)
    std::span<const std::uint8_t> identity_cids;  // read once per pack, in this order
    // Where the design (rated) capacity comes from, nullptr when the family has none.
    const char* design_capacity_field;
    bool reports_soh;  // the 0x42 record carries an SOH field
    Result<PackAnalog> (*decode_analog)(const ascii::Frame&);
    Result<PackStatus> (*decode_status)(const ascii::Frame&);
    // Replies as the family sends them (simulator, tests). `tail` applies to PACE only.
    std::string (*encode_analog)(std::uint8_t ver, std::uint8_t adr, const PackAnalog&,
                                 TailVariant tail);
    std::string (*encode_status)(std::uint8_t ver, std::uint8_t adr, const PackStatus&,
                                 std::size_t cells, std::size_t temps);
    std::span<const AlarmBitRow> (*alarms)(Dialect);
};

std::span<const PackFamily> pack_families();
const PackFamily& pack_family(Dialect dialect);
// The family named `name` ("pace", "seplos", "pylontech", "eg4"), or nullptr.
const PackFamily* find_pack_family(std::string_view name);

// A read request in the family's shape (VER `ver`, the family's CID1; INFO as the command needs:
// the address for 0x42/0x44 where the family wants it and for 0x92/0x93/0x96, none otherwise).
// Empty for a command the gateway never sends (writes).
std::string build_request(const PackFamily& family, std::uint8_t ver, std::uint8_t adr,
                          std::uint8_t cid2);

// Families whose requests look the same on the wire (Seplos and Pylontech: VER 0x20, CID1
// 0x46, address INFO) share a probe: the reply's layout tells them apart.
bool same_request_shape(const PackFamily& a, const PackFamily& b);

// The family a reply (any RTN) claims by its header alone: CID1 0x4A is EG4, VER 0x25 (and the
// other PACE VERs) is PACE, VER 0x20/0x21 with CID1 0x46 is Seplos or Pylontech (nullopt:
// only the layout of a 0x42 reply tells which).
std::optional<Dialect> family_of_header(const ascii::Frame& frame);

// Identity replies of the VER 0x20 families: 0x51 (device name = model, version, maker),
// Pylontech 0x93 (serial) and 0x96 (firmware). `cid2` = the request. Errc::rejected for RTN != 0.
Result<PackIdentity> decode_family_identity(const ascii::Frame& frame, std::uint8_t cid2);

// Encoders of the other families' replies (PACE's are in pace.hpp).
std::string encode_seplos_analog_reply(std::uint8_t ver, std::uint8_t adr, const PackAnalog&,
                                       TailVariant);
std::string encode_seplos_status_reply(std::uint8_t ver, std::uint8_t adr, const PackStatus&,
                                       std::size_t cells, std::size_t temps);
std::string encode_pylon_analog_reply(std::uint8_t ver, std::uint8_t adr, const PackAnalog&,
                                      TailVariant);
std::string encode_pylon_status_reply(std::uint8_t ver, std::uint8_t adr, const PackStatus&,
                                      std::size_t cells, std::size_t temps);
std::string encode_eg4_analog_reply(std::uint8_t ver, std::uint8_t adr, const PackAnalog&,
                                    TailVariant);
std::string encode_eg4_status_reply(std::uint8_t ver, std::uint8_t adr, const PackStatus&,
                                    std::size_t cells, std::size_t temps);
// 0x51: device name (10 ASCII), version (2 bytes), manufacturer (20 ASCII).
std::string encode_manufacturer_reply(std::uint8_t ver, std::uint8_t cid1, std::uint8_t adr,
                                      const std::string& model, std::uint8_t version_high,
                                      std::uint8_t version_low, const std::string& manufacturer);
// 0x93: command value + 16 ASCII; 0x96: command value + 2 + 3 version bytes.
std::string encode_pylon_serial_reply(std::uint8_t ver, std::uint8_t adr, const std::string&);
std::string encode_pylon_firmware_reply(std::uint8_t ver, std::uint8_t adr,
                                        std::span<const std::uint8_t, 5> version);
// Any reply with the family's CID1 (error replies of the simulator).
std::string encode_family_error_reply(const PackFamily& family, std::uint8_t ver, std::uint8_t adr,
                                      std::uint8_t rtn);

}  // namespace packbridge::protocol::pace
