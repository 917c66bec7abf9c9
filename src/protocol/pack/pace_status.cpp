// SPDX-License-Identifier: Apache-2.0
// CID2 0x44 alarm/status: PACE (sections 3.2-3.10) and Seplos v2 (3.11) into one PackStatus;
// dispatch to the Pylontech (3.12) and EG4 decoders.
#include <initializer_list>
#include <utility>

#include "pace_internal.hpp"
#include "packbridge/protocol/pack/pace.hpp"

namespace packbridge::protocol::pace {
namespace {

// PACE bytes after the state codes (section 3.2 fields 8-16).
namespace bit {
// protect state 1
constexpr std::uint8_t kCellOverVoltage = 1U << 0, kCellUnderVoltage = 1U << 1,
                       kPackOverVoltage = 1U << 2, kPackUnderVoltage = 1U << 3,
                       kChargeOverCurrent = 1U << 4, kDischargeOverCurrent = 1U << 5,
                       kShortCircuit = 1U << 6, kChargerOverVoltage = 1U << 7;
// protect state 2
constexpr std::uint8_t kChargeOverTemp = 1U << 0, kDischargeOverTemp = 1U << 1,
                       kChargeUnderTemp = 1U << 2, kDischargeUnderTemp = 1U << 3,
                       kMosfetOverTemp = 1U << 4, kAmbientOverTemp = 1U << 5,
                       kAmbientUnderTemp = 1U << 6, kFully = 1U << 7;
// instruction (system) state
constexpr std::uint8_t kChargeMosfet = 1U << 1, kDischargeMosfet = 1U << 2,
                       kPackSupplying = 1U << 3, kAcIn = 1U << 5;
// warn state 2 (warn state 1 uses the protect-1 positions for bits 0-5)
constexpr std::uint8_t kWarnLowSoc = 1U << 7, kWarnMosfetHighTemp = 1U << 6,
                       kWarnAmbientLowTemp = 1U << 5, kWarnAmbientHighTemp = 1U << 4;
// fault state: bit 3 (communication fault, V3.1) is not a pack hardware fault
constexpr std::uint8_t kHardwareFaults = 0xF7;
}  // namespace bit

using Map = detail::BitMap;
using detail::map_bits;

const Map kProtect1 = {{bit::kCellOverVoltage, Alarm::cell_over_voltage},
                       {bit::kCellUnderVoltage, Alarm::cell_under_voltage},
                       {bit::kPackOverVoltage, Alarm::pack_over_voltage},
                       {bit::kPackUnderVoltage, Alarm::pack_under_voltage},
                       {bit::kChargeOverCurrent, Alarm::charge_over_current},
                       {bit::kDischargeOverCurrent, Alarm::discharge_over_current},
                       {bit::kShortCircuit, Alarm::short_circuit},
                       {bit::kChargerOverVoltage, Alarm::pack_over_voltage}};
const Map kProtect2 = {{bit::kChargeOverTemp, Alarm::charge_over_temperature},
                       {bit::kDischargeOverTemp, Alarm::discharge_over_temperature},
                       {bit::kChargeUnderTemp, Alarm::charge_under_temperature},
                       {bit::kDischargeUnderTemp, Alarm::discharge_under_temperature},
                       {bit::kMosfetOverTemp, Alarm::mosfet_over_temperature},
                       {bit::kAmbientOverTemp, Alarm::ambient_over_temperature},
                       {bit::kAmbientUnderTemp, Alarm::ambient_under_temperature}};
const Map kWarn1 = {{bit::kCellOverVoltage, Alarm::cell_over_voltage},
                    {bit::kCellUnderVoltage, Alarm::cell_under_voltage},
                    {bit::kPackOverVoltage, Alarm::pack_over_voltage},
                    {bit::kPackUnderVoltage, Alarm::pack_under_voltage},
                    {bit::kChargeOverCurrent, Alarm::charge_over_current},
                    {bit::kDischargeOverCurrent, Alarm::discharge_over_current}};
const Map kWarn2 = {{bit::kChargeOverTemp, Alarm::charge_over_temperature},
                    {bit::kDischargeOverTemp, Alarm::discharge_over_temperature},
                    {bit::kChargeUnderTemp, Alarm::charge_under_temperature},
                    {bit::kDischargeUnderTemp, Alarm::discharge_under_temperature},
                    {bit::kWarnAmbientHighTemp, Alarm::ambient_over_temperature},
                    {bit::kWarnAmbientLowTemp, Alarm::ambient_under_temperature},
                    {bit::kWarnMosfetHighTemp, Alarm::mosfet_over_temperature},
                    {bit::kWarnLowSoc, Alarm::low_soc}};

// Seplos v2 alarm events (section 3.11): even bits are alarms (warnings), odd bits protections.
const Map kSeplosEvent2Warn = {{1U << 0, Alarm::cell_over_voltage},
                               {1U << 2, Alarm::cell_under_voltage},
                               {1U << 4, Alarm::pack_over_voltage},
                               {1U << 6, Alarm::pack_under_voltage}};
const Map kSeplosEvent2Prot = {{1U << 1, Alarm::cell_over_voltage},
                               {1U << 3, Alarm::cell_under_voltage},
                               {1U << 5, Alarm::pack_over_voltage},
                               {1U << 7, Alarm::pack_under_voltage}};
const Map kSeplosEvent3Warn = {{1U << 0, Alarm::charge_over_temperature},
                               {1U << 2, Alarm::charge_under_temperature},
                               {1U << 4, Alarm::discharge_over_temperature},
                               {1U << 6, Alarm::discharge_under_temperature}};
const Map kSeplosEvent3Prot = {{1U << 1, Alarm::charge_over_temperature},
                               {1U << 3, Alarm::charge_under_temperature},
                               {1U << 5, Alarm::discharge_over_temperature},
                               {1U << 7, Alarm::discharge_under_temperature}};
const Map kSeplosEvent4Warn = {{1U << 0, Alarm::ambient_over_temperature},
                               {1U << 2, Alarm::ambient_under_temperature},
                               {1U << 5, Alarm::mosfet_over_temperature}};
const Map kSeplosEvent4Prot = {{1U << 1, Alarm::ambient_over_temperature},
                               {1U << 3, Alarm::ambient_under_temperature},
                               {1U << 4, Alarm::mosfet_over_temperature}};
const Map kSeplosEvent5Warn = {{1U << 0, Alarm::charge_over_current},
                               {1U << 2, Alarm::discharge_over_current}};
const Map kSeplosEvent5Prot = {
    {1U << 1, Alarm::charge_over_current},    {1U << 3, Alarm::discharge_over_current},
    {1U << 4, Alarm::discharge_over_current}, {1U << 5, Alarm::short_circuit},
    {1U << 6, Alarm::discharge_over_current}, {1U << 7, Alarm::short_circuit}};

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
    map_bits(b[p], kProtect1, s.protections);
    map_bits(b[p + 1], kProtect2, s.protections);
    s.fully_charged = (b[p + 1] & bit::kFully) != 0;
    const std::uint8_t system = b[p + 2];
    s.charge_mosfet_on = (system & bit::kChargeMosfet) != 0;
    s.discharge_mosfet_on = (system & bit::kDischargeMosfet) != 0;
    s.charging = (system & bit::kAcIn) != 0;
    s.discharging = (system & bit::kPackSupplying) != 0;
    if (b[p + 4] & bit::kHardwareFaults) s.protections.set(Alarm::internal_fault);
    s.balancing_mask =
        static_cast<std::uint32_t>(b[p + 5]) | (static_cast<std::uint32_t>(b[p + 6]) << 8);
    map_bits(b[p + 7], kWarn1, s.warnings);
    map_bits(b[p + 8], kWarn2, s.warnings);
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
    if (b[e] & 0x10) s.warnings.set(Alarm::cell_imbalance);     // cell voltage difference
    if (b[e] & 0xEF) s.protections.set(Alarm::internal_fault);  // sensor and switch faults
    map_bits(b[e + 1], kSeplosEvent2Warn, s.warnings);
    map_bits(b[e + 1], kSeplosEvent2Prot, s.protections);
    map_bits(b[e + 2], kSeplosEvent3Warn, s.warnings);
    map_bits(b[e + 2], kSeplosEvent3Prot, s.protections);
    map_bits(b[e + 3], kSeplosEvent4Warn, s.warnings);
    map_bits(b[e + 3], kSeplosEvent4Prot, s.protections);
    map_bits(b[e + 4], kSeplosEvent5Warn, s.warnings);
    map_bits(b[e + 4], kSeplosEvent5Prot, s.protections);
    if (b[e + 5] & 0x01)
        s.protections.set(Alarm::pack_over_voltage);  // charge high-voltage protect
    if (b[e + 5] & 0x04) s.warnings.set(Alarm::low_soc);
    s.discharge_mosfet_on = (b[e + 6] & 0x01) != 0;
    s.charge_mosfet_on = (b[e + 6] & 0x02) != 0;
    s.balancing_mask =
        static_cast<std::uint32_t>(b[e + 7]) | (static_cast<std::uint32_t>(b[e + 8]) << 8);
    s.discharging = (b[e + 9] & 0x01) != 0;
    s.charging = (b[e + 9] & 0x02) != 0;
    return s;
}

void unmap(const AlarmSet& set, Map map, std::uint8_t& into) {
    for (const auto& [mask, alarm] : map) {
        if (set.test(alarm)) into = static_cast<std::uint8_t>(into | mask);
    }
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
    std::uint8_t protect1 = 0, protect2 = 0, warn1 = 0, warn2 = 0;
    unmap(s.protections, kProtect1, protect1);
    protect1 =
        static_cast<std::uint8_t>(protect1 & ~bit::kChargerOverVoltage);  // pack OV uses bit 2
    unmap(s.protections, kProtect2, protect2);
    if (s.fully_charged) protect2 = static_cast<std::uint8_t>(protect2 | bit::kFully);
    unmap(s.warnings, kWarn1, warn1);
    unmap(s.warnings, kWarn2, warn2);
    std::uint8_t system = 0;
    if (s.charge_mosfet_on) system |= bit::kChargeMosfet;
    if (s.discharge_mosfet_on) system |= bit::kDischargeMosfet;
    if (s.charging) system |= bit::kAcIn;
    if (s.discharging) system |= bit::kPackSupplying;
    const std::uint8_t fault =
        s.protections.test(Alarm::internal_fault) ? 0x20 : 0x00;  // AFE fault
    info.insert(info.end(),
                {protect1, protect2, system, 0x00, fault,
                 static_cast<std::uint8_t>(s.balancing_mask & 0xFF),
                 static_cast<std::uint8_t>((s.balancing_mask >> 8) & 0xFF), warn1, warn2});
    return ascii::encode(ascii::Frame{ver, adr, kCid1Battery, 0x00, std::move(info), false});
}

}  // namespace packbridge::protocol::pace
