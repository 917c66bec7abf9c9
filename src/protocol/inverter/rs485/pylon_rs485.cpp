// SPDX-License-Identifier: Apache-2.0
#include "packbridge/protocol/inverter/rs485/pylon_rs485.hpp"

#include <algorithm>
#include <string_view>

#include "packbridge/protocol/inverter/rs485/rs485_view.hpp"
#include "packbridge/protocol/wire_units.hpp"

namespace packbridge::protocol {
namespace {

namespace cmd = pylon_cmd;
using rs485::deci_kelvin;
using wire::round_div;
using wire::to_s16;
using wire::to_u16;

constexpr std::uint8_t kDefaultAddress = 0x02;
constexpr std::uint8_t kGroupStep = 0x10;
constexpr std::size_t kTemperatureCount = 5;       // BMS board + 4 cell groups on a Pylontech pack
constexpr std::uint32_t kU16CapacityMax = 0xFFFF;  // above: 0xFFFF + 24-bit fields (count 4)
constexpr std::uint8_t kUserItemsSmall = 2;
constexpr std::uint8_t kUserItemsLarge = 4;
constexpr std::int32_t kDeciAmpMa = 100;
constexpr std::size_t kNameChars = 10;
constexpr std::size_t kManufacturerChars = 20;
constexpr std::size_t kSerialChars = 16;

class Writer {
  public:
    void u8(std::uint8_t v) { out_.push_back(v); }
    void u16(std::uint16_t v) {
        out_.push_back(static_cast<std::uint8_t>(v >> 8));
        out_.push_back(static_cast<std::uint8_t>(v & 0xFF));
    }
    void s16(std::int16_t v) { u16(static_cast<std::uint16_t>(v)); }
    void u24(std::uint32_t v) {
        out_.push_back(static_cast<std::uint8_t>((v >> 16) & 0xFF));
        u16(static_cast<std::uint16_t>(v & 0xFFFF));
    }
    // ASCII, space padded or cut to n characters.
    void text(std::string_view s, std::size_t n) {
        for (std::size_t i = 0; i < n; ++i)
            out_.push_back(static_cast<std::uint8_t>(i < s.size() ? s[i] : ' '));
    }
    void kelvin(std::int32_t deci_celsius) { s16(to_s16(deci_kelvin(deci_celsius))); }
    std::vector<std::uint8_t> take() { return std::move(out_); }

  private:
    std::vector<std::uint8_t> out_;
};

std::int16_t deci_amps(std::int64_t ma) {
    return to_s16(round_div(ma, kDeciAmpMa));
}

AlarmSet all_alarms(const Battery& b) {
    return b.warnings | b.protections;
}

std::uint8_t status_byte(const Battery& b) {
    std::uint8_t s = 0;
    if (b.charge_enable) s |= pylon_status::charge_enable;
    if (b.discharge_enable) s |= pylon_status::discharge_enable;
    // 0xE0 made an inverter fault (spec 1.7): b5 only for a real force-charge request.
    if (b.force_charge) s |= pylon_status::charge_immediately;
    if (b.full_charge_request) s |= pylon_status::full_charge_request;
    return s;
}

// One 0x42 module block.
struct AnalogBlock {
    std::vector<std::uint16_t> cells;
    std::vector<std::int16_t> temps_dc;
    std::int32_t current_ma;
    std::uint32_t voltage_mv;
    std::uint32_t remaining_mah;
    std::uint32_t full_mah;
    std::uint32_t cycles;
};

void write_analog(Writer& w, const AnalogBlock& a) {
    w.u8(static_cast<std::uint8_t>(a.cells.size()));
    for (const auto c : a.cells)
        w.u16(c);
    w.u8(static_cast<std::uint8_t>(a.temps_dc.size()));
    for (const auto t : a.temps_dc)
        w.kelvin(t);
    w.s16(deci_amps(a.current_ma));
    w.u16(to_u16(a.voltage_mv));
    // Above 65.535 Ah the 16-bit fields read 0xFFFF and the 24-bit fields carry the values.
    if (a.full_mah > kU16CapacityMax || a.remaining_mah > kU16CapacityMax) {
        w.u16(0xFFFF);
        w.u8(kUserItemsLarge);
        w.u16(0xFFFF);
        w.u16(to_u16(a.cycles));
        w.u24(std::min<std::uint32_t>(a.remaining_mah, 0xFFFFFF));
        w.u24(std::min<std::uint32_t>(a.full_mah, 0xFFFFFF));
    } else {
        w.u16(static_cast<std::uint16_t>(a.remaining_mah));
        w.u8(kUserItemsSmall);
        w.u16(static_cast<std::uint16_t>(a.full_mah));
        w.u16(to_u16(a.cycles));
    }
}

AnalogBlock aggregate_analog(const Battery& b) {
    return {rs485::aggregate_cells(b, rs485::cells_per_pack(b)),
            rs485::aggregate_temperatures(b, kTemperatureCount),
            b.current_ma,
            b.voltage_mv,
            b.remaining_mah,
            b.full_mah,
            b.cycles};
}

AnalogBlock module_analog(const Module& m) {
    return {m.cell_mv,       rs485::module_temperatures(m, kTemperatureCount),
            m.current_ma,    m.voltage_mv,
            m.remaining_mah, m.full_mah,
            m.cycles};
}

// One 0x44 block. The state bytes and status bits come from the bank's state: its per-cell
// verdict, the MOSFETs, the current, fullness; Status1 from the protections through the table.
struct AlarmBlock {
    std::vector<std::uint8_t> cell_states;
    std::vector<std::uint8_t> temp_states;
    AlarmSet alarms;  // warnings and protections: the current and voltage state bytes
    AlarmSet protections;
    bool charge_mosfet;
    bool discharge_mosfet;
    bool in_use;
    std::int32_t current_ma;
    bool full;
};

// Status2 and Status3 of 0x44 (Status1 is the table, Status4/5 the per-cell flags).
namespace status2 {
constexpr std::uint8_t using_battery_power = 1U << 3;
constexpr std::uint8_t discharge_mosfet = 1U << 2;
constexpr std::uint8_t charge_mosfet = 1U << 1;
// b0 pre-MOSFET: no pack reports its pre-charge switch to packbridge; never set.
}  // namespace status2
namespace status3 {
constexpr std::uint8_t charging = 1U << 7;
constexpr std::uint8_t discharging = 1U << 6;
constexpr std::uint8_t fully_charged = 1U << 3;
// b5 heater, b0 buzzer: the packs report neither to packbridge; never set.
}  // namespace status3

std::uint8_t range_state(const AlarmSet& s, Alarm high, std::optional<Alarm> low = {}) {
    if (s.test(high)) return rs485::state::high;
    if (low && s.test(*low)) return rs485::state::low;
    return rs485::state::normal;
}

// Status4 (cells 1-8) or Status5 (cells 9-16): bit i set when cell first+i is not normal.
std::uint8_t cell_flags(const std::vector<std::uint8_t>& states, std::size_t first) {
    std::uint8_t v = 0;
    for (std::size_t i = 0; i < 8 && first + i < states.size(); ++i) {
        if (states[first + i] != rs485::state::normal) v = static_cast<std::uint8_t>(v | (1U << i));
    }
    return v;
}

void write_alarm(Writer& w, const AlarmBlock& a) {
    w.u8(static_cast<std::uint8_t>(a.cell_states.size()));
    for (const auto s : a.cell_states)
        w.u8(s);
    w.u8(static_cast<std::uint8_t>(a.temp_states.size()));
    for (const auto s : a.temp_states)
        w.u8(s);
    w.u8(range_state(a.alarms, Alarm::charge_over_current));
    w.u8(range_state(a.alarms, Alarm::pack_over_voltage, Alarm::pack_under_voltage));
    w.u8(range_state(a.alarms, Alarm::discharge_over_current));
    std::uint8_t s2 = 0;
    if (a.in_use) s2 |= status2::using_battery_power;
    if (a.discharge_mosfet) s2 |= status2::discharge_mosfet;
    if (a.charge_mosfet) s2 |= status2::charge_mosfet;
    std::uint8_t s3 = 0;
    if (flow_of(a.current_ma) == Flow::charging) s3 |= status3::charging;
    if (flow_of(a.current_ma) == Flow::discharging) s3 |= status3::discharging;
    if (a.full) s3 |= status3::fully_charged;
    w.u8(static_cast<std::uint8_t>(
        alarm_table::word(pylon_rs485_status1_fields(), 0, a.alarms, a.protections)));
    w.u8(s2);
    w.u8(s3);
    w.u8(cell_flags(a.cell_states, 0));  // Status4: cells 1-8
    w.u8(cell_flags(a.cell_states, 8));  // Status5: cells 9-16
}

AlarmBlock aggregate_alarm(const Battery& b) {
    AlarmBlock a{};
    a.cell_states = rs485::aggregate_cell_states(b, rs485::cells_per_pack(b));
    a.temp_states = rs485::aggregate_temperature_states(b, kTemperatureCount);
    a.alarms = all_alarms(b);
    a.protections = b.protections;
    for (const auto& m : b.modules) {
        a.charge_mosfet = a.charge_mosfet || m.charge_mosfet_on;
        a.discharge_mosfet = a.discharge_mosfet || m.discharge_mosfet_on;
    }
    a.in_use = b.packs_counted > 0;
    a.current_ma = b.current_ma;
    a.full = b.fully_charged;
    return a;
}

// A module's sensors: the hottest shown high while the module reports an over-temperature of
// its cells, the coldest low while it reports an under-temperature.
std::vector<std::uint8_t> module_temperature_states(const Module& m) {
    const auto temps = rs485::module_temperatures(m, kTemperatureCount);
    std::vector<std::uint8_t> out(temps.size(), rs485::state::normal);
    const AlarmSet al = m.warnings | m.protections;
    const auto hottest = std::max_element(temps.begin(), temps.end()) - temps.begin();
    const auto coldest = std::min_element(temps.begin(), temps.end()) - temps.begin();
    if (al.test(Alarm::charge_over_temperature) || al.test(Alarm::discharge_over_temperature))
        out[static_cast<std::size_t>(hottest)] = rs485::state::high;
    if (al.test(Alarm::charge_under_temperature) || al.test(Alarm::discharge_under_temperature))
        out[static_cast<std::size_t>(coldest)] = rs485::state::low;
    return out;
}

AlarmBlock module_alarm(const Module& m) {
    AlarmBlock a{};
    a.cell_states = rs485::module_cell_states(m, m.cell_mv.size());
    a.temp_states = module_temperature_states(m);
    a.alarms = m.warnings | m.protections;
    a.protections = m.protections;
    a.charge_mosfet = m.charge_mosfet_on;
    a.discharge_mosfet = m.discharge_mosfet_on;
    a.in_use = true;
    a.current_ma = m.current_ma;
    a.full = m.fully_charged;
    return a;
}

std::string barcode(const std::string& prefix, std::size_t number) {
    std::string digits = std::to_string(number);
    std::string out = prefix.substr(0, kSerialChars);
    if (out.size() + digits.size() < kSerialChars)
        out.append(kSerialChars - out.size() - digits.size(), '0');
    out += digits;
    return out.substr(0, kSerialChars);
}

}  // namespace

PylonRs485Options pylon_rs485_options(const PylonRs485Config& pylon,
                                      std::optional<std::uint8_t> address, std::string_view name) {
    PylonRs485Options o;
    o.pylon = pylon;
    // A branch, not value_or: with value_or, memcheck reported the address comparison in handle()
    // as depending on the unset optional's uninitialised payload (-O2 build,
    // scripts/valgrind-unit).
    if (address.has_value()) {
        o.address = *address;
    } else {
        o.address = static_cast<std::uint8_t>(kDefaultAddress + kGroupStep * pylon.group);
    }
    if (!name.empty()) o.device_name = std::string(name);
    return o;
}

std::vector<std::uint8_t> PylonRs485Responder::info_for(std::uint8_t cid2, std::uint8_t command,
                                                        const Battery& b) const {
    const auto& p = options_.pylon;
    Writer w;
    switch (cid2) {
        case cmd::protocol_version:
            break;  // the version travels in the reply's VER field; INFO is empty
        case cmd::manufacturer:
            w.text(options_.device_name, kNameChars);
            w.u16(p.software_version);
            w.text(p.manufacturer, kManufacturerChars);
            break;
        case cmd::analog:
            w.u8(0x00);  // INFOFLAG: real captures send 0x00
            if (command == cmd::all_modules) {
                w.u8(static_cast<std::uint8_t>(b.modules.size()));
                for (const auto& m : b.modules)
                    write_analog(w, module_analog(m));
            } else {
                w.u8(command);
                write_analog(w, aggregate_analog(b));
            }
            break;
        case cmd::alarm:
            w.u8(0x00);  // DATAFLAG
            if (command == cmd::all_modules) {
                w.u8(static_cast<std::uint8_t>(b.modules.size()));
                for (const auto& m : b.modules)
                    write_alarm(w, module_alarm(m));
            } else {
                w.u8(command);
                write_alarm(w, aggregate_alarm(b));
            }
            break;
        case cmd::system_parameters: {
            w.u8(0x00);  // INFOFLAG
            w.u16(p.cell_high_mv);
            w.u16(p.cell_low_mv);
            w.u16(p.cell_under_mv);
            w.kelvin(p.charge_temp_high_dc);
            w.kelvin(p.charge_temp_low_dc);
            w.s16(deci_amps(b.charge_current.value));
            w.u16(to_u16(b.charge_voltage.value));
            w.u16(to_u16(b.discharge_voltage.value));
            w.u16(to_u16(std::int64_t{p.cell_under_mv} *
                         static_cast<std::int64_t>(rs485::cells_per_pack(b))));
            w.kelvin(p.discharge_temp_high_dc);
            w.kelvin(p.discharge_temp_low_dc);
            const auto dcl = deci_amps(b.discharge_current.value);
            w.s16(p.dcl_negative ? static_cast<std::int16_t>(-dcl) : dcl);
            break;
        }
        case cmd::management: {
            w.u8(command);
            w.u16(to_u16(b.charge_voltage.value));
            w.u16(to_u16(b.discharge_voltage.value));
            w.s16(deci_amps(b.charge_current.value));
            const auto dcl = deci_amps(b.discharge_current.value);
            w.s16(p.dcl_negative ? static_cast<std::int16_t>(-dcl) : dcl);
            w.u8(status_byte(b));
            break;
        }
        case cmd::serial_number:
            w.u8(command);
            w.text(p.serial, kSerialChars);
            break;
        case cmd::firmware:
            w.u8(command);
            w.u16(p.software_version);
            w.u24(p.mainline_version);
            break;
        case cmd::system_info:
            w.text(options_.device_name, kNameChars);
            w.text(p.manufacturer, kManufacturerChars);
            w.u16(p.software_version);
            w.u8(static_cast<std::uint8_t>(b.modules.size()));
            for (std::size_t i = 0; i < b.modules.size(); ++i)
                w.text(barcode(p.module_barcode_prefix, i + 1), kSerialChars);
            break;
        case cmd::system_analog: {
            w.u16(to_u16(b.voltage_mv));
            w.s16(
                to_s16(round_div(b.current_ma, std::max<std::uint32_t>(p.current_61_unit_ma, 1))));
            w.u8(static_cast<std::uint8_t>(b.soc_pct()));
            std::uint64_t cycle_sum = 0;
            std::uint16_t soh_min = b.soh_pct();
            for (const auto& m : b.modules) {
                cycle_sum += m.cycles;
                soh_min = std::min<std::uint16_t>(
                    soh_min, static_cast<std::uint16_t>((m.soh_centi + 50) / 100));
            }
            const auto avg_cycles = b.modules.empty()
                                        ? b.cycles
                                        : static_cast<std::uint32_t>(round_div(
                                              static_cast<std::int64_t>(cycle_sum),
                                              static_cast<std::int64_t>(b.modules.size())));
            w.u16(to_u16(avg_cycles));
            w.u16(to_u16(b.cycles));
            w.u8(static_cast<std::uint8_t>(b.soh_pct()));
            w.u8(static_cast<std::uint8_t>(soh_min));
            w.u16(b.cell_max_mv);
            w.u16(rs485::position_word(b, b.cell_max_at));
            w.u16(b.cell_min_mv);
            w.u16(rs485::position_word(b, b.cell_min_at));
            w.kelvin(b.temp_mean_dc);
            w.kelvin(b.temp_max_dc);
            w.u16(rs485::position_word(b, b.temp_max_at));
            w.kelvin(b.temp_min_dc);
            w.u16(rs485::position_word(b, b.temp_min_at));
            // MOSFET, then BMS board: the Battery has one board sensor per pack (the MOSFET),
            // so both groups carry it; without one, the cell temperatures stand in.
            auto mos = rs485::mosfet_temperatures(b);
            if (!mos.present) {
                mos = {b.temp_mean_dc, b.temp_max_dc, b.temp_min_dc,
                       b.temp_max_at,  b.temp_min_at, true};
            }
            for (int group = 0; group < 2; ++group) {
                w.kelvin(mos.mean);
                w.kelvin(mos.max);
                w.u16(rs485::position_word(b, mos.max_at));
                w.kelvin(mos.min);
                w.u16(rs485::position_word(b, mos.min_at));
            }
            break;
        }
        case cmd::system_alarm:
            // alarm1, alarm2, protect1, protect2 through the table.
            for (std::uint16_t i = 0; i < 4; ++i) {
                w.u8(static_cast<std::uint8_t>(alarm_table::word(pylon_rs485_system_alarm_fields(),
                                                                 i, b.warnings, b.protections)));
            }
            break;
        case cmd::system_management: {
            const auto unit =
                static_cast<std::int64_t>(std::max<std::uint32_t>(p.current_63_unit_ma, 1));
            w.u16(to_u16(b.charge_voltage.value));
            w.u16(to_u16(b.discharge_voltage.value));
            w.u16(to_u16(round_div(b.charge_current.value, unit)));
            w.u16(to_u16(round_div(b.discharge_current.value, unit)));
            w.u8(status_byte(b));
            break;
        }
        default:
            break;
    }
    return w.take();
}

Rs485Outcome PylonRs485Responder::handle(std::span<const std::uint8_t> request,
                                         const Battery& battery, TimePoint) {
    const std::string_view raw(reinterpret_cast<const char*>(request.data()), request.size());
    auto decoded = ascii::decode(raw);
    if (!decoded) return {Rs485Outcome::Kind::malformed, std::nullopt, decoded.error().describe()};
    const auto& f = *decoded;
    const std::string what = "CID2 0x" + ascii::to_hex(std::span<const std::uint8_t>(&f.cid2, 1)) +
                             " ADR 0x" + ascii::to_hex(std::span<const std::uint8_t>(&f.adr, 1));
    const bool ours = f.adr == options_.address || (f.adr == 0x00 && options_.pylon.answer_adr0);
    if (!ours) return {Rs485Outcome::Kind::not_for_us, std::nullopt, what};
    if (f.cid1 != cmd::cid1_battery) {
        return {Rs485Outcome::Kind::malformed, std::nullopt,
                what + ": CID1 0x" + ascii::to_hex(std::span<const std::uint8_t>(&f.cid1, 1)) +
                    " is not 0x46"};
    }
    if (!battery.transmit) return {Rs485Outcome::Kind::silenced, std::nullopt, what};

    ascii::Frame reply;
    reply.ver = options_.pylon.ver;
    reply.adr = f.adr;
    reply.cid1 = cmd::cid1_battery;
    switch (f.cid2) {
        case cmd::protocol_version:
        case cmd::manufacturer:
        case cmd::analog:
        case cmd::alarm:
        case cmd::system_parameters:
        case cmd::management:
        case cmd::serial_number:
        case cmd::firmware:
        case cmd::system_info:
        case cmd::system_analog:
        case cmd::system_alarm:
        case cmd::system_management: {
            const std::uint8_t command = f.info.empty() ? options_.address : f.info.front();
            reply.cid2 = pylon_rtn::normal;
            reply.info = info_for(f.cid2, command, battery);
            break;
        }
        default:
            reply.cid2 = pylon_rtn::cid2_invalid;
            break;
    }
    const auto text = ascii::encode(reply);
    return {Rs485Outcome::Kind::answered, std::vector<std::uint8_t>(text.begin(), text.end()),
            what + (reply.cid2 == pylon_rtn::normal ? "" : ": unsupported, RTN 04")};
}

}  // namespace packbridge::protocol
