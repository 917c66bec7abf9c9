// SPDX-License-Identifier: Apache-2.0
#pragma once

// Text renderings of the BMS manual's tables, shared by `wiring` and `check-config`.

#include <ostream>

#include "packbridge/catalogue.hpp"

namespace packbridge::cli {

void print_pinouts(std::ostream& out);
void print_protocol_table(std::ostream& out);
void print_address_table(std::ostream& out);
void print_brand_table(std::ostream& out);
void print_manual_notes(std::ostream& out);
// packbridge's own adapters: USB-RS485 to a pack's parallel port, CAN/RS485 adapter to the
// inverter port. Printed first: it is what a packbridge installer builds.
void print_packbridge_cabling(std::ostream& out, const catalogue::BrandInfo& brand);
// The inverter-side pins and the pack-to-inverter cable pin by pin (without packbridge).
void print_cable(std::ostream& out, const catalogue::BrandInfo& brand);
// The DIP switches of the host pack (address 0) for a protocol.
void print_host_dip(std::ostream& out, Protocol protocol);
void print_brand(std::ostream& out, const catalogue::BrandInfo& brand);

}  // namespace packbridge::cli
