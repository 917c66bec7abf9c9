// SPDX-License-Identifier: Apache-2.0
#include "cli/check_config_command.hpp"

#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <utility>
#include <vector>

#include "cli/command_line.hpp"
#include "cli/common.hpp"
#include "cli/wiring_text.hpp"
#include "packbridge/config/dump.hpp"
#include "packbridge/config/load.hpp"

namespace packbridge::cli {
namespace {

namespace cat = packbridge::catalogue;

// Every leaf of the resolved config, one line each, with where it came from.
void print_values(std::ostream& out, const nlohmann::ordered_json& node, const std::string& path,
                  const ConfigOrigins& o) {
    const bool leaf = !node.is_object();
    if (!leaf) {
        for (const auto& [key, value] : node.items())
            print_values(out, value, std::string(path).append("/").append(key), o);
        return;
    }
    out << "  " << path << " = " << node.dump();
    if (o.given.count(path) != 0) {
        out << "\n";
    } else if (auto it = o.derived.find(path); it != o.derived.end()) {
        out << "   (" << it->second << ")\n";
    } else {
        out << "   (default)\n";
    }
}

// Serial devices the config names that do not exist right now (an adapter not plugged in, a
// typo). Not an error: the daemon starts, serves the inverter in the safe state and opens the
// device when it appears; but the installer should know before wondering why no pack answers.
void warn_missing_devices(const Config& config, std::ostream& err) {
    std::vector<std::pair<const char*, std::string>> devices{{"/bus/device", config.bus.device}};
    if (config.inverter.link == Link::rs485)
        devices.emplace_back("/inverter/rs485/device", config.inverter.rs485.device);
    for (const auto& [key, device] : devices) {
        struct stat st {};
        if (::stat(device.c_str(), &st) == 0 || (errno != ENOENT && errno != ENOTDIR)) continue;
        err << "packbridge check-config: warning: " << key << " \"" << device
            << "\" does not exist now (" << std::strerror(errno)
            << "); the daemon will start anyway and wait for it (plug the adapter in, or fix "
            << key << ")\n";
    }
}

// What adaptive polling will treat as "near a limit", in the config's own numbers.
void print_reaction(std::ostream& out, const Config& config) {
    const auto& bus = config.bus;
    const auto& b = config.battery;
    if (bus.near_limit_poll_ms == 0) {
        out << "Adaptive polling: off (every pack once per sweep)\n";
        return;
    }
    out << "Adaptive polling: a pack near a limit is polled again within " << bus.near_limit_poll_ms
        << " ms: highest cell >= "
        << std::min(b.cell_charge_taper_start_mv, b.cell_max_mv) -
               std::min(bus.near_limit_margin_mv,
                        std::min(b.cell_charge_taper_start_mv, b.cell_max_mv))
        << " mV or lowest <= "
        << std::max(b.cell_discharge_taper_start_mv, b.cell_min_mv) + bus.near_limit_margin_mv
        << " mV, a warning or protection";
    if (bus.near_limit_current_pct > 0)
        out << ", or current >= " << bus.near_limit_current_pct << " % of the pack's limit";
    out << "\n";
}

}  // namespace

int check_config_command(std::span<const std::string> args, std::ostream& out, std::ostream& err) {
    CheckConfigArgs parsed;
    if (auto exit = parse_check_config(args, parsed, out, err)) return *exit;
    const std::string& path = parsed.config;
    ConfigOrigins origins;
    Config config;
    try {
        config = load_config_file(path, &origins);
    } catch (const ConfigError& e) {
        err << "packbridge check-config: " << e.what() << "\n";
        return kExitFailure;
    }
    const auto& inv = config.inverter;
    const auto& p = cat::info(inv.protocol);
    out << path << ": valid\n\n";
    warn_missing_devices(config, err);
    out << "Inverter link: " << cat::to_string(inv.link) << "\n";
    out << "Protocol: " << p.key << " (the BMS manual's DIP table: \"" << p.seed_label << "\"; "
        << p.note << ")\n";
    if (!inv.variant.empty()) out << "Variant: " << inv.variant << "\n";
    out << "DIP value: " << +p.dip << ", switches #5/#6: \"" << cat::dip_switches(p.dip) << "\"\n";
    print_host_dip(out, inv.protocol);
    out << "Brands on this protocol:";
    const char* separator = " ";
    for (const auto* b : cat::brands_for(inv.protocol)) {
        out << separator << b->display;
        separator = ", ";
    }
    out << "\n";
    if (inv.brand) {
        const auto* brand = cat::find_brand(*inv.brand);
        out << "Brand: " << brand->display << "\n";
        print_packbridge_cabling(out, *brand);
        out << "Without packbridge (the host pack straight to the inverter), for reference:\n";
        print_cable(out, *brand);
    } else {
        out << "Cable: set /inverter/brand, or run `packbridge wiring BRAND` for your inverter's "
               "cable\n";
    }
    print_reaction(out, config);
    out << "\nValues (\"(default)\" = not in the file):\n";
    print_values(out, config_to_json(config), "", origins);
    return kExitOk;
}

}  // namespace packbridge::cli
