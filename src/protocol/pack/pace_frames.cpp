// SPDX-License-Identifier: Apache-2.0
// PACE requests, classification, error replies and identity strings.
#include <algorithm>
#include <cstdio>

#include "packbridge/protocol/pack/pace.hpp"

namespace packbridge::protocol::pace {
namespace {

std::string trim(std::string s) {
    while (!s.empty() && (s.back() == ' ' || s.back() == '\0'))
        s.pop_back();
    std::size_t start = 0;
    while (start < s.size() && s[start] == ' ')
        ++start;
    return s.substr(start);
}

std::string ascii_of(const std::vector<std::uint8_t>& info, std::size_t from, std::size_t n) {
    std::string s;
    for (std::size_t i = from; i < from + n && i < info.size(); ++i) {
        const auto c = info[i];
        s.push_back(c >= 0x20 && c < 0x7F ? static_cast<char>(c) : ' ');
    }
    return trim(s);
}

std::string reply(std::uint8_t ver, std::uint8_t adr, std::uint8_t rtn,
                  std::vector<std::uint8_t> info) {
    return ascii::encode(ascii::Frame{ver, adr, kCid1Battery, rtn, std::move(info), false});
}

std::vector<std::uint8_t> padded(const std::string& text, std::size_t n) {
    std::vector<std::uint8_t> out(n, ' ');
    std::copy_n(text.begin(), std::min(text.size(), n), out.begin());
    return out;
}

}  // namespace

std::string build_request(std::uint8_t ver, std::uint8_t adr, std::uint8_t cid2) {
    switch (cid2) {
        case kCidAnalog:
        case kCidStatus:
            return ascii::encode({ver, adr, kCid1Battery, cid2, {adr}, false});
        case kCidFirmware:
        case kCidSerial:
        case kCidManufacturer:
        case kCidVersion:
            return ascii::encode({ver, adr, kCid1Battery, cid2, {}, false});
        default:
            return {};  // never a write command
    }
}

const char* rtn_meaning(std::uint8_t rtn) {
    switch (rtn) {
        case 0x00:
            return "OK";
        case 0x01:
            return "VER error";
        case 0x02:
            return "CHKSUM error";
        case 0x03:
            return "LCHKSUM / length error";
        case 0x04:
            return "CID2 invalid / command not supported";
        case 0x05:
            return "command format error";
        case 0x06:
            return "invalid data";
        case 0x07:
            return "no data / address error";
        case 0x08:
            return "flash error";
        case 0x09:
            return "operation or write error";
        case 0x90:
            return "ADR error";
        case 0x91:
            return "internal communication error";
        case 0xE1:
            return "CID1 invalid";
        case 0xE2:
            return "command execution failure";
        case 0xE3:
            return "device fault";
        case 0xE4:
            return "invalid permission";
        default:
            return rtn >= 0x80 && rtn <= 0xEF ? "user-defined error" : "unknown return code";
    }
}

Result<void> check_reply_address(const ascii::Frame& frame, std::uint8_t expected) {
    if (frame.adr != expected || frame.cid1 != kCid1Battery) {
        char buf[96];
        std::snprintf(buf, sizeof buf, "reply from ADR %02X CID1 %02X, expected ADR %02X CID1 %02X",
                      frame.adr, frame.cid1, expected, kCid1Battery);
        return make_error(Errc::wrong_address, buf);
    }
    return {};
}

Result<PackIdentity> decode_identity(const ascii::Frame& frame, std::uint8_t cid2) {
    if (frame.cid2 != 0) {
        return make_error(Errc::rejected,
                          "RTN " + std::to_string(frame.cid2) + ": " + rtn_meaning(frame.cid2));
    }
    PackIdentity id;
    const auto& info = frame.info;
    switch (cid2) {
        case kCidFirmware:
            id.firmware = ascii_of(info, 0, std::min<std::size_t>(info.size(), 20));
            break;
        case kCidSerial: {
            // 20 characters of BMS production info, optionally 20 more of pack production info.
            id.serial = ascii_of(info, 0, 20);
            const auto second = info.size() > 20 ? ascii_of(info, 20, 20) : std::string{};
            if (!second.empty()) id.serial += " " + second;
            break;
        }
        case kCidManufacturer: {
            // Device name (10), software version (2), manufacturer / protocol name (20).
            if (info.size() < 12)
                return make_error(Errc::truncated, "0x51 reply shorter than 12 bytes");
            char version[16];
            std::snprintf(version, sizeof version, " %u.%u", info[10], info[11]);
            id.firmware = ascii_of(info, 0, 10) + version;
            id.manufacturer = ascii_of(info, 12, 20);
            break;
        }
        default:
            return make_error(Errc::unsupported, "no identity in command " + std::to_string(cid2));
    }
    return id;
}

std::string encode_error_reply(std::uint8_t ver, std::uint8_t adr, std::uint8_t rtn) {
    return reply(ver, adr, rtn, {});
}

std::string encode_firmware_reply(std::uint8_t ver, std::uint8_t adr, const std::string& text) {
    return reply(ver, adr, 0, padded(text, 20));
}

std::string encode_serial_reply(std::uint8_t ver, std::uint8_t adr, const std::string& text) {
    return reply(ver, adr, 0, padded(text, 40));
}

}  // namespace packbridge::protocol::pace
