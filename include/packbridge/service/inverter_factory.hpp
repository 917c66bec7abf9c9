// SPDX-License-Identifier: Apache-2.0
#pragma once

// Builds the inverter side (CAN or RS485) for a config around the output the protocol table
// makes; the daemon calls it at start and when a reload changes the inverter section.

#include <memory>
#include <string>

#include "packbridge/asio.hpp"
#include "packbridge/config.hpp"
#include "packbridge/result.hpp"
#include "packbridge/service/can_side.hpp"
#include "packbridge/service/daemon.hpp"
#include "packbridge/service/inverter_side.hpp"

namespace packbridge::service {

// The inverter side for a config, its output built by the protocol table (catalogue.hpp). It
// reads `battery`, the daemon's snapshot, which must outlive it. Null with a logged reason when
// the table has no such output.
std::unique_ptr<InverterSide> make_inverter_side(boost::asio::io_context& io, const Config& config,
                                                 const DaemonOptions& options,
                                                 const Battery& battery);

}  // namespace packbridge::service
