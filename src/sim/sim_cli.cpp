// SPDX-License-Identifier: Apache-2.0
#include "packbridge/sim/sim_cli.hpp"

#include <spdlog/spdlog.h>
#include <unistd.h>

#include <algorithm>
#include <optional>
#include <string_view>

#include "cli/arg_values.hpp"
#include "cli/command_line.hpp"
#include "packbridge/asio.hpp"
#include "packbridge/protocol/pack/families.hpp"
#include "packbridge/sim/bus_sim.hpp"
#include "packbridge/sim/sim_line.hpp"

namespace packbridge::sim {
namespace {

// "--family eg4" or "--family 0-1=pace,2=seplos": each pack's family, or an error text.
std::string apply_families(const std::string& spec, std::vector<SimPack>& packs) {
    std::size_t at = 0;
    while (at <= spec.size() && !spec.empty()) {
        const auto comma = spec.find(',', at);
        const auto item =
            spec.substr(at, comma == std::string::npos ? std::string::npos : comma - at);
        const auto eq = item.find('=');
        const auto name = eq == std::string::npos ? item : item.substr(eq + 1);
        const auto* family = protocol::pace::find_pack_family(name);
        if (family == nullptr)
            return "'" + name + "' is not a pack family (valid: pace, seplos, pylontech, eg4)";
        std::vector<std::uint8_t> addresses;
        if (eq != std::string::npos) {
            std::string problem;
            const auto list = cli::arg_values::parse_address_list(item.substr(0, eq), problem);
            if (!list) return problem;
            addresses = *list;
        }
        for (auto& pack : packs) {
            if (eq == std::string::npos ||
                std::find(addresses.begin(), addresses.end(), pack.address) != addresses.end())
                pack.set_family(family->dialect);
        }
        if (comma == std::string::npos) break;
        at = comma + 1;
    }
    return {};
}

}  // namespace

int run_sim(std::span<const std::string> args, std::ostream& out, std::ostream& err) {
    cli::SimArgs parsed;
    if (auto exit = cli::parse_sim(args, parsed, BusSim::command_help(), out, err)) return *exit;
    SimOptions options;
    options.baud = parsed.baud.value_or(options.baud);
    options.ver = parsed.ver.value_or(options.ver);
    options.latency_ms = parsed.latency_ms.value_or(options.latency_ms);
    options.evolve_ms = parsed.evolve_ms.value_or(options.evolve_ms);
    options.seed = parsed.seed.value_or(options.seed);
    if (parsed.host) options.host = parsed.host;
    options.host_period_ms = parsed.host_period_ms.value_or(options.host_period_ms);
    options.dump_path = parsed.dump_state;
    const std::string& device = parsed.device;
    const auto& commands = parsed.commands;
    if (parsed.addresses.empty()) parsed.addresses = {0};

    std::vector<SimPack> packs;
    for (const auto address : parsed.addresses) {
        packs.push_back(SimPack::make(address, options.seed));
        if (!parsed.tail.empty()) {
            if (auto ok = apply_pack_override(packs.back(), {{"tail", parsed.tail}}); !ok) {
                err << "packbridge-sim: --tail: " << ok.error().detail << "\n";
                return 2;
            }
        }
    }
    if (const auto problem = apply_families(parsed.family, packs); !problem.empty()) {
        err << "packbridge-sim: --family: " << problem << "\n";
        return 2;
    }
    Scenario scenario;
    if (!parsed.scenario.empty()) {
        auto loaded = load_scenario(parsed.scenario);
        if (!loaded) {
            err << "packbridge-sim: " << loaded.error().detail << "\n";
            return 2;
        }
        scenario = std::move(*loaded);
        for (const auto& spec : scenario.pack_overrides) {
            const auto address = spec.value("address", -1);
            auto it = std::find_if(packs.begin(), packs.end(),
                                   [&](const SimPack& p) { return p.address == address; });
            if (it == packs.end()) {
                err << "packbridge-sim: scenario names pack " << address
                    << ", which is not simulated\n";
                return 2;
            }
            if (auto ok = apply_pack_override(*it, spec); !ok) {
                err << "packbridge-sim: scenario pack " << address << ": " << ok.error().detail
                    << "\n";
                return 2;
            }
        }
    }

    auto line =
        device.empty() ? open_pty(options.baud, parsed.link) : open_device(device, options.baud);
    if (!line) {
        err << "packbridge-sim: " << line.error().describe() << "\n";
        return 1;
    }
    boost::asio::io_context io;
    BusSim sim(io, line->fd, options, std::move(packs));
    for (const auto& c : commands) {
        if (auto ok = sim.command(c); !ok) {
            err << "packbridge-sim: " << ok.error().detail << "\n";
            return 2;
        }
    }
    sim.on_quit = [&] {
        sim.stop();
        io.stop();
    };
    std::unique_ptr<ControlFifo> control;
    if (!parsed.control.empty()) {
        control = std::make_unique<ControlFifo>(io, parsed.control, [&](const std::string& text) {
            if (auto ok = sim.command(text); !ok) {
                spdlog::warn("sim: control '{}': {}", text, ok.error().detail);
            }
        });
        if (auto ok = control->open(); !ok) {
            err << "packbridge-sim: " << ok.error().detail << "\n";
            return 1;
        }
    }
    std::vector<std::unique_ptr<boost::asio::steady_timer>> timeline;
    for (const auto& [at, text] : scenario.timeline) {
        auto timer = std::make_unique<boost::asio::steady_timer>(io, milliseconds(at));
        timer->async_wait([&sim, text = text](const boost::system::error_code& ec) {
            if (!ec) {
                if (auto ok = sim.command(text); !ok) {
                    spdlog::warn("sim: timeline '{}': {}", text, ok.error().detail);
                }
            }
        });
        timeline.push_back(std::move(timer));
    }
    boost::asio::signal_set signals(io, SIGINT, SIGTERM);
    signals.async_wait([&](const boost::system::error_code& ec, int) {
        if (!ec) {
            sim.stop();
            io.stop();
        }
    });
    sim.start();
    out << (device.empty() ? "PTY " : "DEVICE ") << line->path << "\nREADY" << std::endl;
    io.run();
    sim.write_dump();
    if (line->slave_keepalive >= 0) {
        ::close(line->slave_keepalive);
    }
    return 0;
}

}  // namespace packbridge::sim
