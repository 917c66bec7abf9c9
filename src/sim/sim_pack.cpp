// SPDX-License-Identifier: Apache-2.0
#include "packbridge/sim/sim_pack.hpp"

#include <algorithm>
#include <array>
#include <cstdio>
#include <numeric>

#include "packbridge/protocol/pack/families.hpp"

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

void corrupt_checksum(std::string& reply) {
    if (reply.size() > 2) {
        // Change the last CHKSUM digit to another hex digit.
        char& c = reply[reply.size() - 2];
        c = (c == '0') ? '1' : '0';
    }
}

// Seplos, Pylontech and EG4 packs: their own VER and CID1, layouts and identity commands.
std::optional<std::string> encode_family_reply(const SimPack& pack,
                                               const protocol::ascii::Frame& request) {
    namespace pace = protocol::pace;
    const auto& f = pace::pack_family(pack.family);
    if (request.cid1 != f.cid1) return std::nullopt;  // another device type: not for us
    const auto ver = f.ver;
    const auto adr = pack.address;
    std::string reply;
    const auto& a = pack.analog;
    if (request.ver != f.ver) {
        reply = pace::encode_family_error_reply(f, ver, adr, 0x01);  // VER error
    } else if (pack.faults.error_rtn != 0) {
        reply = pace::encode_family_error_reply(f, ver, adr, pack.faults.error_rtn);
    } else if (request.cid2 == pace::kCidAnalog) {
        reply = f.encode_analog(ver, adr, a, pack.tail);
    } else if (request.cid2 == pace::kCidStatus) {
        const std::size_t temps =
            a.cell_temp_dc.size() + (a.mosfet_temp_dc ? 1 : 0) + (a.ambient_temp_dc ? 1 : 0);
        reply = f.encode_status(ver, adr, pack.status, a.cell_mv.size(), temps);
    } else if (request.cid2 == pace::kCidManufacturer) {
        // The version bytes are the identity's "major.minor" (Pylontech: before its " (main").
        unsigned high = 0, low = 0;
        std::sscanf(pack.identity.firmware.c_str(), "%u.%u", &high, &low);
        reply = pace::encode_manufacturer_reply(
            ver, f.cid1, adr, pack.identity.model, static_cast<std::uint8_t>(high),
            static_cast<std::uint8_t>(low), pack.identity.manufacturer);
    } else if (request.cid2 == pace::kCidPylonSerial && pack.family == pace::Dialect::pylontech) {
        reply = pace::encode_pylon_serial_reply(ver, adr, pack.identity.serial);
    } else if (request.cid2 == pace::kCidPylonFirmware && pack.family == pace::Dialect::pylontech) {
        static constexpr std::array<std::uint8_t, 5> kVersion = {1, 2, 1, 10, 3};
        reply = pace::encode_pylon_firmware_reply(ver, adr, kVersion);
    } else {
        reply = pace::encode_family_error_reply(f, ver, adr, 0x04);  // CID2 not supported
    }
    if (pack.faults.bad_checksum) corrupt_checksum(reply);
    return reply;
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
    using protocol::pace::Dialect;
    if (family != Dialect::pace) {
        status.charging = a.current_ma > 0;
        status.discharging = a.current_ma < 0;
    }
    switch (family) {
        case Dialect::pace:
            break;
        case Dialect::seplos:
            a.voltage_mv = a.voltage_mv / 10 * 10;  // 10 mV
            a.soc_pct = static_cast<std::uint8_t>(std::min(soc, 100U));
            a.soh_pct = static_cast<std::uint8_t>(
                std::min<std::uint64_t>(100, a.full_mah * 100ULL / a.design_mah));
            return;
        case Dialect::pylontech:
            a.current_ma = a.current_ma / 100 * 100;  // 100 mA
            status.charging = a.current_ma > 0;
            status.discharging = a.current_ma < 0;
            a.soc_pct.reset();  // neither in the record: derived from remaining / total
            a.soh_pct.reset();
            return;
        case Dialect::eg4:
            a.voltage_mv = a.voltage_mv / 10 * 10;
            a.soc_pct = static_cast<std::uint8_t>(
                std::min<std::uint64_t>(100, (a.remaining_mah * 100ULL + a.full_mah / 2) /
                                                 std::max<std::uint32_t>(a.full_mah, 1)));
            return;
    }
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

void SimPack::set_family(protocol::pace::Dialect f) {
    using protocol::pace::Dialect;
    family = f;
    auto& a = analog;
    const auto soc_pm = a.full_mah == 0 ? 0 : a.remaining_mah * 1000ULL / a.full_mah;
    switch (f) {
        case Dialect::pace:
            break;
        case Dialect::seplos:
            a.design_mah = 180'000;
            a.full_mah = 170'000;
            identity.model = "1101-SP15";
            identity.firmware = "2.7";
            identity.manufacturer = "CANProtocol:Sofar";
            break;
        case Dialect::pylontech:
            a.design_mah = 0;  // not in any Pylontech reply
            a.full_mah = 74'000;
            a.mosfet_temp_dc.reset();  // BMS board + four cell groups, like F-12's US3000
            identity.model = "US3000C";
            identity.firmware = "1.2 (main 1.10.3)";
            identity.manufacturer = "PYLON";
            identity.serial = "PPTAH0" + std::to_string(2000000000 + address);
            break;
        case Dialect::eg4:
            a.design_mah = 0;  // EG4 sends SOH instead
            a.full_mah = 98'600;
            a.soh_pct = 98;
            identity.model = "LifePower4";
            identity.firmware = "1.0";
            identity.manufacturer = "EG4";
            break;
    }
    a.remaining_mah = static_cast<std::uint32_t>(a.full_mah * soc_pm / 1000 / 10 * 10);
    if (f != Dialect::pace) identity.family = protocol::pace::pack_family(f).name;
    refresh();
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
    if (pack.family != pace::Dialect::pace) return encode_family_reply(pack, request);
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
