// SPDX-License-Identifier: Apache-2.0
#pragma once

// The RS485 inverter side for the daemon: the port (SerialTransport, reopened with back-off)
// plus the responder service (service/rs485_server.hpp), which answers every request from the
// current battery. packbridge is the slave and never sends unasked.

#include <memory>

#include "packbridge/asio.hpp"
#include "packbridge/config.hpp"
#include "packbridge/protocol/inverter/rs485/rs485_responder.hpp"
#include "packbridge/service/inverter_side.hpp"
#include "packbridge/service/rs485_server.hpp"
#include "packbridge/service/serial_transport.hpp"
#include "packbridge/service/timers.hpp"

namespace packbridge::service {

class Rs485Side final : public InverterSide {
  public:
    Rs485Side(boost::asio::io_context& io, const InverterConfig& config,
              std::unique_ptr<protocol::Rs485Responder> protocol, const Battery& battery);
    ~Rs485Side() override;

    void start() override;
    void stop() override;
    [[nodiscard]] bool producing(TimePoint now) const override;
    [[nodiscard]] bool device_open() const override { return transport_.is_open(); }
    [[nodiscard]] status::InverterLink link_status(TimePoint now) const override;

  private:
    InverterConfig config_;
    SerialTransport transport_;
    AsioTimers timers_;
    Rs485Server responder_;
    bool running_ = false;
};

}  // namespace packbridge::service
