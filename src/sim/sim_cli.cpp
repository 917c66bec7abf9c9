// SPDX-License-Identifier: Apache-2.0
#include "packbridge/sim/sim_cli.hpp"

#include <spdlog/spdlog.h>
#include <unistd.h>

#include <algorithm>
#include <map>
#include <optional>
#include <set>
#include <sstream>

#include "packbridge/asio.hpp"
#include "packbridge/sim/bus_sim.hpp"
#include "packbridge/sim/sim_line.hpp"

namespace packbridge::sim {

namespace {

constexpr const char* kUsage =
    "usage: packbridge-sim [options]\n"
    "Simulates PACE packs on an RS485 bus: on a new pseudo-terminal (default; prints \"PTY "
    "<path>\")\n"
    "or on --device. Prints \"READY\" when live. Stops on SIGINT/SIGTERM or the quit command.\n"
    "\n"
    "Line:\n"
    "  --device PATH          use a real serial device instead of a pty\n"
    "  --link PATH            also make PATH a symlink to the pty slave\n"
    "  --baud N               9600 (bytes are paced at 10 bits each)\n"
    "  --ver V                VER byte in replies, 0x25\n"
    "  --latency-ms N         request end -> first reply byte, 20\n"
    "Packs:\n"
    "  --packs N              packs at addresses 0..N-1 (default 1)\n"
    "  --addresses LIST       e.g. 0,1,5 or 0-15 (overrides --packs)\n"
    "  --tail p3|p2soc|p9     record tail for every pack (default: by address, p3/p2soc/p9)\n"
    "  --evolve-ms N          values evolve every N ms (SOC follows current); 0 = frozen "
    "(default)\n"
    "  --seed N               values differ per seed, 1\n"
    "  --host A               pack A is a host pack polling the others (for listen mode)\n"
    "  --host-period-ms N     host idle time between sweeps, 1000\n"
    "Faults (also as control commands):\n"
    "  --silent A  --bad-checksum A  --garbage-before A  --duplicate A\n"
    "  --error A:RTN  --delay A:MS\n"
    "Control and state:\n"
    "  --scenario FILE        JSON "
    "{\"packs\":[{\"address\":0,\"tail\":\"p9\",\"current_ma\":-5000,\n"
    "                         "
    "\"soc_pct\":40,\"firmware\":\"..\",\"serial\":\"..\",\"silent\":false}],\n"
    "                         \"timeline\":[{\"at_ms\":1000,\"cmd\":\"silence 3\"}]}\n"
    "  --control FIFO         read control commands, one per line, from FIFO (created)\n"
    "  --dump-state FILE      write the exact simulated state and counters as JSON (at start,\n"
    "                         on the dump command, at exit; replaced atomically, \"seq\" counts)\n"
    "\n";

std::vector<std::uint8_t> parse_addresses(const std::string& text) {
    std::set<std::uint8_t> out;
    std::stringstream in(text);
    std::string part;
    while (std::getline(in, part, ',')) {
        const auto dash = part.find('-');
        const int lo = std::stoi(part.substr(0, dash));
        const int hi = dash == std::string::npos ? lo : std::stoi(part.substr(dash + 1));
        if (lo < 0 || hi > 15 || lo > hi) {
            throw std::invalid_argument("--addresses: '" + part + "' is not within 0-15");
        }
        for (int a = lo; a <= hi; ++a) {
            out.insert(static_cast<std::uint8_t>(a));
        }
    }
    return {out.begin(), out.end()};
}

}  // namespace

int run_sim(std::span<const std::string> args, std::ostream& out, std::ostream& err) {
    SimOptions options;
    std::string device;
    std::string link;
    std::string scenario_path;
    std::string control_path;
    std::vector<std::uint8_t> addresses{0};
    std::optional<std::string> tail;
    std::vector<std::string> commands;
    for (std::size_t i = 0; i < args.size(); ++i) {
        const auto& a = args[i];
        auto value = [&]() -> const std::string& {
            if (i + 1 >= args.size()) {
                throw std::invalid_argument(a + " needs a value");
            }
            return args[++i];
        };
        auto fault = [&](const std::string& cmd, const std::string& v) {
            const auto colon = v.find(':');
            commands.push_back(cmd + " " +
                               (colon == std::string::npos
                                    ? v + " on"
                                    : v.substr(0, colon) + " " + v.substr(colon + 1)));
        };
        if (a == "--help" || a == "-h") {
            out << kUsage << BusSim::command_help();
            return 0;
        } else if (a == "--device") {
            device = value();
        } else if (a == "--link") {
            link = value();
        } else if (a == "--baud") {
            options.baud = static_cast<std::uint32_t>(std::stoul(value()));
        } else if (a == "--ver") {
            options.ver = static_cast<std::uint8_t>(std::stoul(value(), nullptr, 0));
        } else if (a == "--latency-ms") {
            options.latency_ms = static_cast<std::uint32_t>(std::stoul(value()));
        } else if (a == "--packs") {
            const auto n = std::stoul(value());
            if (n < 1 || n > 16) {
                throw std::invalid_argument("--packs: 1..16");
            }
            addresses = parse_addresses("0-" + std::to_string(n - 1));
        } else if (a == "--addresses") {
            addresses = parse_addresses(value());
        } else if (a == "--tail") {
            tail = value();
        } else if (a == "--evolve-ms") {
            options.evolve_ms = static_cast<std::uint32_t>(std::stoul(value()));
        } else if (a == "--seed") {
            options.seed = static_cast<std::uint32_t>(std::stoul(value()));
        } else if (a == "--host") {
            options.host = static_cast<std::uint8_t>(std::stoul(value()));
        } else if (a == "--host-period-ms") {
            options.host_period_ms = static_cast<std::uint32_t>(std::stoul(value()));
        } else if (a == "--silent") {
            commands.push_back("silence " + value());
        } else if (a == "--bad-checksum") {
            fault("bad-checksum", value());
        } else if (a == "--garbage-before") {
            fault("garbage-before", value());
        } else if (a == "--duplicate") {
            fault("duplicate", value());
        } else if (a == "--error") {
            fault("error", value());
        } else if (a == "--delay") {
            fault("delay", value());
        } else if (a == "--scenario") {
            scenario_path = value();
        } else if (a == "--control") {
            control_path = value();
        } else if (a == "--dump-state") {
            options.dump_path = value();
        } else {
            err << "packbridge-sim: unknown option '" << a << "'\n" << kUsage;
            return 2;
        }
    }

    std::vector<SimPack> packs;
    for (const auto address : addresses) {
        packs.push_back(SimPack::make(address, options.seed));
        if (tail) {
            if (auto ok = apply_pack_override(packs.back(), {{"tail", *tail}}); !ok) {
                err << "packbridge-sim: --tail: " << ok.error().detail << "\n";
                return 2;
            }
        }
    }
    Scenario scenario;
    if (!scenario_path.empty()) {
        auto loaded = load_scenario(scenario_path);
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

    auto line = device.empty() ? open_pty(options.baud, link) : open_device(device, options.baud);
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
    if (!control_path.empty()) {
        control = std::make_unique<ControlFifo>(io, control_path, [&](const std::string& text) {
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
