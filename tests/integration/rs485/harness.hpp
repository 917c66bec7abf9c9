// SPDX-License-Identifier: Apache-2.0
#pragma once

// End-to-end harness for the RS485 inverter side: a socat pty pair (the RS485 line), the real
// service::Rs485Server on its own io_context thread reading the battery end through the real
// SerialTransport/io::Serial, and a Battery the test can swap (normal, safe state, silence).
// The test plays the inverter on the other end with mbpoll, pymodbus, a python3-serial Pylon
// master, or raw bytes (LineEnd).

#include <chrono>
#include <future>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

#include "packbridge/asio.hpp"
#include "packbridge/battery.hpp"
#include "packbridge/config.hpp"
#include "packbridge/service/rs485_server.hpp"
#include "packbridge/service/serial_transport.hpp"
#include "packbridge/service/timers.hpp"
#include "support/socat_pty.hpp"

namespace packbridge::testing {

// The example state (inverter-rs485.md 0.3, 123 cycles) from the real bank.
Battery rs485_live_battery();
// The same bank after its packs went silent for longer than comms_loss_s: the safe state, with
// on_comms_loss = zero (answers with zero limits) or silence (Battery.transmit = false).
Battery rs485_lost_battery(OnCommsLoss mode);

InverterConfig rs485_inverter(Protocol protocol, std::string variant = {});

class Rs485Line {
  public:
    explicit Rs485Line(const InverterConfig& inverter, Battery battery = rs485_live_battery());
    ~Rs485Line();
    Rs485Line(const Rs485Line&) = delete;
    Rs485Line& operator=(const Rs485Line&) = delete;

    [[nodiscard]] std::string master_port() const { return line_.inverter_path(); }
    void set_battery(Battery battery);
    [[nodiscard]] Battery battery();
    // A copy of the counters taken on the io thread (the service is single-threaded).
    [[nodiscard]] service::Rs485Counters counters();
    [[nodiscard]] bool inverter_alive();
    [[nodiscard]] Duration worst_latency();

  private:
    template <class F>
    auto on_io(F f) {
        std::packaged_task<decltype(f())()> task(std::move(f));
        auto result = task.get_future();
        boost::asio::post(io_, std::move(task));
        return result.get();
    }

    SocatPtyPair line_;
    boost::asio::io_context io_;
    service::AsioTimers timers_{io_};
    std::unique_ptr<service::SerialTransport> transport_;
    std::unique_ptr<service::Rs485Server> service_;
    mutable std::mutex mutex_;
    Battery battery_;
    std::thread thread_;
};

// Python masters in tests/integration/rs485/py, run by /usr/bin/python3 (Debian's, which has
// python3-pymodbus and python3-serial; python3 on PATH may be another interpreter).
nlohmann::json run_python(const std::string& script, const std::vector<std::string>& args,
                          std::chrono::milliseconds timeout = std::chrono::seconds(20));

// mbpoll output "[16]: 0xFB32" lines -> {reference: value}; raw stdout+stderr kept for messages.
struct MbpollResult {
    std::vector<std::pair<int, std::uint16_t>> values;
    std::string output;
};
// `values` after the port make mbpoll write instead of read.
MbpollResult run_mbpoll(const std::string& port, std::vector<std::string> options,
                        std::vector<std::string> values = {});

}  // namespace packbridge::testing
