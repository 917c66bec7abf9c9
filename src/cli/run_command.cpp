// SPDX-License-Identifier: Apache-2.0
#include "cli/run_command.hpp"

#include <spdlog/spdlog.h>

#include <filesystem>
#include <optional>

#include "cli/command_line.hpp"
#include "packbridge/asio.hpp"
#include "packbridge/catalogue.hpp"
#include "packbridge/config/load.hpp"
#include "packbridge/io/can_link.hpp"
#include "packbridge/io/notify.hpp"
#include "packbridge/service/daemon.hpp"
#include "packbridge/service/inverter_factory.hpp"
#include "packbridge/util/logging.hpp"
#include "packbridge/version.hpp"

namespace packbridge::cli {
int run_command(std::span<const std::string> args, std::ostream& out, std::ostream& err) {
    RunArgs parsed;
    if (auto exit = parse_run(args, parsed, out, err)) return *exit;
    const std::filesystem::path config_path = parsed.config;
    service::DaemonOptions options;
    options.dry_run = parsed.dry_run;
    std::optional<LogLevel> level_override;
    if (!parsed.log_level.empty()) level_override = parse_log_level(parsed.log_level);

    // Bad config is the one thing the daemon exits for, before it opens any device.
    Config config;
    try {
        config = load_config_file(config_path);
    } catch (const ConfigError& e) {
        err << "packbridge run: " << e.what() << "\n";
        return 1;
    }
    if (level_override) config.log.level = *level_override;
    // A valid config naming an inverter protocol this build cannot drive is refused before
    // anything opens: the inverter would otherwise see no BMS at all.
    if (auto supported = catalogue::inverter_supported(config.inverter); !supported) {
        err << "packbridge run: " << supported.error().detail << "\n";
        return 1;
    }
    // inverter.can.configure cannot work without CAP_NET_ADMIN (the unit grants it only with
    // the drop-in): refuse at start with what to install, rather than run with a CAN link
    // that may never come up.
    if (!options.dry_run && config.inverter.link == Link::can && config.inverter.can.configure &&
        config.inverter.can.interface != "-" &&
        io::have_net_admin() == std::optional<bool>(false)) {
        err << "packbridge run: "
            << io::can_configure_capability_error(config.inverter.can.interface) << "\n";
        return 1;
    }
    logging::init(config.log.level);
    spdlog::info("packbridge {} starting with {}", kVersion, config_path.string());

    // One thread runs everything, so the reactor need not lock each descriptor per wake-up (a
    // mutex pair per read and per timer was a tenth of the steady cost). Scheduler locking
    // stays: the MQTT output's resolver completes from Asio's own resolver thread.
    boost::asio::io_context io(BOOST_ASIO_CONCURRENCY_HINT_UNSAFE_IO);
    service::Daemon daemon(io, config, options, service::make_inverter_side);
    io::Notifier notifier;

    boost::asio::signal_set stop_signals(io, SIGTERM, SIGINT);
    boost::asio::signal_set reload_signal(io, SIGHUP);
    stop_signals.async_wait([&](const boost::system::error_code& ec, int signo) {
        if (ec) return;
        spdlog::info("received {}, stopping", signo == SIGTERM ? "SIGTERM" : "SIGINT");
        notifier.stopping();
        daemon.stop();
        reload_signal.cancel();
        io.stop();
    });
    std::function<void()> wait_reload = [&] {
        reload_signal.async_wait([&](const boost::system::error_code& ec, int) {
            if (ec) return;
            notifier.reloading();
            // The same checks as at start; whatever fails leaves the running config untouched.
            try {
                Config next = load_config_file(config_path);
                if (level_override) next.log.level = *level_override;
                if (auto supported = catalogue::inverter_supported(next.inverter); !supported) {
                    throw ConfigError(supported.error().detail);
                }
                logging::set_level(next.log.level);
                daemon.apply(std::move(next));
                spdlog::info("reload: applied {}", config_path.string());
            } catch (const ConfigError& e) {
                spdlog::error("reload: {} is invalid, keeping the running config: {}",
                              config_path.string(), e.what());
            }
            // systemd expects READY=1 to end a reload; before the first READY it would be a lie.
            daemon.acknowledge_reload();
            wait_reload();
        });
    };
    wait_reload();

    daemon.start();
    io.run();
    spdlog::info("stopped");
    return 0;
}

}  // namespace packbridge::cli
