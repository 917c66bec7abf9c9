// SPDX-License-Identifier: Apache-2.0
// CID2 0x42 analog values: PACE records with every tail variant, Seplos v2, dispatch to the
// Pylontech and EG4 decoders, encoder.
#include <array>
#include <optional>
#include <span>

#include "pace_internal.hpp"
#include "packbridge/bytes.hpp"
#include "packbridge/protocol/pack/pace.hpp"

namespace packbridge::protocol::pace {
namespace {

using bytes::load_be16;
using bytes::load_be16s;

using detail::kKelvinOffsetPace;
using detail::kKelvinOffsetV20;  // Seplos and Pylon
using detail::to_decidegrees;

constexpr std::uint16_t kSensorNotFitted = 0x8000;
// Tail lengths after the P byte seen in the wild (section 2.2.4); never chosen from P itself.
// 4 (full, cycles - no design capacity) is the Boqiang VER 0x26 record (F-19); it is tried last
// so that it never changes how a reply with the documented tails splits.
constexpr std::array<std::size_t, 5> kTailLengths = {6, 7, 20, 28, 4};

// Size of a record's fixed part before the tail: M, cells, N, temps, I, V, remaining, P.
std::optional<std::size_t> fixed_part(std::span<const std::uint8_t> b, std::size_t at) {
    if (at >= b.size()) return std::nullopt;
    const std::size_t m = b[at];
    const std::size_t n_at = at + 1 + 2 * m;
    if (n_at >= b.size()) return std::nullopt;
    const std::size_t n = b[n_at];
    const std::size_t size = 1 + 2 * m + 1 + 2 * n + 6 + 1;
    if (at + size > b.size()) return std::nullopt;
    return size;
}

PackAnalog decode_pace_record(std::span<const std::uint8_t> b, std::size_t at, std::size_t tail) {
    PackAnalog a;
    const std::size_t m = b[at];
    std::size_t p = at + 1;
    for (std::size_t i = 0; i < m; ++i, p += 2)
        a.cell_mv.push_back(load_be16(b, p));
    const std::size_t n = b[p++];
    std::vector<std::optional<std::int16_t>> temps;
    for (std::size_t i = 0; i < n; ++i, p += 2) {
        const auto raw = load_be16(b, p);
        temps.push_back(raw == kSensorNotFitted
                            ? std::nullopt
                            : std::optional(to_decidegrees(raw, kKelvinOffsetPace)));
    }
    // PACE: T1..T4 cells, T5 MOSFET, T6 ambient; with fewer than 6 sensors all are cell sensors.
    const std::size_t cell_sensors = n >= 6 ? n - 2 : n;
    for (std::size_t i = 0; i < cell_sensors; ++i) {
        if (temps[i]) a.cell_temp_dc.push_back(*temps[i]);
    }
    if (n >= 6) {
        a.mosfet_temp_dc = temps[n - 2];
        a.ambient_temp_dc = temps[n - 1];
    }
    a.current_ma = load_be16s(b, p) * 10;
    a.voltage_mv = load_be16(b, p + 2);
    a.remaining_mah = load_be16(b, p + 4) * 10U;
    p += 7;  // current, voltage, remaining, P
    a.full_mah = load_be16(b, p) * 10U;
    a.cycles = load_be16(b, p + 2);
    if (tail >= 6) a.design_mah = load_be16(b, p + 4) * 10U;
    if (tail >= 7) a.soc_pct = b[p + 6];
    if (tail >= 20) a.soh_pct = b[p + 15];
    return a;
}

// Finds tail lengths for consecutive records that consume the INFO exactly (depth-first over
// the known tail lengths; real replies resolve on the first or second try).
bool split_records(std::span<const std::uint8_t> b, std::size_t at,
                   std::vector<std::pair<std::size_t, std::size_t>>& out) {
    if (at == b.size()) return !out.empty();
    const auto fixed = fixed_part(b, at);
    if (!fixed || b[at] == 0 || b[at] > 32) return false;
    for (const auto tail : kTailLengths) {
        const std::size_t next = at + *fixed + tail;
        if (next > b.size()) continue;
        out.emplace_back(at, tail);
        if (split_records(b, next, out)) return true;
        out.pop_back();
    }
    return false;
}

Result<std::vector<PackAnalog>> decode_seplos(std::span<const std::uint8_t> b) {
    // DATAFLAG, COMMAND_GROUP, then one record with 10 mV voltage and the P=10 block.
    const auto fixed = fixed_part(b, 2);
    if (!fixed || 2 + *fixed + 12 > b.size()) {
        return make_error(Errc::truncated,
                          "Seplos 0x42 record shorter than its cell and sensor counts need");
    }
    PackAnalog a;
    std::size_t p = 2;
    const std::vector<std::int16_t> temps = detail::read_cells_and_temps(b, p, kKelvinOffsetV20, a);
    // Seplos: T1..T4 cells, T5 ambient, T6 power (MOSFET) - the opposite order to PACE.
    detail::place_temperatures(temps, detail::LastTwoSensors::ambient_mosfet, a);
    a.current_ma = load_be16s(b, p) * 10;
    a.voltage_mv = load_be16(b, p + 2) * 10U;
    a.remaining_mah = load_be16(b, p + 4) * 10U;
    p += 7;
    a.full_mah = load_be16(b, p) * 10U;
    a.soc_pct = static_cast<std::uint8_t>((load_be16(b, p + 2) + 5) / 10);
    a.design_mah = load_be16(b, p + 4) * 10U;
    a.cycles = load_be16(b, p + 6);
    a.soh_pct = static_cast<std::uint8_t>(std::min(100, (load_be16(b, p + 8) + 5) / 10));
    return std::vector<PackAnalog>{a};
}

}  // namespace

Result<std::vector<PackAnalog>> decode_analog_all(const ascii::Frame& frame) {
    return decode_analog_all(frame, detect_dialect(frame));
}

Result<std::vector<PackAnalog>> decode_analog_all(const ascii::Frame& frame, Dialect dialect) {
    if (frame.cid2 != 0) return detail::rejected(frame);
    const std::span<const std::uint8_t> b{frame.info};
    if (b.size() < 3)
        return make_error(Errc::truncated,
                          "0x42 reply INFO has " + std::to_string(b.size()) + " bytes");
    switch (dialect) {
        case Dialect::seplos:
            return decode_seplos(b);
        case Dialect::pylontech:
            return detail::decode_pylon_analog(b);
        case Dialect::eg4:
            return detail::decode_eg4_analog(b);
        case Dialect::pace:
            break;
    }
    std::vector<std::pair<std::size_t, std::size_t>> records;
    if (!split_records(b, 2, records)) {
        return make_error(
            Errc::bad_length,
            "0x42 INFO of " + std::to_string(b.size()) +
                " bytes does not split into records with a known tail (6, 7, 20 or 28 bytes)");
    }
    std::vector<PackAnalog> out;
    out.reserve(records.size());
    for (const auto& [at, tail] : records)
        out.push_back(decode_pace_record(b, at, tail));
    return out;
}

Result<PackAnalog> decode_analog(const ascii::Frame& frame) {
    return decode_analog(frame, detect_dialect(frame));
}

Result<PackAnalog> decode_analog(const ascii::Frame& frame, Dialect dialect) {
    auto all = decode_analog_all(frame, dialect);
    if (!all) return all.error();
    return std::move(all->front());
}

std::string encode_analog_reply(std::uint8_t ver, std::uint8_t adr, const PackAnalog& a,
                                TailVariant tail) {
    std::vector<std::uint8_t> info{0x00, adr, static_cast<std::uint8_t>(a.cell_mv.size())};
    auto put16 = [&](std::int64_t v) {
        const auto w = static_cast<std::uint16_t>(v);
        info.push_back(static_cast<std::uint8_t>(w >> 8));
        info.push_back(static_cast<std::uint8_t>(w & 0xFF));
    };
    auto put32 = [&](std::uint32_t v) {
        put16(v >> 16);
        put16(v & 0xFFFF);
    };
    for (const auto mv : a.cell_mv)
        put16(mv);
    std::vector<std::int16_t> temps = a.cell_temp_dc;
    const bool extra = a.mosfet_temp_dc && a.ambient_temp_dc;
    if (extra) {
        temps.push_back(*a.mosfet_temp_dc);
        temps.push_back(*a.ambient_temp_dc);
    }
    info.push_back(static_cast<std::uint8_t>(temps.size()));
    for (const auto t : temps)
        put16(t + kKelvinOffsetPace);
    put16(a.current_ma / 10);
    put16(a.voltage_mv);
    put16(a.remaining_mah / 10);
    info.push_back(tail == TailVariant::p3 ? 3 : tail == TailVariant::p2_soc ? 2 : 9);
    put16(a.full_mah / 10);
    put16(a.cycles);
    put16(a.design_mah / 10);
    if (tail != TailVariant::p3) info.push_back(a.soc_pct.value_or(0));
    if (tail == TailVariant::p9) {
        // Real packs repeat the design capacity in both cumulative fields (section 2.2.4).
        put32(a.design_mah / 10);
        put32(a.design_mah / 10);
        info.push_back(a.soh_pct.value_or(100));
        put16(a.voltage_mv);
        put16(a.current_ma / 10);
    }
    return ascii::encode(ascii::Frame{ver, adr, kCid1Battery, 0x00, std::move(info), false});
}

}  // namespace packbridge::protocol::pace
