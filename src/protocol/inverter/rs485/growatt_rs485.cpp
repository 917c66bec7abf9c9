// SPDX-License-Identifier: Apache-2.0
#include "packbridge/protocol/inverter/rs485/growatt_rs485.hpp"

#include <algorithm>
#include <cstdio>
#include <iterator>
#include <string>
#include <vector>

#include "packbridge/protocol/inverter/rs485/rs485_view.hpp"
#include "packbridge/protocol/wire_units.hpp"

namespace packbridge::protocol {
namespace {

using namespace growatt_reg;
namespace st = growatt_status;

constexpr std::uint16_t kVersions = 0x0101;      // hardware 1 (high byte), software 1 (low byte)
constexpr std::uint16_t kSohValueMask = 0x007F;  // b0-6 value, b7 flag

std::uint16_t state_code(Flow flow) {
    switch (flow) {
        case Flow::charging:
            return st::state_charging;
        case Flow::discharging:
            return st::state_discharging;
        case Flow::idle:
            break;
    }
    return st::state_standby;
}

std::uint16_t status_word(const Battery& b, std::uint16_t errors) {
    const auto state = state_code(b.flow());
    std::uint16_t w = state;
    w |= static_cast<std::uint16_t>(state << st::sp_status_shift);
    if (errors != 0) w |= st::error_valid;
    if (std::any_of(b.modules.begin(), b.modules.end(),
                    [](const Module& m) { return m.balancing_mask != 0; })) {
        w |= st::balancing;
    }
    if (b.discharge_enable) w |= st::discharge_enabled;
    if (b.charge_enable) w |= st::charge_enabled;
    // b7 = 0: terminal connected (the document's coding; ai-republic's 1 is the opposite).
    if (b.force_charge) w |= st::force_charge;
    return w;
}

// The quantity registers and the range each one is sent in. The document marks 0x0010, 0x0017
// (10 mA, two's complement) and 0x0018 (whole degrees C, -127..127) signed; the others carry no
// sign and 0x0023 is "positive", yet a 400 A limit (40000) or a 409.84 Ah capacity (40984) was
// read as negative by a signed reader. 0..32767 reads the same signed or unsigned, and is far
// above anything an SPF uses (327.67 A, 327.67 Ah, 327.67 V), so every unsigned quantity is
// kept there: clamped, never wrapped, and reported through clamped_registers().
struct RegisterRange {
    std::uint16_t address;
    std::string_view what;  // for the clamp note
    double scale;           // register unit in the note's unit
    std::string_view unit;
    std::int64_t lo;
    std::int64_t hi;
};
constexpr std::int64_t kS16Min = -32768;
constexpr std::int64_t kS16Max = 32767;
constexpr std::int64_t kTempLimit = 127;
constexpr RegisterRange kRanges[] = {
    {current, "current", 0.01, "A", kS16Min, kS16Max},
    {voltage, "voltage", 0.01, "V", 0, kS16Max},
    {current2, "current", 0.01, "A", kS16Min, kS16Max},
    {temperature, "temperature", 1, "C", -kTempLimit, kTempLimit},
    {charge_limit, "max charge current", 0.01, "A", 0, kS16Max},
    {remaining, "remaining capacity", 0.01, "Ah", 0, kS16Max},
    {full, "full capacity", 0.01, "Ah", 0, kS16Max},
    {cell_delta, "cell delta", 1, "mV", 0, kS16Max},
    {cycles, "cycle count", 1, "", 0, kS16Max},
    {charge_voltage, "charge voltage", 0.01, "V", 0, kS16Max},
    {discharge_limit, "max discharge current", 0.01, "A", 0, kS16Max},
    {cell_max, "max cell voltage", 1, "mV", 0, kS16Max},
    {cell_min, "min cell voltage", 1, "mV", 0, kS16Max},
};

std::string format_limit(const RegisterRange& r, std::int64_t value) {
    char buf[48];
    std::snprintf(buf, sizeof buf, r.scale < 1 ? "%.2f%s%s" : "%.0f%s%s",
                  static_cast<double>(value) * r.scale, r.unit.empty() ? "" : " ",
                  std::string(r.unit).c_str());
    return buf;
}

// Values in register units before they are fitted to their registers.
struct Quantities {
    std::int64_t values[std::size(kRanges)] = {};
    void set(std::uint16_t address, std::int64_t value) {
        for (std::size_t i = 0; i < std::size(kRanges); ++i)
            if (kRanges[i].address == address) values[i] = value;
    }
};

Quantities quantities(const Battery& b) {
    using wire::round_div;
    Quantities q;
    q.set(current, round_div(b.current_ma, 10));
    q.set(voltage, round_div(b.voltage_mv, 10));
    q.set(current2, round_div(b.current_ma, 10));
    q.set(temperature, round_div(b.temp_mean_dc, 10));
    q.set(charge_limit, round_div(b.charge_current.value, 10));
    q.set(remaining, round_div(b.remaining_mah, 10));
    q.set(full, round_div(b.full_mah, 10));
    q.set(cell_delta, b.cell_max_mv >= b.cell_min_mv ? b.cell_max_mv - b.cell_min_mv : 0);
    q.set(cycles, b.cycles);
    q.set(charge_voltage, round_div(b.charge_voltage.value, 10));
    q.set(discharge_limit, round_div(b.discharge_current.value, 10));
    q.set(cell_max, b.cell_max_mv);
    q.set(cell_min, b.cell_min_mv);
    return q;
}

std::vector<std::uint16_t> build_map(const Battery& b) {
    std::vector<std::uint16_t> m(std::size_t{last} + 1, 0);
    const auto q = quantities(b);
    for (std::size_t i = 0; i < std::size(kRanges); ++i) {
        const auto& r = kRanges[i];
        // Two's complement for the signed ones; the others are already >= 0.
        m[r.address] = static_cast<std::uint16_t>(
            static_cast<std::int16_t>(std::clamp(q.values[i], r.lo, r.hi)));
    }
    const auto word = [&](std::uint16_t reg) {
        return static_cast<std::uint16_t>(
            alarm_table::word(growatt_rs485_alarm_fields(), reg, b.warnings, b.protections));
    };
    const auto errors = word(error);
    // 0x0011/0x0012 date & time: packbridge has no battery clock to report; 0 = not set.
    m[status] = status_word(b, errors);
    m[error] = errors;
    m[soc] = b.soc_pct();
    m[versions] = kVersions;
    m[box_info] = 0;  // the spec's vector: b0 and battery ID 0
    m[soh] = static_cast<std::uint16_t>(b.soh_pct() & kSohValueMask);
    m[warning] = word(warning);  // b14-15 chemistry 00: LFP (packbridge serves LiFePO4 packs)
    m[extended_error] = word(extended_error);
    m[cell_max_number] = b.cell_max_at.index;
    m[cell_min_number] = b.cell_min_at.index;
    m[cells_in_series] = static_cast<std::uint16_t>(rs485::cells_per_pack(b));
    const auto cells = rs485::aggregate_cells(b, cells_count);
    std::copy(cells.begin(), cells.end(), m.begin() + cells_first);
    return m;
}

}  // namespace

std::uint16_t GrowattRs485Responder::register_value(std::uint16_t address, const Battery& battery) {
    if (address > last) return 0;
    return build_map(battery)[address];
}

std::vector<std::string> GrowattRs485Responder::clamped_registers(const Battery& battery) const {
    std::vector<std::string> notes;
    const auto q = quantities(battery);
    for (std::size_t i = 0; i < std::size(kRanges); ++i) {
        const auto& r = kRanges[i];
        if (q.values[i] >= r.lo && q.values[i] <= r.hi) continue;
        const bool high = q.values[i] > r.hi;
        char address[8];
        std::snprintf(address, sizeof address, "0x%04X", r.address);
        notes.push_back("Growatt register " + std::string(address) + " (" + std::string(r.what) +
                        ") " + (high ? "above " : "below ") + format_limit(r, high ? r.hi : r.lo) +
                        ", sent as " + format_limit(r, high ? r.hi : r.lo));
    }
    return notes;
}

modbus::ReadResult GrowattRs485Responder::read(std::uint8_t, std::uint16_t start,
                                               std::uint16_t count, const Battery& battery) const {
    if (!modbus::inside(start, count, first, last)) return modbus::Exception::illegal_address;
    const auto map = build_map(battery);
    return std::vector<std::uint16_t>(map.begin() + start, map.begin() + start + count);
}

}  // namespace packbridge::protocol
