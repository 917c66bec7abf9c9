// SPDX-License-Identifier: Apache-2.0
#pragma once

// The builders the protocol table's variant rows point at (inverter_codecs.cpp).

#include <memory>

#include "packbridge/config.hpp"
#include "packbridge/protocol/inverter/can/can_codec.hpp"
#include "packbridge/protocol/inverter/rs485/rs485_responder.hpp"

namespace packbridge::catalogue::codecs {

protocol::CanCodec pylon_can(const InverterConfig& config);
protocol::CanCodec pylon_solark(const InverterConfig& config);
protocol::CanCodec pylon_goodwe(const InverterConfig& config);
protocol::CanCodec sma_can(const InverterConfig& config);
protocol::CanCodec victron_can(const InverterConfig& config);
protocol::CanCodec sofar_can(const InverterConfig& config);
protocol::CanCodec goodwe_sma_can(const InverterConfig& config);
protocol::CanCodec growatt_can(const InverterConfig& config);
protocol::CanCodec lux_can(const InverterConfig& config);

std::unique_ptr<protocol::Rs485Responder> pylon_rs485(const InverterConfig& config);
std::unique_ptr<protocol::Rs485Responder> pace_modbus(const InverterConfig& config);
std::unique_ptr<protocol::Rs485Responder> voltronic_485(const InverterConfig& config);
std::unique_ptr<protocol::Rs485Responder> growatt_rs485(const InverterConfig& config);

}  // namespace packbridge::catalogue::codecs
