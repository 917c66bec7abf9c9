// SPDX-License-Identifier: Apache-2.0
#include "packbridge/sim/sim_pack.hpp"

#include <algorithm>
#include <numeric>

namespace packbridge::sim {

namespace {

// Open-circuit voltage of an LFP cell at a SOC, mV (flat middle, steep ends).
std::int32_t lfp_ocv_mv(std::uint32_t soc_pct) {
    if (soc_pct < 10) {
        return 3000 + static_cast<std::int32_t>(soc_pct) * 20;  // 3000..3180
    }
    if (soc_pct > 90) {
        return 3340 + static_cast<std::int32_t>(soc_pct - 90) * 10;  // 3340..3440
    }
    return 3200 + static_cast<std::int32_t>((soc_pct - 10) * 140 / 80);  // 3200..3340
}

// rng() % n as the 32-bit value it is.
std::uint32_t draw(std::mt19937& rng, std::uint32_t n) {
    return static_cast<std::uint32_t>(rng() % n);
}

}  // namespace

SimPack SimPack::make(std::uint8_t address, std::uint32_t seed) {
    std::mt19937 rng(seed * 131U + address);
    SimPack pack;
    pack.address = address;
    static constexpr protocol::pace::TailVariant kTails[] = {protocol::pace::TailVariant::p3,
                                                             protocol::pace::TailVariant::p2_soc,
                                                             protocol::pace::TailVariant::p9};
    pack.tail = kTails[address % 3];
    auto& a = pack.analog;
    a.full_mah = 100'000 + (draw(rng, 500)) * 10;  // ~100 Ah in 10 mAh steps
    a.design_mah = 100'000;
    a.remaining_mah = (a.full_mah * (30 + address * 3) / 100) / 10 * 10;
    a.cycles = 10 + draw(rng, 300);
    a.current_ma =
        (address % 2 == 0 ? 1 : -1) * static_cast<std::int32_t>((500 + draw(rng, 2000)) * 10);
    pack.cell_offset_mv.resize(16);
    for (auto& off : pack.cell_offset_mv) {
        off = static_cast<std::int16_t>(static_cast<int>(draw(rng, 21)) - 10);
    }
    a.cell_temp_dc = {static_cast<std::int16_t>(200 + draw(rng, 60)),
                      static_cast<std::int16_t>(200 + draw(rng, 60)),
                      static_cast<std::int16_t>(200 + draw(rng, 60)),
                      static_cast<std::int16_t>(200 + draw(rng, 60))};
    a.mosfet_temp_dc = static_cast<std::int16_t>(250 + draw(rng, 80));
    a.ambient_temp_dc = static_cast<std::int16_t>(180 + draw(rng, 60));
    pack.identity.firmware = "P16S100A-SIM-" + std::to_string(address) + ".00";
    pack.identity.serial = "SIM" + std::to_string(20240000 + address * 7);
    pack.status.charge_mosfet_on = true;
    pack.status.discharge_mosfet_on = true;
    pack.refresh();
    return pack;
}

void SimPack::refresh() {
    auto& a = analog;
    const auto soc =
        a.full_mah == 0 ? 0U : static_cast<std::uint32_t>(a.remaining_mah * 100ULL / a.full_mah);
    const auto ocv = lfp_ocv_mv(soc);
    // IR drop: 1 mOhm per cell, so a charging pack reads a little higher.
    const auto ir = a.current_ma / 1000;
    a.cell_mv.resize(cell_offset_mv.size());
    for (std::size_t i = 0; i < cell_offset_mv.size(); ++i) {
        a.cell_mv[i] =
            static_cast<std::uint16_t>(std::clamp(ocv + ir + cell_offset_mv[i], 2500, 3650));
    }
    a.voltage_mv = std::accumulate(a.cell_mv.begin(), a.cell_mv.end(), 0U);
    a.current_ma = a.current_ma / 10 * 10;  // wire unit is 10 mA
    if (tail != protocol::pace::TailVariant::p3) {
        a.soc_pct = static_cast<std::uint8_t>(std::min(soc, 100U));
    } else {
        a.soc_pct.reset();
    }
    if (tail == protocol::pace::TailVariant::p9) {
        a.soh_pct = static_cast<std::uint8_t>(
            std::min<std::uint64_t>(100, a.full_mah * 100ULL / a.design_mah));
    } else {
        a.soh_pct.reset();
    }
    status.charging = a.current_ma > 0;
    status.discharging = a.current_ma < 0;
}

void SimPack::evolve(std::uint32_t dt_ms, std::mt19937& rng) {
    auto& a = analog;
    // mAh = mA * h; keep the remainder implicit by rounding to the wire's 10 mAh.
    const std::int64_t delta = static_cast<std::int64_t>(a.current_ma) * dt_ms / 3'600'000;
    std::int64_t remaining =
        static_cast<std::int64_t>(a.remaining_mah) + delta * 10;  // sped up x10 so tests see change
    remaining = std::clamp<std::int64_t>(remaining, 0, a.full_mah);
    a.remaining_mah = static_cast<std::uint32_t>(remaining / 10 * 10);
    const auto soc = a.remaining_mah * 100ULL / std::max<std::uint32_t>(a.full_mah, 1);
    if ((a.current_ma > 0 && soc >= 95) || (a.current_ma < 0 && soc <= 15)) {
        a.current_ma = -a.current_ma;  // the inverter turns round
        if (a.current_ma > 0) {
            ++a.cycles;
        }
    }
    for (auto& t : a.cell_temp_dc) {
        t = static_cast<std::int16_t>(std::clamp(t + static_cast<int>(draw(rng, 3)) - 1, 100, 450));
    }
    refresh();
}

std::optional<std::string> encode_reply(const SimPack& pack, const protocol::ascii::Frame& request,
                                        std::uint8_t ver) {
    namespace pace = protocol::pace;
    if (pack.faults.silent) {
        return std::nullopt;
    }
    std::string reply;
    if (pack.faults.error_rtn != 0) {
        reply = pace::encode_error_reply(ver, pack.address, pack.faults.error_rtn);
    } else {
        switch (request.cid2) {
            case pace::kCidAnalog:
                reply = pace::encode_analog_reply(ver, pack.address, pack.analog, pack.tail);
                break;
            case pace::kCidStatus:
                reply = pace::encode_status_reply(ver, pack.address, pack.status,
                                                  pack.analog.cell_mv.size(),
                                                  pack.analog.cell_temp_dc.size() + 2);
                break;
            case pace::kCidFirmware:
                reply = pace::encode_firmware_reply(ver, pack.address, pack.identity.firmware);
                break;
            case pace::kCidSerial:
                reply = pace::encode_serial_reply(ver, pack.address, pack.identity.serial);
                break;
            default:
                reply = pace::encode_error_reply(ver, pack.address, 0x04);  // CID2 not supported
                break;
        }
    }
    if (pack.faults.bad_checksum && reply.size() > 2) {
        // Change the last CHKSUM digit to another hex digit.
        char& c = reply[reply.size() - 2];
        c = (c == '0') ? '1' : '0';
    }
    return reply;
}

}  // namespace packbridge::sim
