// SPDX-License-Identifier: Apache-2.0
// The seed's brand table. The seed leaves its "BMS DIP switch mode of the host" column empty;
// the protocol per brand comes from DESIGN.md section 4 and the evidence matrix in
// specs/inverter-can.md section 6 / inverter-rs485.md section 0.1 (confidence kept per row).
#include <algorithm>
#include <array>
#include <cctype>
#include <limits>

#include "packbridge/catalogue.hpp"

namespace packbridge::catalogue {
namespace {

using P = Protocol;
using BP = BrandProtocol;
using C = Confidence;

constexpr std::array<std::string_view, 0> kNoAliases{};

// Growatt SPF CAN: L51 = Growatt protocol (the seed's DIP 48), L52 = Pylon (32).
constexpr std::array<BP, 2> kSpfCan{{{P::growatt_can, "", "program \"Li\", protocol L51"},
                                     {P::pylon, "", "program \"Li\", protocol L52"}}};
constexpr std::array<BP, 1> kSpf485{{{P::growatt_rs485, "", "battery type \"L01\""}}};
constexpr std::array<BP, 2> kSph{{{P::growatt_can, "", "battery setup 01 (Growatt CAN)"},
                                  {P::pylon, "", "battery setup 04 (Pylontech CAN)"}}};
constexpr std::array<BP, 1> kGoodwe{{{P::pylon, "goodwe", "battery \"Goodwe LX U5.4-L\""}}};
constexpr std::array<BP, 2> kSolis{
    {{P::pylon, "", "battery \"Pylon LV\""}, {P::sma_victron, "", "battery \"AoBo\""}}};
constexpr std::array<BP, 2> kSofar{{{P::sma_victron, "sofar", "\"General Lithium\""},
                                    {P::pylon, "", "battery mode \"Automatic\""}}};
constexpr std::array<BP, 1> kSma{
    {{P::sma_victron, "sma", "Sunny Island lithium-ion, external BMS"}}};
constexpr std::array<BP, 1> kVictron{
    {{P::sma_victron, "victron", "GX device BMS-Can port, 500 kbit/s"}}};
constexpr std::array<BP, 2> kLux{
    {{P::luxpower, "", "\"Lithium 6\""}, {P::pylon, "", "\"Lithium 2\" (EG4 6000XP)"}}};
constexpr std::array<BP, 1> kPylon{{{P::pylon, "", "lithium mode 00 (Pylon)"}}};
constexpr std::array<BP, 1> kSolArk{{{P::pylon, "solark", "lithium mode 00 (Pylon)"}}};
constexpr std::array<BP, 1> kVoltronic{
    {{P::voltronic, "", "battery type PYL (variant pylon) or LIb (voltronic-485)"}}};
constexpr std::array<BP, 1> kSrne{
    {{P::srne, "", "BMS communication on, lithium (protocol unconfirmed)"}}};

constexpr std::array<std::string_view, 3> kSpfCanAliases{"growatt-spf-l51", "growatt spf can",
                                                         "spf-can"};
constexpr std::array<std::string_view, 3> kSpf485Aliases{"growatt-spf-rs485", "growatt spf 485",
                                                         "spf-485"};
constexpr std::array<std::string_view, 1> kSphAliases{"growatt sph"};
constexpr std::array<std::string_view, 2> kGoodweAliases{"goodway", "good we"};
constexpr std::array<std::string_view, 1> kDeyeAliases{"sunsynk"};
constexpr std::array<std::string_view, 3> kVoltronicAliases{"axpert", "voltronic power",
                                                            "voltronic axpert"};
constexpr std::array<std::string_view, 2> kSrneAliases{"sren", "srne solar"};
constexpr std::array<std::string_view, 2> kSolArkAliases{"solark", "sol ark"};
constexpr std::array<std::string_view, 4> kMppAliases{"mpp sola", "mpp", "mppsolar", "mpp-solar"};
constexpr std::array<std::string_view, 2> kLuxAliases{"lux power", "lxp"};
constexpr std::array<std::string_view, 1> kSacolarAliases{"sacolar solar"};

// clang-format off
const std::array<BrandInfo, 19> kBrands{{
    {"growatt-spf-can", "Growatt-SPF (CAN)", kSpfCanAliases, Link::can, kSpfCan, 4, 5, true, C::high,
     "L52 (Pylon, 32) has field reports; L51 (Growatt, the DIP table's 48) has none"},
    {"growatt-spf-485", "Growatt-SPF (485)", kSpf485Aliases, Link::rs485, kSpf485, 1, 2, true, C::medium,
     "register map from the vendor PDF; the SPF poll sequence is inferred"},
    {"growatt-sph", "Growatt-SPH", kSphAliases, Link::can, kSph, 4, 5, true, C::medium, ""},
    {"goodwe", "Goodwe", kGoodweAliases, Link::can, kGoodwe, 4, 5, true, C::medium,
     "whether the inverter needs the \"GoodWe\" name is not proven"},
    {"solis", "Solis", kNoAliases, Link::can, kSolis, 4, 5, true, C::medium,
     "Pylon LV mode reportedly needed a 3.3 V CAN transceiver"},
    {"sofar", "Sofar", kNoAliases, Link::can, kSofar, 1, 2, false, C::medium,
     "a 120 ohm terminator had to be added on the Sofar side"},
    {"sma", "SMA", kNoAliases, Link::can, kSma, 4, 5, true, C::high, ""},
    {"victron", "Victron", kNoAliases, Link::can, kVictron, 7, 8, false, C::high,
     "use a neutral name (not PYLON): Venus OS caps a \"PYLON\" battery at 52.4 V"},
    {"luxpower", "Luxpower", kLuxAliases, Link::can, kLux, 4, 3, false, C::high,
     "inverter pin 3 is CANL: a straight cable would tie it to the pack's GND on pin 3"},
    {"deye", "Deye", kDeyeAliases, Link::can, kPylon, 4, 5, true, C::high, ""},
    {"sorotec", "Sorotec", kNoAliases, Link::can, kPylon, 4, 5, true, C::low,
     "Pylon support unverified (a REVO-CAN protocol exists)"},
    {"megarevo", "Megarevo", kNoAliases, Link::can, kPylon, 4, 5, true, C::low,
     "Pylon probable; Megarevo's native protocol uses 29-bit IDs"},
    {"voltronic", "Voltronic", kVoltronicAliases, Link::rs485, kVoltronic, 3, 5, false, C::medium,
     "set the inverter battery type to PYL (variant pylon) or LIb (variant voltronic-485)"},
    {"srne", "SRNE", kSrneAliases, Link::rs485, kSrne, 8, 7, false, C::low,
     "protocol unconfirmed: try variant pylon first; if the inverter shows no battery data, "
     "variant pace-modbus"},
    {"senergy", "senergy", kNoAliases, Link::can, kPylon, 4, 5, true, C::low,
     "nothing published; Pylon is the usual guess"},
    {"sol-ark", "Sol-Ark", kSolArkAliases, Link::can, kSolArk, 4, 5, true, C::high,
     "Sol-Ark accepts 8-byte frames only"},
    {"mpp-sola", "MPP Sola", kMppAliases, Link::rs485, kVoltronic, 3, 5, false, C::medium,
     "MPP Solar; same protocol and cable as Voltronic"},
    {"sacolar", "Sacolar", kSacolarAliases, Link::can, kPylon, 4, 5, true, C::low,
     "no LV CAN mapping found for Sacolar inverters; Pylon is the guess"},
    {"tronte", "TRONTE", kNoAliases, Link::rs485, kVoltronic, 3, 5, false, C::medium,
     "same protocol and cable as Voltronic"},
}};
// clang-format on

bool matches(const BrandInfo& b, const std::string& folded) {
    if (fold_name(b.key) == folded || fold_name(b.display) == folded) return true;
    return std::any_of(b.aliases.begin(), b.aliases.end(),
                       [&](std::string_view a) { return fold_name(a) == folded; });
}

}  // namespace

std::string fold_name(std::string_view text) {
    std::string out;
    for (char c : text) {
        const auto u = static_cast<unsigned char>(c);
        if (std::isalnum(u)) out += static_cast<char>(std::tolower(u));
    }
    return out;
}

std::size_t edit_distance(std::string_view a, std::string_view b) {
    std::vector<std::size_t> row(b.size() + 1);
    for (std::size_t j = 0; j <= b.size(); ++j)
        row[j] = j;
    for (std::size_t i = 1; i <= a.size(); ++i) {
        std::size_t diag = row[0];
        row[0] = i;
        for (std::size_t j = 1; j <= b.size(); ++j) {
            const std::size_t up = row[j];
            row[j] =
                std::min({row[j] + 1, row[j - 1] + 1, diag + (a[i - 1] == b[j - 1] ? 0U : 1U)});
            diag = up;
        }
    }
    return row[b.size()];
}

std::span<const BrandInfo> brands() {
    return kBrands;
}

const BrandInfo* find_brand(std::string_view text) {
    const auto folded = fold_name(text);
    if (folded.empty()) return nullptr;
    for (const auto& b : kBrands)
        if (matches(b, folded)) return &b;
    return nullptr;
}

std::vector<const BrandInfo*> brands_needing_link(std::string_view text) {
    const auto folded = fold_name(text);
    if (folded == "growattspf" || folded == "spf" || folded == "growatt")
        return {&kBrands[0], &kBrands[1]};
    return {};
}

std::vector<std::string_view> closest_brands(std::string_view text, std::size_t n) {
    const auto folded = fold_name(text);
    std::vector<std::pair<std::size_t, std::string_view>> scored;
    for (const auto& b : kBrands) {
        std::size_t best = edit_distance(folded, fold_name(b.key));
        best = std::min(best, edit_distance(folded, fold_name(b.display)));
        for (auto a : b.aliases)
            best = std::min(best, edit_distance(folded, fold_name(a)));
        scored.emplace_back(best, b.key);
    }
    std::stable_sort(scored.begin(), scored.end(),
                     [](const auto& x, const auto& y) { return x.first < y.first; });
    std::vector<std::string_view> out;
    for (std::size_t i = 0; i < scored.size() && i < n; ++i)
        out.push_back(scored[i].second);
    return out;
}

std::vector<const BrandInfo*> brands_for(Protocol p) {
    std::vector<const BrandInfo*> out;
    for (const auto& b : kBrands)
        if (b.allowed.front().protocol == p) out.push_back(&b);
    return out;
}

}  // namespace packbridge::catalogue
