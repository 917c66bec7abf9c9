// SPDX-License-Identifier: Apache-2.0
#include "harness.hpp"

#include <regex>
#include <stdexcept>

#include "packbridge/bank/bank.hpp"
#include "packbridge/catalogue.hpp"
#include "packbridge/protocol/inverter/rs485/rs485_responder.hpp"
#include "support/example_state.hpp"
#include "support/paths.hpp"
#include "support/process.hpp"

namespace packbridge::testing {

Battery rs485_live_battery() {
    return example_battery(123);
}

Battery rs485_lost_battery(OnCommsLoss mode) {
    auto config = example_battery_config();
    config.on_comms_loss = mode;
    bank::Bank bank(config);
    const TimePoint start{};
    for (int s = 0; s <= 30; ++s) {
        bank.update(start + seconds(s), example_readings(123, start + seconds(s)));
    }
    // The packs stop answering: their last readings age past stale_after_s and comms_loss_s.
    const auto last = example_readings(123, start + seconds(30));
    const auto lost_for = std::chrono::duration_cast<Duration>(
        std::chrono::duration<double>(config.comms_loss_s + config.stale_after_s + 1.0));
    return bank.update(start + seconds(30) + lost_for, last);
}

InverterConfig rs485_inverter(Protocol protocol, std::string variant) {
    InverterConfig c;
    c.link = Link::rs485;
    c.protocol = protocol;
    c.variant = std::move(variant);
    c.rs485.baud = 9600;
    c.alive_timeout_s = 2;
    return c;
}

Rs485Line::Rs485Line(const InverterConfig& inverter, Battery battery)
    : battery_(std::move(battery)) {
    auto config = inverter;
    config.rs485.device = line_.battery_path();
    auto protocol = catalogue::make_rs485_responder(config);
    if (!protocol) throw std::runtime_error(protocol.error().describe());
    transport_ = std::make_unique<service::SerialTransport>(
        io_, io::SerialOptions{config.rs485.device, config.rs485.baud, config.rs485.rs485_mode});
    if (auto opened = transport_->open(); !opened) {
        throw std::runtime_error(opened.error().describe());
    }
    service_ =
        std::make_unique<service::Rs485Server>(*transport_, timers_, std::move(*protocol), battery_,
                                               service::rs485_server_options(config));
    service_->start();
    thread_ = std::thread([this] {
        auto guard = boost::asio::make_work_guard(io_);
        io_.run();
    });
}

Rs485Line::~Rs485Line() {
    on_io([this] {
        service_->stop();
        return 0;
    });
    io_.stop();
    thread_.join();
    service_.reset();
    transport_.reset();
}

// The service reads battery_ on the io thread (the daemon's snapshot is likewise only touched
// on its loop): set and read it there.
void Rs485Line::set_battery(Battery battery) {
    on_io([&] {
        battery_ = std::move(battery);
        return 0;
    });
}

Battery Rs485Line::battery() {
    return on_io([this] { return battery_; });
}

service::Rs485Counters Rs485Line::counters() {
    return on_io([this] { return service_->counters(); });
}

bool Rs485Line::inverter_alive() {
    return on_io([this] { return service_->inverter_alive(Clock::now()); });
}

Duration Rs485Line::worst_latency() {
    return on_io([this] { return service_->worst_latency(); });
}

nlohmann::json run_python(const std::string& script, const std::vector<std::string>& args,
                          std::chrono::milliseconds timeout) {
    std::vector<std::string> argv{"/usr/bin/python3",
                                  (source_dir() / "tests/integration/rs485/py" / script).string()};
    argv.insert(argv.end(), args.begin(), args.end());
    const auto r = run_process(argv, timeout);
    if (r.timed_out || r.exit_code != 0) {
        throw std::runtime_error(script + " failed (exit " + std::to_string(r.exit_code) +
                                 (r.timed_out ? ", timed out" : "") + "): " + r.err + r.out);
    }
    return nlohmann::json::parse(r.out);
}

MbpollResult run_mbpoll(const std::string& port, std::vector<std::string> options,
                        std::vector<std::string> values) {
    std::vector<std::string> argv{"mbpoll", "-m", "rtu", "-b", "9600", "-P", "none",
                                  "-d",     "8",  "-s",  "1",  "-1",   "-o", "1"};
    argv.insert(argv.end(), options.begin(), options.end());
    argv.push_back(port);
    argv.insert(argv.end(), values.begin(), values.end());
    const auto r = run_process(argv, std::chrono::seconds(15));
    MbpollResult out;
    out.output = r.out + r.err;
    // mbpoll's exit code is not a reliable signal (inverter-rs485.md 5): parse what it printed.
    static const std::regex line(R"(\[(\d+)\]:\s+0x([0-9A-Fa-f]{4}))");
    for (std::sregex_iterator it(r.out.begin(), r.out.end(), line), end; it != end; ++it) {
        out.values.emplace_back(std::stoi((*it)[1].str()), static_cast<std::uint16_t>(std::stoul(
                                                               (*it)[2].str(), nullptr, 16)));
    }
    return out;
}

}  // namespace packbridge::testing
