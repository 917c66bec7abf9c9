// SPDX-License-Identifier: Apache-2.0
// The "inverter" section: link + protocol as the BMS DIP table writes it, or just a brand.
// Resolution order: brand (link, protocol, variant) -> explicit link/protocol/variant, which
// must agree with it. Every contradiction names the valid choices.
#include <cctype>
#include <charconv>

#include "config/sections.hpp"
#include "packbridge/catalogue.hpp"

namespace packbridge::config_detail {
namespace {

namespace cat = packbridge::catalogue;

// Neither key wins silently: the message says which one to drop.
constexpr char kBrandOrProtocol[] =
    ": remove /inverter/protocol to use the brand's, or remove /inverter/brand to keep this "
    "protocol";

// What /inverter/protocol said, before the link is known.
struct ProtocolSpec {
    std::optional<unsigned> dip;
    const cat::ProtocolName* name = nullptr;
    std::string text;  // as written, for messages
};

std::string protocol_label(Protocol p) {
    const auto& i = cat::info(p);
    return std::to_string(i.dip) + " = \"" + cat::dip_switches(i.dip) +
           "\" = " + std::string(i.key);
}

std::string brand_choices(const cat::BrandInfo& b) {
    std::string out;
    for (const auto& a : b.allowed) {
        if (!out.empty()) out += ", or ";
        out += protocol_label(a.protocol);
        if (!a.variant.empty()) out += " (variant " + std::string(a.variant) + ")";
    }
    return out;
}

std::string all_brand_keys() {
    std::string out;
    for (const auto& b : cat::brands())
        out += (out.empty() ? "" : ", ") + std::string(b.key);
    return out;
}

std::optional<ProtocolSpec> read_protocol_spec(const Section& s) {
    const auto* v = s.raw("protocol");
    if (v == nullptr) return std::nullopt;
    std::string names;
    for (const auto& n : cat::protocol_names())
        names += (names.empty() ? "" : ", ") + std::string(n.name);
    const std::string forms =
        "valid: a DIP value 0, 16, 32, 48; the #5/#6 switch pair such as \"OFF ON\"; or a name: " +
        names;
    ProtocolSpec spec;
    spec.text = v->is_string() ? v->get<std::string>() : v->dump();
    std::optional<std::int64_t> number;
    if (v->is_number_integer()) {
        number = v->get<std::int64_t>();
    } else if (v->is_string()) {
        const auto& t = v->get_ref<const std::string&>();
        std::int64_t n = 0;
        const auto [ptr, ec] = std::from_chars(t.data(), t.data() + t.size(), n);
        if (!t.empty() && ec == std::errc{} && ptr == t.data() + t.size()) {
            number = n;
        } else if (auto sw = cat::parse_dip_switches(t)) {
            spec.dip = *sw;
        } else if (const auto* name = cat::find_protocol_name(t)) {
            spec.name = name;
        } else {
            s.fail("protocol", "\"" + t + "\" is not a protocol (" + forms + ")");
        }
    } else {
        s.fail("protocol",
               "must be a number or a string (" + forms + "), found " + describe_json(*v));
    }
    if (number) {
        if (*number != 0 && *number != 16 && *number != 32 && *number != 48)
            s.fail("protocol",
                   std::to_string(*number) + " is not a DIP protocol value (" + forms + ")");
        spec.dip = static_cast<unsigned>(*number);
    }
    s.mark_given("protocol");
    return spec;
}

const cat::BrandInfo* read_brand(const Section& s, std::optional<Link> link) {
    const auto* v = s.raw("brand");
    if (v == nullptr) return nullptr;
    if (!v->is_string()) s.fail("brand", "must be a string (valid: " + all_brand_keys() + ")");
    const auto& text = v->get_ref<const std::string&>();
    s.mark_given("brand");
    if (const auto* b = cat::find_brand(text)) return b;
    const auto candidates = cat::brands_needing_link(text);
    if (!candidates.empty()) {
        for (const auto* c : candidates)
            if (link && c->link == *link) return c;
        std::string names;
        for (const auto* c : candidates)
            names += (names.empty() ? "\"" : " or \"") + std::string(c->key) + "\"";
        s.fail("brand",
               "\"" + text +
                   "\" exists for CAN and RS485: set /inverter/link to \"can\" or \"rs485\", "
                   "or use brand " +
                   names);
    }
    std::string close;
    for (auto c : cat::closest_brands(text))
        close += (close.empty() ? "" : ", ") + std::string(c);
    s.fail("brand", "unknown brand \"" + text + "\" (closest: " + close +
                        "; valid: " + all_brand_keys() + ")");
}

// The VER values real Pylon RS485 inverters accept in replies (inverter-rs485.md 1.2).
bool is_pylon_ver(std::int64_t ver) {
    return ver == 0x20 || ver == 0x28;
}

void read_can(const Section& inv, CanConfig& out) {
    const auto s = inv.child("can", {"interface", "bitrate", "configure", "restart_ms", "period_ms",
                                     "exact_dlc", "poll_fallback_s"});
    s.read_string("interface", out.interface, 15);  // IFNAMSIZ - 1
    s.read_uint_choice("bitrate", out.bitrate, {125000, 250000, 500000, 1000000});
    s.read_bool("configure", out.configure);
    s.read_uint("restart_ms", out.restart_ms, 0, 60000);
    s.read_uint("period_ms", out.period_ms, 100, 5000);
    s.read_bool("exact_dlc", out.exact_dlc);
    s.read_uint("poll_fallback_s", out.poll_fallback_s, 1, 60);
}

template <class T>
void read_int_as(const Section& s, std::string_view key, T& out, std::int64_t lo, std::int64_t hi) {
    std::int64_t v = out;
    s.read_int(key, v, lo, hi);
    out = static_cast<T>(v);
}

// Pylon RS485 switches (inverter-rs485.md 1.7: the disputed items, defaults = the spec's choice).
void read_pylon_rs485(const Section& rs485, PylonRs485Config& out) {
    const auto s = rs485.child(
        "pylon",
        {"group", "ver", "answer_adr0", "dcl_negative", "current_61_unit_ma", "current_63_unit_ma",
         "manufacturer", "software_version", "mainline_version", "serial", "module_barcode_prefix",
         "cell_high_mv", "cell_low_mv", "cell_under_mv", "charge_temp_high_dc",
         "charge_temp_low_dc", "discharge_temp_high_dc", "discharge_temp_low_dc"});
    read_int_as(s, "group", out.group, 0, 7);
    if (const auto* v = s.raw("ver");
        v != nullptr && !(v->is_number_integer() && is_pylon_ver(v->get<std::int64_t>())))
        s.fail("ver",
               describe_json(*v) + " is not a Pylon RS485 VER (valid: 32 = 0x20, 40 = 0x28)");
    read_int_as(s, "ver", out.ver, 0x20, 0x28);
    s.read_bool("answer_adr0", out.answer_adr0);
    s.read_bool("dcl_negative", out.dcl_negative);
    s.read_uint_choice("current_61_unit_ma", out.current_61_unit_ma, {1, 10});
    s.read_uint_choice("current_63_unit_ma", out.current_63_unit_ma, {10, 100});
    s.read_string("manufacturer", out.manufacturer, 20);
    read_int_as(s, "software_version", out.software_version, 0, 0xFFFF);
    read_int_as(s, "mainline_version", out.mainline_version, 0, 0xFFFFFF);
    s.read_string("serial", out.serial, 16);
    s.read_string("module_barcode_prefix", out.module_barcode_prefix, 14);
    read_int_as(s, "cell_high_mv", out.cell_high_mv, 2000, 4500);
    read_int_as(s, "cell_low_mv", out.cell_low_mv, 2000, 4500);
    read_int_as(s, "cell_under_mv", out.cell_under_mv, 2000, 4500);
    read_int_as(s, "charge_temp_high_dc", out.charge_temp_high_dc, -400, 1000);
    read_int_as(s, "charge_temp_low_dc", out.charge_temp_low_dc, -400, 1000);
    read_int_as(s, "discharge_temp_high_dc", out.discharge_temp_high_dc, -400, 1000);
    read_int_as(s, "discharge_temp_low_dc", out.discharge_temp_low_dc, -400, 1000);
}

void read_rs485(const Section& inv, Rs485Config& out) {
    const auto s = inv.child("rs485", {"device", "baud", "address", "rs485_mode", "turnaround_ms",
                                       "pylon", "voltronic"});
    read_pylon_rs485(s, out.pylon);
    s.child("voltronic", {"length"})
        .read_enum("length", out.voltronic.length,
                   {{"words", VoltronicLength::words},
                    {"bytes", VoltronicLength::bytes},
                    {"standard", VoltronicLength::standard}});
    s.read_string("device", out.device);
    s.read_uint_choice("baud", out.baud, kSerialBauds);
    if (const auto* a = s.raw("address"); a != nullptr) {
        if (a->is_null()) {
            out.address.reset();
            s.mark_given("address");
        } else {
            std::uint32_t addr = 0;
            s.read_uint("address", addr, 0, 247);  // Modbus slave range; Pylon uses 0x02
            out.address = static_cast<std::uint8_t>(addr);
        }
    }
    s.read_bool("rs485_mode", out.rs485_mode);
    // Below the shortest answer deadline (Pylon/Voltronic 100 ms) with room for the reply itself.
    s.read_optional_double("turnaround_ms", out.turnaround_ms, 0, kMaxTurnaroundMs);
}

void read_identity(const Section& s, std::string& out) {
    const auto* v = s.raw("name");
    if (v == nullptr) return;
    if (!v->is_string()) s.fail("name", "must be a string of 1 to 8 printable ASCII characters");
    const auto& t = v->get_ref<const std::string&>();
    // The CAN name frame (0x35E) carries 8 ASCII bytes.
    bool printable = !t.empty() && t.size() <= 8;
    for (char c : t)
        printable = printable && c >= 0x20 && c < 0x7F;
    if (!printable) s.fail("name", "\"" + t + "\" must be 1 to 8 printable ASCII characters");
    out = t;
    s.mark_given("name");
}

void derive(const Section& s, const char* key, const std::string& why) {
    auto* origins = s.context().origins;
    if (origins != nullptr && origins->given.count(s.path(key)) == 0)
        origins->derived[s.path(key)] = why;
}

}  // namespace

void read_inverter(const Section& root, InverterConfig& out) {
    const auto s = root.child("inverter", {"link", "protocol", "brand", "variant", "name", "can",
                                           "rs485", "alive_timeout_s"});
    std::optional<Link> link_given;
    if (const auto* v = s.raw("link"); v != nullptr) {
        if (!v->is_string() || !cat::parse_link(v->get<std::string>()))
            s.fail("link", describe_json(*v) + " is not a link (valid: \"can\", \"rs485\")");
        link_given = cat::parse_link(v->get<std::string>());
        s.mark_given("link");
    }
    const auto* brand = read_brand(s, link_given);
    const auto spec = read_protocol_spec(s);
    std::optional<std::string> variant_given;
    if (s.raw("variant") != nullptr) {
        std::string v;
        s.read_string("variant", v, 32);
        variant_given = v;
    }
    const std::string brand_why =
        brand ? "from /inverter/brand \"" + std::string(brand->key) + "\"" : "";

    // 1. The link.
    Link link = out.link;
    std::string link_why;
    if (link_given) {
        link = *link_given;
        if (brand && brand->link != link)
            s.fail("link", "\"" + std::string(cat::to_string(link)) + "\" contradicts brand \"" +
                               std::string(brand->display) + "\", which uses " +
                               std::string(cat::to_string(brand->link)) + " (valid: \"" +
                               std::string(cat::to_string(brand->link)) + "\", or leave link out)");
    } else if (brand) {
        link = brand->link;
        link_why = brand_why;
    } else if (spec && spec->name &&
               (spec->name->can.has_value() != spec->name->rs485.has_value())) {
        link = spec->name->can ? Link::can : Link::rs485;
        link_why = "from /inverter/protocol \"" + spec->text + "\"";
    }

    // 2. The protocol.
    Protocol protocol = out.protocol;
    std::string name_variant;
    if (spec) {
        const cat::ProtocolInfo* found = nullptr;
        if (spec->dip) {
            found = cat::find_dip(link, *spec->dip);
            if (found == nullptr)
                s.fail("protocol", "DIP " + std::to_string(*spec->dip) + " (\"" +
                                       cat::dip_switches(*spec->dip) + "\") does not exist on " +
                                       std::string(cat::to_string(link)) + " (valid on " +
                                       std::string(cat::to_string(link)) + ": " +
                                       cat::choices_on(link) + ")");
        } else if (spec->name != nullptr) {  // read_protocol_spec sets a DIP or a name
            const auto& p = link == Link::can ? spec->name->can : spec->name->rs485;
            if (!p)
                s.fail("protocol", "\"" + spec->text + "\" is not a " +
                                       std::string(cat::to_string(link)) + " protocol (valid on " +
                                       std::string(cat::to_string(link)) + ": " +
                                       cat::choices_on(link) + ")");
            found = &cat::info(*p);
            name_variant = std::string(spec->name->variant);
        }
        if (found == nullptr) s.fail("protocol", "\"" + spec->text + "\" is not a protocol");
        protocol = found->protocol;
    } else if (brand) {
        protocol = brand->allowed.front().protocol;
        derive(s, "protocol", brand_why);
    } else if (link == Link::rs485) {
        s.fail("protocol", "is required when /inverter/link is \"rs485\" (valid on rs485: " +
                               cat::choices_on(Link::rs485) + "), or set /inverter/brand");
    }

    // 3. The brand must allow it.
    const cat::BrandProtocol* brand_choice = nullptr;
    if (brand) {
        for (const auto& a : brand->allowed)
            if (a.protocol == protocol) brand_choice = &a;
        if (brand_choice == nullptr)
            s.fail("protocol", "\"" + spec->text + "\" (" + protocol_label(protocol) +
                                   ") contradicts brand \"" + std::string(brand->display) +
                                   "\" (valid for " + std::string(brand->display) + ": " +
                                   brand_choices(*brand) + ")" + kBrandOrProtocol);
    }

    // 4. The variant: explicit, or from the brand, or from the protocol name, or the default.
    const auto& pinfo = cat::info(protocol);
    const std::string variants = pinfo.variant_names();
    const std::string fixed = brand_choice ? std::string(brand_choice->variant) : "";
    if (!fixed.empty() && !name_variant.empty() && fixed != name_variant)
        s.fail("protocol", "\"" + spec->text + "\" contradicts brand \"" +
                               std::string(brand->display) + "\" (valid for " +
                               std::string(brand->display) + ": " + brand_choices(*brand) + ")" +
                               kBrandOrProtocol);
    std::string variant;
    if (variant_given) {
        if (!pinfo.has_variants())
            s.fail("variant", "protocol " + std::string(pinfo.key) +
                                  " has no variants (remove /inverter/variant)");
        if (pinfo.variant(*variant_given) == nullptr || variant_given->empty())
            s.fail("variant", "\"" + *variant_given + "\" is not a variant of " +
                                  std::string(pinfo.key) + " (valid: " + variants + ")");
        const std::string implied = !fixed.empty() ? fixed : name_variant;
        if (!implied.empty() && implied != *variant_given)
            s.fail("variant", "\"" + *variant_given + "\" contradicts " +
                                  (!fixed.empty() ? "brand \"" + std::string(brand->display) + "\""
                                                  : "/inverter/protocol \"" + spec->text + "\"") +
                                  " (valid: \"" + implied + "\"; or remove /inverter/variant)");
        variant = *variant_given;
    } else if (!fixed.empty()) {
        variant = fixed;
        derive(s, "variant", brand_why);
    } else if (!name_variant.empty()) {
        variant = name_variant;
        derive(s, "variant", "from /inverter/protocol \"" + spec->text + "\"");
    } else if (pinfo.has_variants()) {
        variant = std::string(pinfo.variants.front().name);
    }

    out.link = link;
    if (!link_why.empty()) derive(s, "link", link_why);
    out.protocol = protocol;
    out.variant = variant;
    if (brand) out.brand = std::string(brand->key);

    read_identity(s, out.name);
    read_can(s, out.can);
    read_rs485(s, out.rs485);
    s.read_uint("alive_timeout_s", out.alive_timeout_s, 1, 3600);
}

}  // namespace packbridge::config_detail
