// SPDX-License-Identifier: Apache-2.0
#pragma once

// The seed's tables as data: the BMS DIP table (link + DIP value -> inverter protocol), the
// brand table (brand -> link, protocol, variant, inverter-side pins, cable) and the BMS RJ45
// pinouts. Pure lookups: the config loader resolves against it, `packbridge wiring` renders it.
// Source: specs/seed-bms-wiring.md, with the brand -> DIP column (empty in the seed) filled from
// DESIGN.md section 4 and specs/inverter-can.md section 6.

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "packbridge/config.hpp"
#include "packbridge/protocol/inverter/can/can_codec.hpp"
#include "packbridge/protocol/inverter/rs485/rs485_responder.hpp"
#include "packbridge/result.hpp"

namespace packbridge::catalogue {

// ---------------------------------------------------------------------------------------------
// Protocols (the DIP table)

// How a variant's output is built: a CAN codec or an RS485 responder from the inverter config
// (name, addresses, options). The variant is already checked against the table.
using CanMaker = protocol::CanCodec (*)(const InverterConfig& config);
using Rs485Maker = std::unique_ptr<protocol::Rs485Responder> (*)(const InverterConfig& config);

struct VariantInfo {
    std::string_view name;  // "" = the protocol has no variants (its only row)
    CanMaker can = nullptr;
    Rs485Maker rs485 = nullptr;
};

struct ProtocolInfo {
    Protocol protocol;
    Link link;
    std::uint8_t dip;             // 0, 16, 32 or 48: the value of switches #5 (16) and #6 (32)
    std::string_view key;         // config/CLI name of the family ("sma_victron")
    std::string_view seed_label;  // what the seed's DIP table prints for it
    std::span<const VariantInfo> variants;  // first = default; one unnamed row = no variants
    std::string_view note;                  // certainty, from the specs

    [[nodiscard]] bool has_variants() const {
        return variants.size() > 1 || (!variants.empty() && !variants.front().name.empty());
    }
    // The row for a variant name ("" = the default), or null when the protocol has no such one.
    [[nodiscard]] const VariantInfo* variant(std::string_view name) const;
    // "\"sma\", \"victron\", \"sofar\"" for messages; "" when the protocol has no variants.
    [[nodiscard]] std::string variant_names() const;
};

std::span<const ProtocolInfo> protocols();
const ProtocolInfo& info(Protocol p);
std::string_view to_string(Link link);
std::optional<Link> parse_link(std::string_view text);  // "can" | "rs485" (case-insensitive)

// The protocol at a DIP value on a link, if the seed defines one (rs485 has no 16).
const ProtocolInfo* find_dip(Link link, unsigned dip);
// Switch #5 (value 16) and #6 (value 32) for a DIP value: "OFF ON" = #5 OFF, #6 ON = 32.
std::string dip_switches(unsigned dip);
// Parses "OFF ON" (also "off/on", "OFF,ON") to 0/16/32/48; nullopt when not a switch pair.
std::optional<unsigned> parse_dip_switches(std::string_view text);

// A protocol name as the seed writes it (pylon, deye, victron, sma, sofar, growatt, luxpower,
// srne, voltronic) or a family key; case-insensitive. A name can imply a link (srne -> rs485)
// and a variant (victron -> sma_victron/victron). "growatt" exists on both links.
struct ProtocolName {
    std::string_view name;
    std::optional<Protocol> can;    // what the name means on CAN, if anything
    std::optional<Protocol> rs485;  // what the name means on RS485, if anything
    std::string_view variant;       // variant the name selects ("" = the protocol's default)
};
const ProtocolName* find_protocol_name(std::string_view text);
std::span<const ProtocolName> protocol_names();

// The output for a config, built by its table row: errors name the valid choices. Checked at
// start-up (`run`, `check-config`) before anything is opened; the factory builds from these.
Result<protocol::CanCodec> make_can_codec(const InverterConfig& config);
Result<std::unique_ptr<protocol::Rs485Responder>> make_rs485_responder(
    const InverterConfig& config);
Result<void> inverter_supported(const InverterConfig& config);

// Valid choices on a link, for error messages: "0 (luxpower), 16 (sma_victron), ...".
std::string choices_on(Link link);

// ---------------------------------------------------------------------------------------------
// Brands (the seed's "Inverter pins definition" table)

enum class Confidence { high, medium, low };

// One allowed protocol for a brand; variant "" = any variant of that protocol (default first).
struct BrandProtocol {
    Protocol protocol;
    std::string_view variant;
    std::string_view inverter_setting;  // what to select on the inverter, from the specs
};

struct BrandInfo {
    std::string_view key;                       // config name, e.g. "growatt-spf-can"
    std::string_view display;                   // as the seed writes it, e.g. "Growatt-SPF" + link
    std::span<const std::string_view> aliases;  // extra accepted spellings (case-insensitive)
    Link link;
    std::span<const BrandProtocol> allowed;  // first = what the brand resolves to
    // Inverter-side RJ45 pins from the seed. CAN: high/low = CANH/CANL. RS485: high = B, low = A.
    std::uint8_t pin_high;
    std::uint8_t pin_low;
    bool standard_cable;    // the seed's "Use standard network cables" column says OK
    Confidence confidence;  // how sure the specs are of the protocol choice
    std::string_view note;
};

std::span<const BrandInfo> brands();
// Exact (case-insensitive, spaces/underscores/dashes folded) match of key, display or alias.
const BrandInfo* find_brand(std::string_view text);
// Brand names that are ambiguous without a link ("growatt-spf"): the candidates, else empty.
std::vector<const BrandInfo*> brands_needing_link(std::string_view text);
// The brand's names closest to text by edit distance (best first, at most n).
std::vector<std::string_view> closest_brands(std::string_view text, std::size_t n = 3);
// Brands whose default protocol is p (the "which brands does this cover" list).
std::vector<const BrandInfo*> brands_for(Protocol p);

// Folds case and separators for name matching: "Sol-Ark" == "sol ark" == "SOLARK".
std::string fold_name(std::string_view text);
std::size_t edit_distance(std::string_view a, std::string_view b);

// ---------------------------------------------------------------------------------------------
// Pinouts and cables

// Signal on one pin of an 8-pin RJ45.
enum class Signal { nc, can_h, can_l, rs485_a, rs485_b, gnd };
std::string_view to_string(Signal s);

struct Jack {
    std::string_view name;
    std::array<Signal, 8> pins;       // index 0 = pin 1
    std::string_view seed_numbering;  // how the seed numbers it, when it differs
};

// The pack's RS485 (inverter/host) port, its CAN port and the two parallel ports.
const Jack& bms_rs485_port();
const Jack& bms_can_port();
const Jack& parallel_port_a();
const Jack& parallel_port_b();

struct Wire {
    std::uint8_t bms_pin;
    std::uint8_t inverter_pin;
    Signal signal;
};

// The cable from the host pack's CAN or RS485 port to the brand's inverter port: one wire per
// signal (the first BMS pin that carries it), and the BMS GND pins that must stay unconnected
// because the inverter uses that pin number for a signal.
struct Cable {
    std::vector<Wire> wires;
    bool straight_works;  // the wires above are what a straight 8-wire cable gives
    std::vector<std::uint8_t> bms_pins_to_cut;
};
Cable cable_for(const BrandInfo& brand);

// The address switches #1..#4 for pack address 0..15: "ON OFF OFF OFF" = address 1.
std::string address_switches(unsigned address);

}  // namespace packbridge::catalogue
