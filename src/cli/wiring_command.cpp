// SPDX-License-Identifier: Apache-2.0
#include "cli/wiring_command.hpp"

#include "cli/common.hpp"
#include "cli/wiring_text.hpp"

namespace packbridge::cli {
namespace {

namespace cat = packbridge::catalogue;

void usage(std::ostream& out) {
    out << "usage: packbridge wiring [BRAND]\n\n"
           "Without BRAND: the pack's RJ45 pinouts, the DIP tables and the whole brand table.\n"
           "With BRAND: that inverter's pins, the cable to make pin by pin, and the DIP switches "
           "to set.\n"
           "BRAND is a name from the table (case-insensitive), e.g. victron, \"Growatt-SPF 485\", "
           "\"MPP Sola\".\n";
}

}  // namespace

int wiring_command(std::span<const std::string> args, std::ostream& out, std::ostream& err) {
    if (wants_help(args)) {
        usage(out);
        return kExitOk;
    }
    std::string brand_text;
    for (const auto& a : args) {
        if (a.starts_with("-")) {
            err << "packbridge wiring: unknown option \"" << a << "\"\n";
            usage(err);
            return kExitUsage;
        }
        brand_text += (brand_text.empty() ? "" : " ") + a;  // allow `wiring MPP Sola` unquoted
    }
    if (brand_text.empty()) {
        print_pinouts(out);
        out << "\n";
        print_protocol_table(out);
        out << "\n";
        print_address_table(out);
        out << "\n";
        print_brand_table(out);
        out << "\n";
        print_manual_notes(out);
        return kExitOk;
    }
    const auto* brand = cat::find_brand(brand_text);
    if (brand == nullptr) {
        const auto both = cat::brands_needing_link(brand_text);
        if (!both.empty()) {
            for (const auto* b : both) {
                print_brand(out, *b);
                out << "\n";
            }
            return kExitOk;
        }
        err << "packbridge wiring: unknown brand \"" << brand_text << "\"; closest:";
        for (auto c : cat::closest_brands(brand_text))
            err << " " << c;
        err << "\n(run `packbridge wiring` for the whole table)\n";
        return kExitFailure;
    }
    print_brand(out, *brand);
    return kExitOk;
}

}  // namespace packbridge::cli
