// SPDX-License-Identifier: Apache-2.0
#include "packbridge/service/status_line.hpp"

#include <utility>

#include "packbridge/bank/reasons.hpp"

namespace packbridge::service {
namespace {

std::string soc_text(std::uint16_t soc_centi) {
    // 0.1 % steps, rounded half up: 5432 (54.32 %) -> "54.3 %".
    const unsigned tenths = (static_cast<unsigned>(soc_centi) + 5U) / 10U;
    return std::to_string(tenths / 10U) + "." + std::to_string(tenths % 10U) + " %";
}

}  // namespace

std::string status_line(const Battery& battery, const BusLinkState& bus) {
    std::string s;
    if (battery.safe_state)
        s += battery.transmit ? "SAFE STATE (zeros), " : "SAFE STATE (silent), ";
    s += "packs " + std::to_string(battery.packs_counted) + "/" +
         std::to_string(battery.packs_known);
    // With no pack counted the SOC is not a reading: leave it out rather than show 0 %.
    if (battery.packs_counted > 0) s += ", SOC " + soc_text(battery.soc_centi);
    s += ", CCL " + bank::format_milli(battery.charge_current.value, false);
    s += ", DCL " + bank::format_milli(battery.discharge_current.value, false);
    if (!bus.open) {
        s += "; waiting for the pack-bus adapter ";
        s += bus.problem.empty() ? bus.device : "(" + bus.problem + ")";
        s += ", retrying";
    }
    return s;
}

std::optional<std::string> StatusLineGate::next(std::string line) {
    if (last_ && *last_ == line) return std::nullopt;
    last_ = line;
    return line;
}

}  // namespace packbridge::service
