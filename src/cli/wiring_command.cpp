// SPDX-License-Identifier: Apache-2.0
#include "cli/wiring_command.hpp"

#include "cli/command_line.hpp"
#include "cli/common.hpp"
#include "cli/wiring_text.hpp"

namespace packbridge::cli {
namespace {

namespace cat = packbridge::catalogue;

}  // namespace

int wiring_command(std::span<const std::string> args, std::ostream& out, std::ostream& err) {
    WiringArgs parsed;
    if (auto exit = parse_wiring(args, parsed, out, err)) return *exit;
    const std::string& brand_text = parsed.brand;
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
