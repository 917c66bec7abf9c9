// SPDX-License-Identifier: Apache-2.0
// CID2 0x44 alarm/status: PACE (sections 3.2-3.10) and Seplos v2 (3.11) into one PackStatus;
// dispatch to the Pylontech (3.12) and EG4 decoders.
#include <array>
#include <span>

#include "pace_internal.hpp"
#include "packbridge/protocol/pack/alarm_tables.hpp"
#include "packbridge/protocol/pack/pace.hpp"

namespace packbridge::protocol::pace {
namespace {

// PACE state bits after the state codes (section 3.2 fields 8-16); the alarm bits are in
// alarm_tables.cpp.
namespace bit {
// protect state 2 bit 7: "fully" is a state, not a protection
constexpr std::uint8_t kFully = 1U << 7;
// instruction (system) state
constexpr std::uint8_t kChargeMosfet = 1U << 1, kDischargeMosfet = 1U << 2,
                       kPackSupplying = 1U << 3, kAcIn = 1U << 5;
}  // namespace bit

Result<PackStatus> decode_pace_status(const std::vector<std::uint8_t>& b) {
    // flag, cmd, M, M states, N, N states, charge-current, voltage, discharge-current states, 9
    // bytes.
    const auto n_at_or = detail::info_n_at(b);
    if (!n_at_or) return n_at_or.error();
    const std::size_t n_at = *n_at_or;
    const std::size_t n = b[n_at];
    const std::size_t tail = n_at + 1 + n;
    if (tail + 3 + 9 > b.size()) {
        return make_error(Errc::truncated, "0x44 INFO of " + std::to_string(b.size()) +
                                               " bytes, need " + std::to_string(tail + 12));
    }
    PackStatus s;
    detail::cell_state_warnings(b, s.warnings);
    detail::current_voltage_state_warnings(b, tail, s.warnings);
    const std::size_t p = tail + 3;
    apply_alarm_table(alarm_table(Dialect::pace), std::span{b}.subspan(p, 9), s);
    s.fully_charged = (b[p + 1] & bit::kFully) != 0;
    const std::uint8_t system = b[p + 2];
    s.charge_mosfet_on = (system & bit::kChargeMosfet) != 0;
    s.discharge_mosfet_on = (system & bit::kDischargeMosfet) != 0;
    s.charging = (system & bit::kAcIn) != 0;
    s.discharging = (system & bit::kPackSupplying) != 0;
    s.balancing_mask =
        static_cast<std::uint32_t>(b[p + 5]) | (static_cast<std::uint32_t>(b[p + 6]) << 8);
    return s;
}

Result<PackStatus> decode_seplos_status(const std::vector<std::uint8_t>& b) {
    // flag, group, M, M states, N, N states, current state, voltage state, P (20), 20 bytes.
    const auto n_at_or = detail::info_n_at(b);
    if (!n_at_or) return n_at_or.error();
    const std::size_t n_at = *n_at_or;
    const std::size_t n = b[n_at];
    const std::size_t e = n_at + 1 + n + 3;  // first alarm event byte
    if (e + 10 > b.size())
        return make_error(Errc::truncated, "Seplos 0x44 INFO shorter than its alarm block");
    PackStatus s;
    apply_alarm_table(alarm_table(Dialect::seplos), std::span{b}.subspan(e), s);
    s.discharge_mosfet_on = (b[e + 6] & 0x01) != 0;
    s.charge_mosfet_on = (b[e + 6] & 0x02) != 0;
    s.balancing_mask =
        static_cast<std::uint32_t>(b[e + 7]) | (static_cast<std::uint32_t>(b[e + 8]) << 8);
    s.discharging = (b[e + 9] & 0x01) != 0;
    s.charging = (b[e + 9] & 0x02) != 0;
    return s;
}

}  // namespace

Result<PackStatus> decode_status(const ascii::Frame& frame) {
    return decode_status(frame, detect_dialect(frame));
}

Result<PackStatus> decode_status(const ascii::Frame& frame, Dialect dialect) {
    if (frame.cid2 != 0) return detail::rejected(frame);
    switch (dialect) {
        case Dialect::seplos:
            return decode_seplos_status(frame.info);
        case Dialect::pylontech:
            return detail::decode_pylon_status(frame.info);
        case Dialect::eg4:
            return detail::decode_eg4_status(frame.info);
        case Dialect::pace:
            break;
    }
    return decode_pace_status(frame.info);
}

std::string encode_status_reply(std::uint8_t ver, std::uint8_t adr, const PackStatus& s,
                                std::size_t cells, std::size_t temps) {
    std::vector<std::uint8_t> info{0x00, adr, static_cast<std::uint8_t>(cells)};
    info.insert(info.end(), cells, 0x00);
    info.push_back(static_cast<std::uint8_t>(temps));
    info.insert(info.end(), temps, 0x00);
    info.insert(info.end(), {0x00, 0x00, 0x00});  // current and voltage state codes
    std::array<std::uint8_t, 9> block{};
    encode_alarm_table(alarm_table(Dialect::pace), s, block);
    if (s.fully_charged) block[1] = static_cast<std::uint8_t>(block[1] | bit::kFully);
    std::uint8_t system = 0;
    if (s.charge_mosfet_on) system |= bit::kChargeMosfet;
    if (s.discharge_mosfet_on) system |= bit::kDischargeMosfet;
    if (s.charging) system |= bit::kAcIn;
    if (s.discharging) system |= bit::kPackSupplying;
    block[2] = system;
    block[5] = static_cast<std::uint8_t>(s.balancing_mask & 0xFF);
    block[6] = static_cast<std::uint8_t>((s.balancing_mask >> 8) & 0xFF);
    info.insert(info.end(), block.begin(), block.end());
    return ascii::encode(ascii::Frame{ver, adr, kCid1Battery, 0x00, std::move(info), false});
}

}  // namespace packbridge::protocol::pace
