#pragma once

// The RS485 inverter side: packbridge is the slave. Bytes from the inverter's port are cut into
// requests (Modbus RTU by silence, or "~...\r" ASCII frames), each request is answered at once
// from the CURRENT battery by the protocol's responder, and nothing is ever sent unasked.

#include <memory>
#include <optional>
#include <string>

#include "packbridge/asio.hpp"
#include "packbridge/config.hpp"
#include "packbridge/protocol/modbus_rtu_framer.hpp"
#include "packbridge/protocol/rs485_responder.hpp"
#include "packbridge/service/inverter_side.hpp"
#include "packbridge/service/serial_transport.hpp"

namespace packbridge::protocol::ascii {
class Assembler;
}

namespace packbridge::service {

class Rs485Side final : public InverterSide {
  public:
    Rs485Side(boost::asio::io_context& io, const InverterConfig& config,
              std::unique_ptr<protocol::Rs485Responder> responder, BatterySource source);
    ~Rs485Side() override;

    void start() override;
    void stop() override;
    [[nodiscard]] bool producing(TimePoint now) const override;
    [[nodiscard]] status::InverterLink link_status(TimePoint now) const override;

  private:
    void on_bytes(std::span<const std::uint8_t> bytes);
    void drain_modbus(TimePoint now);
    void handle_request(std::span<const std::uint8_t> request);
    void note_alive(TimePoint now);

    boost::asio::io_context& io_;
    InverterConfig config_;
    std::unique_ptr<protocol::Rs485Responder> responder_;
    BatterySource source_;
    SerialTransport transport_;
    std::optional<protocol::modbus::RtuFramer> rtu_;
    std::unique_ptr<protocol::ascii::Assembler> ascii_;
    boost::asio::steady_timer silence_timer_;
    bool running_ = false;
    bool alive_ = false;
    std::optional<TimePoint> last_valid_;
    std::uint64_t requests_ = 0;
    std::uint64_t answers_ = 0;
    std::uint64_t malformed_ = 0;
};

}  // namespace packbridge::service
