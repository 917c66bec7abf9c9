// SPDX-License-Identifier: Apache-2.0
#pragma once

// The inverter side for a config: the protocol catalogue of the service layer. Adding a
// protocol = its codec + one line here.

#include <memory>
#include <string>

#include "packbridge/asio.hpp"
#include "packbridge/config.hpp"
#include "packbridge/result.hpp"
#include "packbridge/service/can_side.hpp"
#include "packbridge/service/daemon.hpp"
#include "packbridge/service/inverter_side.hpp"

namespace packbridge::service {

// Whether this build can drive the configured inverter protocol/variant; the error says which
// ones it can. Checked at start-up, before anything is opened.
Result<void> inverter_supported(const InverterConfig& config);

// The CAN frame builder for a CAN config (protocol, variant, name, options).
Result<CanCodec> make_can_codec(const InverterConfig& config);

std::unique_ptr<InverterSide> make_inverter_side(boost::asio::io_context& io, const Config& config,
                                                 const DaemonOptions& options,
                                                 BatterySource source);

}  // namespace packbridge::service
