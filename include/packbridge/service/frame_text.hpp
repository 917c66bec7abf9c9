// SPDX-License-Identifier: Apache-2.0
#pragma once

// Frames as the trace log shows them, on both lines: ASCII frames ("~...\r", the pack bus and
// the Pylon/Voltronic inverter line) in the form `packbridge decode` reads back, binary frames
// (Modbus RTU) as hex bytes.

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace packbridge::service {

// The characters from '~' with the CR written as "\r" and other control bytes as "\xNN".
std::string trace_text(std::string_view raw);

// "01 03 00 10 00 13 04 07": upper-case hex, one space between bytes.
std::string hex_text(std::span<const std::uint8_t> bytes);

}  // namespace packbridge::service
