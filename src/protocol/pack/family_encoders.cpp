// SPDX-License-Identifier: Apache-2.0
// Replies of the Seplos v2, Pylontech and EG4 families as those packs send them, for the
// simulator and round-trip tests. The layouts follow the captured frames of pack-protocol.md
// section 5: Seplos F-08 / F-24, Pylontech F-12 / section 3.12, EG4 F-18 / F-26 (same lengths,
// same field order); the decoders in pace_*.cpp read them back.
#include <algorithm>
#include <array>

#include "pace_internal.hpp"
#include "packbridge/protocol/pack/families.hpp"
#include "packbridge/protocol/wire_units.hpp"

namespace packbridge::protocol::pace {
namespace {

using wire::round_div;

class Info {
  public:
    void u8(unsigned v) { b_.push_back(static_cast<std::uint8_t>(v)); }
    void u16(std::int64_t v) {
        const auto w = static_cast<std::uint16_t>(v);
        u8(w >> 8);
        u8(w & 0xFFU);
    }
    void u24(std::uint32_t v) {
        u8((v >> 16) & 0xFFU);
        u16(v & 0xFFFFU);
    }
    void u32(std::uint32_t v) {
        u16(v >> 16);
        u16(v & 0xFFFFU);
    }
    void zeros(std::size_t n) { b_.insert(b_.end(), n, 0); }
    void text(const std::string& s, std::size_t n) {
        for (std::size_t i = 0; i < n; ++i)
            u8(i < s.size() ? static_cast<unsigned char>(s[i]) : ' ');
    }
    void bytes(std::span<const std::uint8_t> b) { b_.insert(b_.end(), b.begin(), b.end()); }
    std::vector<std::uint8_t>& data() { return b_; }

  private:
    std::vector<std::uint8_t> b_;
};

std::string frame(std::uint8_t ver, std::uint8_t cid1, std::uint8_t adr, Info& info) {
    return ascii::encode(ascii::Frame{ver, adr, cid1, 0x00, std::move(info.data()), false});
}

// The 0x42 head every family shares: flag, group, the cell count and each cell in mV.
Info analog_head(std::uint8_t flag, std::uint8_t adr, const PackAnalog& a) {
    Info info;
    info.u8(flag);
    info.u8(adr);
    info.u8(static_cast<unsigned>(a.cell_mv.size()));
    for (const auto mv : a.cell_mv)
        info.u16(mv);
    return info;
}

void temp(Info& info, std::int16_t dc) {
    info.u16(dc + detail::kKelvinOffsetV20);
}

// The 0x44 head every family shares: flag, group, M state codes, N state codes (all normal).
Info status_head(std::uint8_t flag, std::uint8_t adr, std::size_t cells, std::size_t states,
                 std::uint8_t n_byte) {
    Info info;
    info.u8(flag);
    info.u8(adr);
    info.u8(static_cast<unsigned>(cells));
    info.zeros(cells);
    info.u8(n_byte);
    info.zeros(states);
    return info;
}

// A family's alarm and protection bytes of a 0x44 reply, from its alarm table (alarm_tables.cpp);
// the family's encoder adds the MOSFET and state bits its layout keeps in the same block.
template <std::size_t N>
std::array<std::uint8_t, N> alarm_block(Dialect family, const PackStatus& s) {
    std::array<std::uint8_t, N> block{};
    encode_alarm_table(alarm_table(family), s, block);
    return block;
}

}  // namespace

std::string encode_seplos_analog_reply(std::uint8_t ver, std::uint8_t adr, const PackAnalog& a,
                                       TailVariant) {
    // F-08: flag 00, group, cells, T1-T4 + ambient + power, I 10 mA, U 10 mV, remaining, P=10.
    Info info = analog_head(0x00, adr, a);
    const bool extra = a.ambient_temp_dc && a.mosfet_temp_dc;
    info.u8(static_cast<unsigned>(a.cell_temp_dc.size() + (extra ? 2 : 0)));
    for (const auto t : a.cell_temp_dc)
        temp(info, t);
    if (extra) {
        temp(info, *a.ambient_temp_dc);
        temp(info, *a.mosfet_temp_dc);
    }
    info.u16(round_div(a.current_ma, 10));
    info.u16(round_div(a.voltage_mv, 10));
    info.u16(a.remaining_mah / 10);
    info.u8(10);
    info.u16(a.full_mah / 10);
    const auto soc_pm = a.full_mah == 0 ? 0 : a.remaining_mah * 1000ULL / a.full_mah;
    info.u16(static_cast<std::int64_t>(a.soc_pct ? *a.soc_pct * 10U : soc_pm));
    info.u16(a.design_mah / 10);
    info.u16(a.cycles);
    info.u16(a.soh_pct.value_or(100) * 10);
    info.u16(round_div(a.voltage_mv, 10));  // port voltage: the pack's own on a healthy bus
    info.zeros(8);                          // 4 reserved words
    return frame(ver, kCid1Battery, adr, info);
}

std::string encode_seplos_status_reply(std::uint8_t ver, std::uint8_t adr, const PackStatus& s,
                                       std::size_t cells, std::size_t temps) {
    // F-24/F-25: head, current state, voltage state, P = 0x14, the 20-byte block.
    Info info = status_head(0x00, adr, cells, temps, static_cast<std::uint8_t>(temps));
    info.zeros(2);
    info.u8(0x14);
    auto block = alarm_block<20>(Dialect::seplos, s);
    block[6] = static_cast<std::uint8_t>((s.discharge_mosfet_on ? 0x01 : 0) |
                                         (s.charge_mosfet_on ? 0x02 : 0));
    block[7] = static_cast<std::uint8_t>(s.balancing_mask & 0xFF);
    block[8] = static_cast<std::uint8_t>((s.balancing_mask >> 8) & 0xFF);
    block[9] = static_cast<std::uint8_t>((s.discharging ? 0x01 : 0) | (s.charging ? 0x02 : 0) |
                                         (!s.discharging && !s.charging ? 0x10 : 0));
    info.bytes(block);
    return frame(ver, kCid1Battery, adr, info);
}

std::string encode_pylon_analog_reply(std::uint8_t ver, std::uint8_t adr, const PackAnalog& a,
                                      TailVariant) {
    // F-12: flag 0x11, command value, cells, BMS board + cell-group temperatures, I 100 mA,
    // U mV, remaining mAh, P=2 (or P=4 above 65 Ah with 3-byte capacities after the cycles).
    Info info = analog_head(0x11, adr, a);
    info.u8(static_cast<unsigned>(a.cell_temp_dc.size() + 1));
    temp(info, a.ambient_temp_dc.value_or(a.cell_temp_dc.empty() ? 250 : a.cell_temp_dc[0]));
    for (const auto t : a.cell_temp_dc)
        temp(info, t);
    info.u16(round_div(a.current_ma, 100));
    info.u16(a.voltage_mv);
    const bool big = a.full_mah > 0xFFFF || a.remaining_mah > 0xFFFF;
    info.u16(big ? 0xFFFF : a.remaining_mah);
    info.u8(big ? 4 : 2);
    info.u16(big ? 0xFFFF : a.full_mah);
    info.u16(a.cycles);
    if (big) {
        info.u24(a.remaining_mah);
        info.u24(a.full_mah);
    }
    return frame(ver, kCid1Battery, adr, info);
}

std::string encode_pylon_status_reply(std::uint8_t ver, std::uint8_t adr, const PackStatus& s,
                                      std::size_t cells, std::size_t temps) {
    // Section 3.12: head, charge-current, module-voltage, discharge-current states, Status1-5.
    Info info = status_head(0x10, adr, cells, temps, static_cast<std::uint8_t>(temps));
    info.zeros(3);
    auto block = alarm_block<5>(Dialect::pylontech, s);
    block[1] = static_cast<std::uint8_t>((s.discharge_mosfet_on ? 0x04 : 0) |
                                         (s.charge_mosfet_on ? 0x02 : 0));
    block[2] = static_cast<std::uint8_t>((s.charging ? 0x80 : 0) | (s.discharging ? 0x40 : 0) |
                                         (s.fully_charged ? 0x08 : 0));
    info.bytes(block);
    return frame(ver, kCid1Battery, adr, info);
}

std::string encode_eg4_analog_reply(std::uint8_t ver, std::uint8_t adr, const PackAnalog& a,
                                    TailVariant) {
    // F-18: flag 0x10, group, cells, count byte 4 with T1-T4 + MOSFET + ambient, I 10 mA,
    // U 10 mV, remaining, full (10 mAh), cycles, UD 0x0F, SOC, SOH, then 36 bytes of extremes
    // and cumulative counters.
    Info info = analog_head(0x10, adr, a);
    info.u8(4);
    for (std::size_t i = 0; i < 4; ++i)
        temp(info, i < a.cell_temp_dc.size() ? a.cell_temp_dc[i] : std::int16_t{250});
    temp(info, a.mosfet_temp_dc.value_or(250));
    temp(info, a.ambient_temp_dc.value_or(250));
    info.u16(round_div(a.current_ma, 10));
    info.u16(round_div(a.voltage_mv, 10));
    info.u16(a.remaining_mah / 10);
    info.u16(a.full_mah / 10);
    info.u16(a.cycles);
    info.u8(0x0F);
    const auto soc = a.full_mah == 0 ? 0 : (a.remaining_mah * 100ULL + a.full_mah / 2) / a.full_mah;
    info.u16(static_cast<std::int64_t>(a.soc_pct.value_or(static_cast<std::uint8_t>(soc))));
    info.u16(a.soh_pct.value_or(100));
    const auto [lo, hi] = std::minmax_element(a.cell_mv.begin(), a.cell_mv.end());
    const unsigned max_mv = a.cell_mv.empty() ? 0 : *hi, min_mv = a.cell_mv.empty() ? 0 : *lo;
    info.u16(max_mv);
    info.u16(min_mv);
    info.u16(max_mv - min_mv);
    std::int16_t tmax = 250, tmin = 250;
    if (!a.cell_temp_dc.empty()) {
        tmax = *std::max_element(a.cell_temp_dc.begin(), a.cell_temp_dc.end());
        tmin = *std::min_element(a.cell_temp_dc.begin(), a.cell_temp_dc.end());
    }
    temp(info, tmax);
    temp(info, tmin);
    info.zeros(28);  // cumulative Ah, Wh, hours and counts: not simulated
    return frame(ver, kCid1Eg4, adr, info);
}

std::string encode_eg4_status_reply(std::uint8_t ver, std::uint8_t adr, const PackStatus& s,
                                    std::size_t cells, std::size_t) {
    // F-26: head (count byte 4, six states), current state, voltage state, UD 9, balance,
    // voltage, temperature (u16), current, capacity events, FET status, system status,
    // balancing (u32), one reserved byte.
    Info info = status_head(0x10, adr, cells, 6, 4);
    info.u8(0);
    info.u8(0);
    info.u8(9);
    info.bytes(alarm_block<6>(Dialect::eg4, s));
    info.u8((s.discharge_mosfet_on ? 0x01U : 0U) | (s.charge_mosfet_on ? 0x02U : 0U));
    info.u8((s.discharging ? 0x01U : 0U) | (s.charging ? 0x02U : 0U));
    info.u32(s.balancing_mask);
    info.u8(0);
    return frame(ver, kCid1Eg4, adr, info);
}

std::string encode_manufacturer_reply(std::uint8_t ver, std::uint8_t cid1, std::uint8_t adr,
                                      const std::string& model, std::uint8_t version_high,
                                      std::uint8_t version_low, const std::string& manufacturer) {
    // F-34: device name (10), version (2), manufacturer (20).
    Info info;
    info.text(model, 10);
    info.u8(version_high);
    info.u8(version_low);
    info.text(manufacturer, 20);
    return frame(ver, cid1, adr, info);
}

std::string encode_pylon_serial_reply(std::uint8_t ver, std::uint8_t adr,
                                      const std::string& serial) {
    Info info;
    info.u8(adr);
    info.text(serial, 16);
    return frame(ver, kCid1Battery, adr, info);
}

std::string encode_pylon_firmware_reply(std::uint8_t ver, std::uint8_t adr,
                                        std::span<const std::uint8_t, 5> version) {
    Info info;
    info.u8(adr);
    info.bytes(version);
    return frame(ver, kCid1Battery, adr, info);
}

std::string encode_family_error_reply(const PackFamily& family, std::uint8_t ver, std::uint8_t adr,
                                      std::uint8_t rtn) {
    return ascii::encode(ascii::Frame{ver, adr, family.cid1, rtn, {}, false});
}

}  // namespace packbridge::protocol::pace
