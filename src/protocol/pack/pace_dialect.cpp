// SPDX-License-Identifier: Apache-2.0
// Dialect detection (VER / CID1 / INFOFLAG / record structure) and request classification.
#include "pace_internal.hpp"

namespace packbridge::protocol::pace {
namespace {

// Seplos v2 0x42: one record whose P byte (after current, voltage, remaining) is 10.
bool seplos_analog_shape(std::span<const std::uint8_t> b) {
    if (b.size() < 3) return false;
    const std::size_t n_at = 3 + 2 * std::size_t{b[2]};
    if (n_at >= b.size()) return false;
    const std::size_t p_at = n_at + 1 + 2 * std::size_t{b[n_at]} + 6;
    return p_at + 12 < b.size() && b[p_at] == 10;
}

// Seplos v2 0x44: after the state bytes and the current and voltage states, P = 20.
bool seplos_status_shape(std::span<const std::uint8_t> b) {
    if (b.size() < 3) return false;
    const std::size_t n_at = 3 + std::size_t{b[2]};
    if (n_at >= b.size()) return false;
    const std::size_t p_at = n_at + 1 + std::size_t{b[n_at]} + 2;
    return p_at + 11 <= b.size() && b[p_at] == 0x14;
}

// Request codes any master may send, in every dialect (section 2.1), reads and writes.
bool common_request(std::uint8_t cid2) {
    switch (cid2) {
        case 0x42:
        case 0x44:
        case 0x47:
        case 0x4B:
        case 0x4D:
        case 0x4F:
        case 0x51:
        case 0x60:
        case 0x61:
        case 0x62:
        case 0x63:
        case 0x92:
        case 0x93:
        case 0x96:
        case 0xA1:
        case 0xA6:
        case 0xB1:
        case 0xC1:
        case 0xC2:
        case 0x45:
        case 0x49:
        case 0x4E:
        case 0x94:
        case 0x95:
        case 0x99:
        case 0x9A:
        case 0x9B:
        case 0x9C:
        case 0xB2:
            return true;
        default:
            return false;
    }
}

// PACE-only request codes: 0x90 pack count and the parameter read/write pairs (A0/A8, AE/AF,
// B5/B6, D0-E7, EB-EE). In VER 0x20 dialects 0x90 and 0xE1-0xE4 are return codes instead.
bool pace_request(std::uint8_t cid2) {
    switch (cid2) {
        case 0x90:
        case 0xA0:
        case 0xA8:
        case 0xAE:
        case 0xAF:
        case 0xB5:
        case 0xB6:
        case 0xEB:
        case 0xEC:
        case 0xED:
        case 0xEE:
            return true;
        default:
            return cid2 >= 0xD0 && cid2 <= 0xE7;
    }
}

}  // namespace

namespace detail {
Error rejected(const ascii::Frame& frame) {
    return make_error(Errc::rejected,
                      "RTN " + std::to_string(frame.cid2) + ": " + rtn_meaning(frame.cid2));
}
}  // namespace detail

const char* to_string(Dialect dialect) {
    switch (dialect) {
        case Dialect::pace:
            return "pace";
        case Dialect::seplos:
            return "seplos";
        case Dialect::pylontech:
            return "pylontech";
        case Dialect::eg4:
            return "eg4";
    }
    return "unknown";
}

Dialect detect_dialect(const ascii::Frame& frame) {
    if (frame.cid1 == kCid1Eg4) return Dialect::eg4;
    if (frame.ver == kVerPylonV21) return Dialect::pylontech;  // 0x4F reply reporting V2.1
    // VER 0x25, Boqiang's 0x26 and every other VER: the PACE layout, sized from LENID.
    if (frame.ver != kVerSeplos) return Dialect::pace;
    // VER 0x20 is shared by Seplos and Pylontech. Length alone cannot tell layouts apart: a
    // Seplos P=10 record and a PACE P=9 record with the same cell and sensor counts are the same
    // size (73 bytes for 16 cells / 6 sensors). So VER first excludes PACE, and within VER 0x20
    // the P byte is trusted - unlike PACE firmware (section 2.2.4), Seplos always sends P=10 and
    // Pylontech P=2 / P=4, and the records must then also consume the INFO exactly.
    const std::span<const std::uint8_t> b{frame.info};
    if (detail::split_pylon_records(b)) return Dialect::pylontech;
    if (seplos_analog_shape(b) || seplos_status_shape(b)) return Dialect::seplos;
    // No P byte to go by (e.g. a Pylontech 0x44 reply): Pylontech sets DATA FLAG 0x10/0x11,
    // every Seplos capture has 0x00.
    if (!b.empty() && (b[0] == 0x10 || b[0] == 0x11)) return Dialect::pylontech;
    return Dialect::seplos;
}

bool is_request(const ascii::Frame& frame, Dialect dialect) {
    if (common_request(frame.cid2)) return true;
    return dialect == Dialect::pace && pace_request(frame.cid2);
}

bool is_request(const ascii::Frame& frame) {
    return is_request(frame, detect_dialect(frame));
}

}  // namespace packbridge::protocol::pace
