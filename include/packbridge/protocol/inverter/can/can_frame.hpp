// SPDX-License-Identifier: Apache-2.0
#pragma once

// A classic CAN 2.0 frame as the pure encoders produce and the inbound handlers consume.
// Independent of SocketCAN's struct can_frame so the codecs build and test without <linux/can.h>.

#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace packbridge::protocol {

struct CanFrame {
    std::uint32_t id = 0;  // 11-bit standard id, or 29-bit when extended
    bool extended = false;
    std::uint8_t dlc = 8;
    std::array<std::uint8_t, 8> data{};

    friend bool operator==(const CanFrame&, const CanFrame&) = default;
};

// A zeroed frame for an encoder to fill (DLC 8 unless the protocol sends shorter frames).
inline CanFrame make_frame(std::uint32_t id, std::uint8_t dlc = 8) {
    CanFrame f;
    f.id = id;
    f.dlc = dlc;
    return f;
}

// The whole 8-byte data field, for the bytes:: store helpers.
inline std::span<std::uint8_t> payload(CanFrame& f) {
    return {f.data.data(), f.data.size()};
}

// candump log style payload: "351#3002E803DC05E001" (standard) / "00000305#..." (extended).
std::string to_candump(const CanFrame& frame);

// A text field: `text`'s first 8 characters, the rest of the data `pad` (' ' or '\0').
void put_text(CanFrame& frame, std::string_view text, char pad);
// The text up to the DLC or the first NUL.
std::string text_of(const CanFrame& frame);

// For the codecs' one-line frame summaries (decode, dry run): printf into a string, and the
// summary of a frame the codec does not know, "id 3A5".
std::string format_text(const char* format, ...) __attribute__((format(printf, 1, 2)));
std::string describe_unknown(const CanFrame& frame);

}  // namespace packbridge::protocol
