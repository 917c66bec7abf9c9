// SPDX-License-Identifier: Apache-2.0
#include "packbridge/sim/sim_cli.hpp"

#include <spdlog/spdlog.h>
#include <unistd.h>

#include <algorithm>
#include <optional>
#include <string_view>

#include "cli/arg_values.hpp"
#include "cli/parser.hpp"
#include "packbridge/asio.hpp"
#include "packbridge/sim/bus_sim.hpp"
#include "packbridge/sim/sim_line.hpp"

namespace packbridge::sim {

namespace {

// A fault option's value "A" (on) or "A:V" as the control command "<cmd> A on" / "<cmd> A V".
std::string fault_command(const std::string& cmd, const std::string& value) {
    const auto colon = value.find(':');
    return cmd + " " +
           (colon == std::string::npos ? value + " on"
                                       : value.substr(0, colon) + " " + value.substr(colon + 1));
}

// "A" or "A:V" with A a pack address; V is checked by the simulator's command.
std::string fault_problem(const std::string& text) {
    return cli::arg_values::address_problem(text.substr(0, text.find(':')));
}

struct SimArgs {
    SimOptions options;
    std::string device;
    std::string link;
    std::string scenario_path;
    std::string control_path;
    std::vector<std::uint8_t> addresses{0};
    std::optional<std::string> tail;
    std::vector<std::string> commands;  // fault options as control commands, applied at start
};

// nullopt: run; otherwise the exit code (0 after --help, 2 after a usage error).
std::optional<int> parse_sim(std::span<const std::string> args, SimArgs& parsed, std::ostream& out,
                             std::ostream& err) {
    namespace values = cli::arg_values;
    using cli::parser::check;
    CLI::App app(
        "Simulates PACE packs on an RS485 bus: on a new pseudo-terminal (default; prints\n"
        "\"PTY <path>\") or on --device. Prints \"READY\" when live. Stops on SIGINT/SIGTERM\n"
        "or the quit command.",
        "packbridge-sim");
    cli::parser::shape(app, "packbridge-sim [options]");
    auto& o = parsed.options;

    cli::parser::add_device(app, parsed.device, "use a real serial device instead of a pty")
        ->group("Line");
    app.add_option("--link", parsed.link, "also make PATH a symlink to the pty slave")
        ->type_name("PATH")
        ->group("Line");
    cli::parser::add_baud(app, o.baud, "line speed, 9600 (bytes are paced at 10 bits each)")
        ->group("Line");
    std::string ver;
    app.add_option("--ver", ver, "VER byte in replies, in hex: 25 (default) or 20")
        ->type_name("V")
        ->check(check(
            [](const std::string& t) {
                return values::parse_hex_byte(t) ? std::string()
                                                 : "\"" + t + "\" is not one hex byte (25 or 20)";
            },
            ""))
        ->group("Line");
    app.add_option("--latency-ms", o.latency_ms, "request end -> first reply byte, 20")
        ->type_name("N")
        ->group("Line");

    unsigned packs = 0;
    std::string addresses;
    app.add_option("--packs", packs, "packs at addresses 0..N-1 (default 1)")
        ->type_name("N")
        ->check(check(values::pack_count_problem, ""))
        ->group("Packs");
    app.add_option("--addresses", addresses, "e.g. 0,1,5 or 0-15 (overrides --packs)")
        ->type_name("LIST")
        ->check(check(
            [](const std::string& t) {
                std::string problem;
                values::parse_address_list(t, problem);
                return problem;
            },
            ""))
        ->group("Packs");
    std::string tail;
    app.add_option("--tail", tail, "record tail for every pack: p3|p2soc|p9 (default: by address)")
        ->type_name("TAIL")
        ->group("Packs");
    app.add_option("--evolve-ms", o.evolve_ms,
                   "values evolve every N ms (SOC follows current); 0 = frozen (default)")
        ->type_name("N")
        ->group("Packs");
    app.add_option("--seed", o.seed, "values differ per seed, 1")->type_name("N")->group("Packs");
    unsigned host = 0;
    auto* host_option =
        cli::parser::add_address(app, "--host", host, "pack ADR is a host polling the others")
            ->group("Packs");
    app.add_option("--host-period-ms", o.host_period_ms, "host idle time between sweeps, 1000")
        ->type_name("N")
        ->group("Packs");

    // Faults, also control commands; each may be given more than once.
    struct Fault {
        const char* option;
        const char* command;
        const char* what;
        std::vector<std::string> values;
    };
    std::vector<Fault> faults{
        {"--silent", "silence", "pack ADR does not answer", {}},
        {"--bad-checksum", "bad-checksum", "pack ADR answers with a wrong checksum", {}},
        {"--garbage-before", "garbage-before", "pack ADR sends noise before each reply", {}},
        {"--duplicate", "duplicate", "a second pack answers at ADR (collisions)", {}},
        {"--error", "error", "pack ADR answers with error code RTN (ADR:RTN)", {}},
        {"--delay", "delay", "pack ADR answers MS late (ADR:MS)", {}},
    };
    for (auto& f : faults) {
        app.add_option(f.option, f.values, f.what)
            ->type_name("ADR")
            ->allow_extra_args(false)
            ->check(check(fault_problem, ""))
            ->group("Faults (also as control commands)");
    }

    app.add_option("--scenario", parsed.scenario_path,
                   "JSON {\"packs\":[{\"address\":0,\"tail\":\"p9\",\"current_ma\":-5000,\n"
                   "\"soc_pct\":40,\"firmware\":\"..\",\"serial\":\"..\",\"silent\":false}],\n"
                   "\"timeline\":[{\"at_ms\":1000,\"cmd\":\"silence 3\"}]}")
        ->type_name("FILE")
        ->group("Control and state");
    app.add_option("--control", parsed.control_path,
                   "read control commands, one per line, from FIFO (created)")
        ->type_name("FIFO")
        ->group("Control and state");
    app.add_option("--dump-state", o.dump_path,
                   "write the exact simulated state and counters as JSON (at start,\n"
                   "on the dump command, at exit; replaced atomically, \"seq\" counts)")
        ->type_name("FILE")
        ->group("Control and state");
    app.footer(BusSim::command_help());

    if (auto exit = cli::parser::parse(app, "packbridge-sim", args, out, err)) return exit;
    if (!tail.empty()) parsed.tail = tail;
    if (!ver.empty()) o.ver = *values::parse_hex_byte(ver);
    if (host_option->count() > 0) o.host = static_cast<std::uint8_t>(host);
    std::string problem;
    if (!addresses.empty()) {
        parsed.addresses = *values::parse_address_list(addresses, problem);
    } else if (packs > 0) {
        parsed.addresses = *values::parse_address_list("0-" + std::to_string(packs - 1), problem);
    }
    for (const auto& f : faults) {
        // --silent A is the command "silence A"; the others take on/off or a value (A:V).
        for (const auto& v : f.values)
            parsed.commands.push_back(std::string_view(f.command) == "silence"
                                          ? "silence " + v
                                          : fault_command(f.command, v));
    }
    return std::nullopt;
}

}  // namespace

int run_sim(std::span<const std::string> args, std::ostream& out, std::ostream& err) {
    SimArgs parsed;
    if (auto exit = parse_sim(args, parsed, out, err)) return *exit;
    const SimOptions& options = parsed.options;
    const std::string& device = parsed.device;
    const auto& tail = parsed.tail;
    const auto& commands = parsed.commands;

    std::vector<SimPack> packs;
    for (const auto address : parsed.addresses) {
        packs.push_back(SimPack::make(address, options.seed));
        if (tail) {
            if (auto ok = apply_pack_override(packs.back(), {{"tail", *tail}}); !ok) {
                err << "packbridge-sim: --tail: " << ok.error().detail << "\n";
                return 2;
            }
        }
    }
    Scenario scenario;
    if (!parsed.scenario_path.empty()) {
        auto loaded = load_scenario(parsed.scenario_path);
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
    if (!parsed.control_path.empty()) {
        control =
            std::make_unique<ControlFifo>(io, parsed.control_path, [&](const std::string& text) {
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
