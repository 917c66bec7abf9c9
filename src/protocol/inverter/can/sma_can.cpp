// SPDX-License-Identifier: Apache-2.0
#include "packbridge/protocol/inverter/can/sma_can.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdio>
#include <initializer_list>
#include <utility>

#include "packbridge/bytes.hpp"
#include "packbridge/protocol/inverter/can/limits_frame.hpp"
#include "packbridge/protocol/wire_units.hpp"

namespace packbridge::protocol::sma_can {
namespace {

using namespace bytes;  // the load_/store_ helpers of the byte layouts
using wire::round_div;

constexpr const char* kDefaultName = "GATEWAY";
constexpr std::int64_t kKelvinOffsetCenti = 27315;  // 273.15 K in 0.01 K

// Clamps a wire-unit value into [lo, hi] and describes every clamp. `decimals` is the number of
// decimal places of the wire unit (1 for 0.1 V), used only for the message.
class Clamper {
  public:
    explicit Clamper(std::vector<std::string>& out) : out_(out) {}

    std::int64_t operator()(const char* what, std::int64_t value, std::int64_t lo, std::int64_t hi,
                            int decimals, const char* unit, const char* range) {
        if (value >= lo && value <= hi) return value;
        const std::int64_t sent = std::clamp(value, lo, hi);
        char buf[200];
        std::snprintf(buf, sizeof buf, "%s %s %s outside the %s %s..%s %s, sent %s %s", what,
                      fixed(value, decimals).c_str(), unit, range, fixed(lo, decimals).c_str(),
                      fixed(hi, decimals).c_str(), unit, fixed(sent, decimals).c_str(), unit);
        out_.emplace_back(buf);
        return sent;
    }

    void note(std::string text) { out_.push_back(std::move(text)); }

  private:
    static std::string fixed(std::int64_t v, int decimals) {
        double scaled = static_cast<double>(v);
        for (int i = 0; i < decimals; ++i)
            scaled /= 10.0;
        char buf[40];
        std::snprintf(buf, sizeof buf, "%.*f", decimals, scaled);
        return buf;
    }

    std::vector<std::string>& out_;
};

std::uint16_t u16(std::int64_t v) {
    return static_cast<std::uint16_t>(v);
}
std::int16_t s16(std::int64_t v) {
    return static_cast<std::int16_t>(v);
}

// "3-12" (module 3 cell 12) or "1-T2" (module 1 sensor 2); "" when the location is unknown.
std::string location_text(const Location& at, bool sensor) {
    if (at.index == 0) return {};
    return std::to_string(at.pack) + (sensor ? "-T" : "-") + std::to_string(at.index);
}

std::string upper(std::string_view s) {
    std::string out(s);
    for (char& c : out)
        c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return out;
}

}  // namespace

std::string default_name(Profile profile) {
    // Section 4.6 uses "GATEWAY " for SMA and Victron; the spec names nothing else for Sofar.
    // The Goodwe sheet's 0x35E is "GoodWe" (section 4.8: not proven required, so a default only).
    return profile == Profile::goodwe ? "GoodWe" : kDefaultName;
}

std::chrono::milliseconds min_same_id_spacing(Profile profile) {
    return profile == Profile::goodwe ? kGoodweSameIdSpacing : kMinSameIdSpacing;
}

bool victron_quirk_name(std::string_view name) {
    const std::string n = upper(name);
    for (const char* quirk : {"PYLON", "PELIO", "BYD", "LG", "DYNESS"}) {
        if (n.starts_with(quirk)) return true;
    }
    return false;
}

Encoded encode(const Battery& b, const Options& options) {
    Encoded out;
    Clamper clamp(out.clamped);
    const Profile profile = options.profile;
    const bool victron = profile == Profile::victron;
    const bool sofar = profile == Profile::sofar;
    const bool sma_ranges = options.ranges == Options::Ranges::sma ||
                            (options.ranges == Options::Ranges::profile_default && !victron);
    const char* range = sma_ranges ? "SMA range" : "field range";

    std::string name = options.name.empty() ? default_name(profile) : options.name;
    if (victron && victron_quirk_name(name)) {
        clamp.note("name \"" + name + "\" makes Venus OS apply a battery quirk, sent \"" +
                   default_name(profile) + "\"");
        name = default_name(profile);
    }
    std::string product = options.product_name.empty() ? name : options.product_name;
    if (victron && victron_quirk_name(product)) {
        clamp.note("product name \"" + product +
                   "\" makes Venus OS apply a battery quirk, sent \"" + default_name(profile) +
                   "\"");
        product = default_name(profile);
    }

    out.frames.reserve(victron ? 18 : 8);

    // --- 0x351 limits ---
    CanFrame limits = make_frame(0x351);
    const std::int64_t cvl_max = sma_ranges ? kSmaCvlMaxMv / 100 : 0xFFFF;
    const std::int64_t cvl_min = sma_ranges ? kSmaCvlMinMv / 100 : 0;
    const std::int64_t dvl_max = sma_ranges ? kSmaDvlMaxMv / 100 : 0xFFFF;
    const std::int64_t dvl_min = sma_ranges ? kSmaDvlMinMv / 100 : 0;
    const std::int64_t current_max = sma_ranges ? kSmaCurrentMaxMa / 100 : 0x7FFF;
    std::int64_t ccl = round_div(b.charge_current.value, 100);
    std::int64_t dcl = round_div(b.discharge_current.value, 100);
    if (b.safe_state && (ccl != 0 || dcl != 0)) {
        // The bank already zeroes them; this encoder does not trust a caller that did not.
        clamp.note("safe state: current limits sent as 0.0 A");
        ccl = dcl = 0;
    }
    store_le16(
        payload(limits), 0,
        u16(clamp("CVL", round_div(b.charge_voltage.value, 100), cvl_min, cvl_max, 1, "V", range)));
    // Limits are positive magnitudes even though the fields are typed signed (spec section 0.2).
    store_le16s(payload(limits), 2, s16(clamp("CCL", ccl, 0, current_max, 1, "A", range)));
    store_le16s(payload(limits), 4, s16(clamp("DCL", dcl, 0, current_max, 1, "A", range)));
    store_le16(payload(limits), 6,
               u16(clamp("DVL", round_div(b.discharge_voltage.value, 100), dvl_min, dvl_max, 1, "V",
                         range)));
    out.frames.push_back(limits);

    // --- 0x355 SOC, SOH, HiResSOC ---
    CanFrame soc = make_frame(0x355);
    store_le16(payload(soc), 0, u16(clamp("SOC", b.soc_pct(), 0, 100, 0, "%", "SMA range")));
    store_le16(payload(soc), 2, u16(clamp("SOH", b.soh_pct(), 0, 100, 0, "%", "SMA range")));
    store_le16(payload(soc), 4, u16(clamp("HiResSOC", b.soc_centi, 0, 10000, 2, "%", "SMA range")));
    if (sofar && options.sofar_capacity_and_cycles) {
        // YamBMS: remaining capacity x10 (its comment says 1 Ah; unverified, section 4.8).
        store_le16(payload(soc), 6,
                   u16(clamp("remaining capacity", round_div(b.remaining_mah, 100), 0, 0xFFFF, 1,
                             "Ah", "field range")));
    }
    out.frames.push_back(soc);

    // --- 0x356 voltage, current, temperature ---
    CanFrame measured = make_frame(0x356);
    store_le16s(payload(measured), 0,
                s16(clamp("battery voltage", round_div(b.voltage_mv, 10), -0x8000, 0x7FFF, 2, "V",
                          "field range")));
    store_le16s(payload(measured), 2,
                s16(clamp("battery current", round_div(b.current_ma, 100), -0x8000, 0x7FFF, 1, "A",
                          "field range")));
    store_le16s(payload(measured), 4, b.temp_mean_dc);
    if (sofar && options.sofar_capacity_and_cycles) {
        store_le16(payload(measured), 6,
                   u16(clamp("cycle count", b.cycles, 0, 0xFFFF, 0, "cycles", "field range")));
    }
    out.frames.push_back(measured);

    // --- 0x359 (Sofar only): Pylon alarm bytes unused, module count and "PN" ---
    if (sofar) {
        CanFrame pn = make_frame(0x359);
        pn.data[4] = b.packs_counted;
        pn.data[5] = 'P';
        pn.data[6] = 'N';
        out.frames.push_back(pn);
    }

    // --- 0x35A alarms (protections) and warnings, explicit raised/cleared pairs ---
    CanFrame alarms = make_frame(0x35A);
    std::uint16_t raised_alarms = raised_items(b, false);
    if (b.safe_state) {
        // Safe state without a named cause (no data at all) is still a BMS-internal alarm.
        raised_alarms |= static_cast<std::uint16_t>(1U << static_cast<unsigned>(Item::general));
        raised_alarms |=
            static_cast<std::uint16_t>(1U << static_cast<unsigned>(Item::bms_internal));
    }
    put_items(std::span(alarms.data).first(kWarningOffset), raised_alarms);
    put_items(std::span(alarms.data).subspan(kWarningOffset), raised_items(b, true));
    out.frames.push_back(alarms);

    // --- 0x35B events: none ---
    out.frames.push_back(make_frame(0x35B));

    // --- 0x35E manufacturer name, space padded ---
    CanFrame name_frame = make_frame(0x35E);
    put_text(name_frame, name, ' ');
    out.frames.push_back(name_frame);

    // --- 0x35F type / version / capacity / hardware ---
    // SMA: nominal capacity; Victron: available capacity (section 4.7, each platform's own use).
    const std::uint32_t nominal_mah = b.design_mah != 0 ? b.design_mah : b.full_mah;
    CanFrame info = make_frame(0x35F);
    store_le16(payload(info), 0, options.battery_type);
    info.data[2] = options.version_major;
    info.data[3] = options.version_minor;
    store_le16(payload(info), 4,
               u16(clamp(victron ? "available capacity" : "nominal capacity",
                         round_div(victron ? b.remaining_mah : nominal_mah, 1000), 0, 0xFFFF, 0,
                         "Ah", "field range")));
    store_le16(payload(info), 6, options.hardware_version);
    out.frames.push_back(info);

    if (!victron) return out;

    // --- Victron extras ---
    const std::string long_name = name.substr(0, std::min<std::size_t>(name.size(), 16));
    CanFrame name1 = make_frame(0x370);
    put_text(name1, long_name, ' ');
    out.frames.push_back(name1);
    CanFrame name2 = make_frame(0x371);
    put_text(name2, long_name.size() > 8 ? std::string_view(long_name).substr(8) : "", ' ');
    out.frames.push_back(name2);

    CanFrame modules = make_frame(0x372);
    std::uint16_t block_charge = 0;
    std::uint16_t block_discharge = 0;
    for (const Module& m : b.modules) {
        if (m.blocks_charge) ++block_charge;
        if (m.blocks_discharge) ++block_discharge;
    }
    store_le16(payload(modules), 0, b.packs_counted);
    store_le16(payload(modules), 2, block_charge);
    store_le16(payload(modules), 4, block_discharge);
    store_le16(payload(modules), 6,
               static_cast<std::uint16_t>(
                   b.packs_known > b.packs_counted ? b.packs_known - b.packs_counted : 0));
    out.frames.push_back(modules);

    // Kelvin rounded to the nearest whole K: 24.1 degC = 297.25 K -> 297 (section 0.3).
    auto kelvin = [&](const char* what, std::int16_t dc) {
        return u16(clamp(what, round_div(std::int64_t{dc} * 10 + kKelvinOffsetCenti, 100), 0,
                         0xFFFF, 0, "K", "field range"));
    };
    CanFrame cells = make_frame(0x373);
    store_le16(payload(cells), 0, b.cell_min_mv);
    store_le16(payload(cells), 2, b.cell_max_mv);
    store_le16(payload(cells), 4, kelvin("min temperature", b.temp_min_dc));
    store_le16(payload(cells), 6, kelvin("max temperature", b.temp_max_dc));
    out.frames.push_back(cells);

    const std::pair<std::uint32_t, std::string> where[] = {
        {0x374, location_text(b.cell_min_at, false)},
        {0x375, location_text(b.cell_max_at, false)},
        {0x376, location_text(b.temp_min_at, true)},
        {0x377, location_text(b.temp_max_at, true)},
    };
    for (const auto& [id, text] : where) {
        CanFrame f = make_frame(id);
        put_text(f, text, '\0');
        out.frames.push_back(f);
    }

    CanFrame installed = make_frame(0x379);
    store_le16(payload(installed), 0,
               u16(clamp("installed capacity", round_div(nominal_mah, 1000), 0, 0xFFFF, 0, "Ah",
                         "field range")));
    out.frames.push_back(installed);

    CanFrame product_frame = make_frame(0x382);
    put_text(product_frame, product, '\0');
    out.frames.push_back(product_frame);
    return out;
}

std::string describe(const CanFrame& f) {
    const std::span<const std::uint8_t> d{f.data.data(), f.data.size()};
    switch (f.id) {
        case 0x351:
            return describe_limits_frame(f);
        case 0x355:
            return format_text("SOC %u %% SOH %u %% (%.2f %%)", load_le16(d, 0), load_le16(d, 2),
                               load_le16(d, 4) / 100.0);
        case 0x356:
            return format_text("%.2f V %.1f A %.1f degC", load_le16s(d, 0) / 100.0,
                               load_le16s(d, 2) / 10.0, load_le16s(d, 4) / 10.0);
        case 0x359:
            return format_text("%u modules \"%c%c\"", d[4], d[5], d[6]);
        case 0x35A: {
            static constexpr const char* kItemNames[kDefinedItems] = {
                "general",
                "high voltage",
                "low voltage",
                "high temperature",
                "low temperature",
                "high charge temperature",
                "low charge temperature",
                "high discharge current",
                "high charge current",
                "contactor",
                "short circuit",
                "BMS internal",
                "cell imbalance",
            };
            auto list = [&](std::size_t offset) {
                std::string s;
                for (std::size_t k = 0; k < kDefinedItems; ++k) {
                    const auto item = static_cast<Item>(k);
                    const unsigned pair = (d[offset + item_byte(item)] >> item_shift(item)) & 3U;
                    if (pair != kPairRaised) continue;
                    if (!s.empty()) s += ", ";
                    s += kItemNames[k];
                }
                return s.empty() ? std::string("none") : s;
            };
            return format_text("alarms %s; warnings %s", list(0).c_str(),
                               list(kWarningOffset).c_str());
        }
        case 0x35B:
            return format_text("events %02X", d[0]);
        case 0x35E:
            return format_text("name \"%s\"", text_of(f).c_str());
        case 0x35F:
            return format_text("type %u version %u.%u capacity %u Ah hardware %u", load_le16(d, 0),
                               d[2], d[3], load_le16(d, 4), load_le16(d, 6));
        case 0x370:
        case 0x371:
            return format_text("name part %u \"%s\"", f.id - 0x370 + 1, text_of(f).c_str());
        case 0x372:
            return format_text(
                "modules %u online, %u blocking charge, %u blocking discharge, %u offline",
                load_le16(d, 0), load_le16(d, 2), load_le16(d, 4), load_le16(d, 6));
        case 0x373:
            return format_text("cells %.3f..%.3f V, %u..%u K", load_le16(d, 0) / 1000.0,
                               load_le16(d, 2) / 1000.0, load_le16(d, 4), load_le16(d, 6));
        case 0x374:
        case 0x375:
        case 0x376:
        case 0x377: {
            static constexpr const char* kWhat[] = {"min cell", "max cell", "min temperature",
                                                    "max temperature"};
            return format_text("%s at \"%s\"", kWhat[f.id - 0x374], text_of(f).c_str());
        }
        case 0x379:
            return format_text("installed %u Ah", load_le16(d, 0));
        case 0x382:
            return format_text("product \"%s\"", text_of(f).c_str());
    }
    return describe_unknown(f);
}

}  // namespace packbridge::protocol::sma_can
