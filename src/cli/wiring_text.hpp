#pragma once

// Text renderings of the seed's tables, shared by `wiring` and `check-config`.

#include <ostream>

#include "packbridge/catalogue.hpp"

namespace packbridge::cli {

void print_pinouts(std::ostream& out);
void print_protocol_table(std::ostream& out);
void print_address_table(std::ostream& out);
void print_brand_table(std::ostream& out);
void print_seed_notes(std::ostream& out);
// The inverter-side pins, the cable pin by pin, and what to connect packbridge's adapter to.
void print_cable(std::ostream& out, const catalogue::BrandInfo& brand);
// The DIP switches of the host pack (address 0) for a protocol.
void print_host_dip(std::ostream& out, Protocol protocol);
void print_brand(std::ostream& out, const catalogue::BrandInfo& brand);

}  // namespace packbridge::cli
