// SPDX-License-Identifier: Apache-2.0
// The pack-family table (pack-protocol.md sections 1.3, 2.1, 2.2.5-2.2.7, 2.5, 2.7) and the
// request builder every family's requests go through.
#include "packbridge/protocol/pack/families.hpp"

#include <array>
#include <cstdio>

#include "packbridge/protocol/pack/pace_misc.hpp"

namespace packbridge::protocol::pace {
namespace {

constexpr std::array<std::uint8_t, 2> kPaceIdentity = {kCidFirmware, kCidSerial};
constexpr std::array<std::uint8_t, 1> kSeplosIdentity = {kCidManufacturer};
constexpr std::array<std::uint8_t, 3> kPylonIdentity = {kCidManufacturer, kCidPylonFirmware,
                                                        kCidPylonSerial};
constexpr std::array<std::uint8_t, 1> kEg4Identity = {kCidManufacturer};

template <Dialect D>
Result<PackAnalog> analog_of(const ascii::Frame& frame) {
    return decode_analog(frame, D);
}

template <Dialect D>
Result<PackStatus> status_of(const ascii::Frame& frame) {
    return decode_status(frame, D);
}

std::string pace_analog(std::uint8_t ver, std::uint8_t adr, const PackAnalog& a, TailVariant t) {
    return encode_analog_reply(ver, adr, a, t);
}

const std::array<PackFamily, 4> kFamilies = {{
    {Dialect::pace, "pace",
     "PACE BMS (VER 0x25) and its clones: Jakiper, EASUN, SOK, Hubble, Gobel, Revov, Boqiang "
     "(VER 0x26) ...",
     kVerPace, kCid1Battery, true, kPaceIdentity, "0x42 design capacity (10 mAh)", false,
     analog_of<Dialect::pace>, status_of<Dialect::pace>, pace_analog, encode_status_reply,
     alarm_table},
    {Dialect::seplos, "seplos", "Seplos BMS v2 (VER 0x20, 1101-SPxx) and Seplos-like (Enjie)",
     kVerSeplos, kCid1Battery, true, kSeplosIdentity, "0x42 rated capacity (10 mAh)", true,
     analog_of<Dialect::seplos>, status_of<Dialect::seplos>, encode_seplos_analog_reply,
     encode_seplos_status_reply, alarm_table},
    {Dialect::pylontech, "pylontech", "Pylontech US2000/US3000/US5000/UP2500 (VER 0x20)",
     kVerSeplos, kCid1Battery, true, kPylonIdentity, nullptr, false, analog_of<Dialect::pylontech>,
     status_of<Dialect::pylontech>, encode_pylon_analog_reply, encode_pylon_status_reply,
     alarm_table},
    {Dialect::eg4, "eg4", "EG4 LifePower4 / Qualtech BMS (VER 0x20, CID1 0x4A)", kVerSeplos,
     kCid1Eg4, false, kEg4Identity, nullptr, true, analog_of<Dialect::eg4>, status_of<Dialect::eg4>,
     encode_eg4_analog_reply, encode_eg4_status_reply, alarm_table},
}};

std::string ascii_field(const std::vector<std::uint8_t>& info, std::size_t from, std::size_t n) {
    std::string s;
    for (std::size_t i = from; i < from + n && i < info.size(); ++i) {
        const auto c = info[i];
        s.push_back(c >= 0x20 && c < 0x7F ? static_cast<char>(c) : ' ');
    }
    while (!s.empty() && s.back() == ' ')
        s.pop_back();
    return s;
}

}  // namespace

std::span<const PackFamily> pack_families() {
    return kFamilies;
}

const PackFamily& pack_family(Dialect dialect) {
    for (const auto& f : kFamilies) {
        if (f.dialect == dialect) return f;
    }
    return kFamilies.front();
}

const PackFamily* find_pack_family(std::string_view name) {
    for (const auto& f : kFamilies) {
        if (name == f.name) return &f;
    }
    return nullptr;
}

std::string build_request(const PackFamily& family, std::uint8_t ver, std::uint8_t adr,
                          std::uint8_t cid2) {
    std::vector<std::uint8_t> info;
    switch (cid2) {
        case kCidAnalog:
        case kCidStatus:
            if (family.address_in_info) info.push_back(adr);
            break;
        case kCidPylonLimits:
        case kCidPylonSerial:
        case kCidPylonFirmware:
            info.push_back(adr);
            break;
        case kCidFirmware:
        case kCidSerial:
        case kCidManufacturer:
        case kCidVersion:
            break;
        default:
            return {};  // never a write command
    }
    return ascii::encode({ver, adr, family.cid1, cid2, std::move(info), false});
}

bool same_request_shape(const PackFamily& a, const PackFamily& b) {
    return a.ver == b.ver && a.cid1 == b.cid1 && a.address_in_info == b.address_in_info;
}

std::optional<Dialect> family_of_header(const ascii::Frame& frame) {
    if (frame.cid1 == kCid1Eg4) return Dialect::eg4;
    if (frame.ver == kVerSeplos || frame.ver == kVerPylonV21) return std::nullopt;
    return Dialect::pace;
}

Result<PackIdentity> decode_family_identity(const ascii::Frame& frame, std::uint8_t cid2) {
    if (frame.cid2 != 0)
        return make_error(Errc::rejected,
                          "RTN " + std::to_string(frame.cid2) + ": " + rtn_meaning(frame.cid2));
    const auto& b = frame.info;
    PackIdentity id;
    char text[48];
    switch (cid2) {
        case kCidManufacturer: {
            auto info = decode_manufacturer_info(frame);
            if (!info) return info.error();
            id.model = info->device_name;
            std::snprintf(text, sizeof text, "%u.%u", info->version_high, info->version_low);
            id.firmware = text;
            id.manufacturer = info->manufacturer;
            return id;
        }
        case kCidPylonSerial:
            if (b.size() < 17) return make_error(Errc::truncated, "0x93 reply shorter than 17");
            id.serial = ascii_field(b, 1, 16);
            return id;
        case kCidPylonFirmware:
            if (b.size() < 6) return make_error(Errc::truncated, "0x96 reply shorter than 6");
            std::snprintf(text, sizeof text, "%u.%u (main %u.%u.%u)", b[1], b[2], b[3], b[4], b[5]);
            id.firmware = text;
            return id;
        default:
            return decode_identity(frame, cid2);
    }
}

}  // namespace packbridge::protocol::pace
