// SPDX-License-Identifier: Apache-2.0
// Small PACE-family replies: 0x90, 0xA6, 0xB1, 0x4F, 0x51, Pylontech 0x92, empty OK reply.
#include "packbridge/protocol/pack/pace_misc.hpp"

#include "pace_internal.hpp"
#include "packbridge/bytes.hpp"

namespace packbridge::protocol::pace {
namespace {

using bytes::load_be16;
using bytes::load_be16s;

Result<void> need(const ascii::Frame& frame, std::size_t bytes, const char* what) {
    if (frame.cid2 != 0) return detail::rejected(frame);
    if (frame.info.size() < bytes) {
        return make_error(Errc::truncated, std::string(what) + " reply INFO has " +
                                               std::to_string(frame.info.size()) + " bytes, need " +
                                               std::to_string(bytes));
    }
    return {};
}

std::string trimmed_ascii(const std::vector<std::uint8_t>& info, std::size_t from, std::size_t n) {
    std::string s;
    for (std::size_t i = from; i < from + n && i < info.size(); ++i) {
        const auto c = info[i];
        s.push_back(c >= 0x20 && c < 0x7F ? static_cast<char>(c) : ' ');
    }
    const auto first = s.find_first_not_of(' ');
    if (first == std::string::npos) return {};
    return s.substr(first, s.find_last_not_of(' ') - first + 1);
}

}  // namespace

Result<std::uint8_t> decode_pack_count(const ascii::Frame& frame) {
    if (auto ok = need(frame, 1, "0x90"); !ok) return ok.error();
    return frame.info[0];
}

Result<PackCapacity> decode_capacity(const ascii::Frame& frame) {
    if (auto ok = need(frame, 6, "0xA6"); !ok) return ok.error();
    const std::span<const std::uint8_t> b{frame.info};
    return PackCapacity{load_be16(b, 0) * 10U, load_be16(b, 2) * 10U, load_be16(b, 4) * 10U};
}

Result<PackDateTime> decode_date_time(const ascii::Frame& frame) {
    if (auto ok = need(frame, 6, "0xB1"); !ok) return ok.error();
    const auto& b = frame.info;
    PackDateTime t{static_cast<std::uint16_t>(2000 + b[0]), b[1], b[2], b[3], b[4], b[5]};
    if (t.month < 1 || t.month > 12 || t.day < 1 || t.day > 31 || t.hour > 23 || t.minute > 59 ||
        t.second > 59) {
        return make_error(Errc::out_of_range, "0xB1 date/time " + ascii::to_hex(b) +
                                                  " is not a calendar date and time");
    }
    return t;
}

Result<ProtocolVersion> decode_protocol_version(const ascii::Frame& frame) {
    if (frame.cid2 != 0) return detail::rejected(frame);
    return ProtocolVersion{static_cast<std::uint8_t>(frame.ver >> 4),
                           static_cast<std::uint8_t>(frame.ver & 0x0F)};
}

Result<ManufacturerInfo> decode_manufacturer_info(const ascii::Frame& frame) {
    if (auto ok = need(frame, 12, "0x51"); !ok) return ok.error();
    const auto& b = frame.info;
    return ManufacturerInfo{trimmed_ascii(b, 0, 10), b[10], b[11], trimmed_ascii(b, 12, 20)};
}

Result<PylonLimits> decode_pylon_limits(const ascii::Frame& frame) {
    if (auto ok = need(frame, 10, "0x92"); !ok) return ok.error();
    const std::span<const std::uint8_t> b{frame.info};
    PylonLimits l;
    l.address = b[0];
    l.charge_voltage_mv = load_be16(b, 1);
    l.discharge_voltage_mv = load_be16(b, 3);
    l.charge_current_ma = load_be16s(b, 5) * 100;
    l.discharge_current_ma = load_be16s(b, 7) * 100;
    l.status = b[9];
    l.charge_enabled = (l.status & 0x80) != 0;
    l.discharge_enabled = (l.status & 0x40) != 0;
    l.force_charge_1 = (l.status & 0x20) != 0;
    l.force_charge_2 = (l.status & 0x10) != 0;
    l.full_charge_request = (l.status & 0x08) != 0;
    return l;
}

bool is_empty_ok_reply(const ascii::Frame& frame) {
    return frame.cid2 == 0 && frame.info.empty();
}

}  // namespace packbridge::protocol::pace
