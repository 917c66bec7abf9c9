// SPDX-License-Identifier: Apache-2.0
#include "packbridge/protocol/ascii/ascii_assembler.hpp"

namespace packbridge::protocol::ascii {

void Assembler::reset() {
    buf_.clear();
    in_frame_ = false;
}

std::size_t Assembler::chars_to_come() const {
    if (!in_frame_) return 0;
    const std::size_t have = buf_.size();
    const auto length = length_field_of(buf_);
    if (have < kHeaderChars) return kMinFrameChars - have;
    if (!length) return 1;  // a damaged header: only its CR (or a new '~') ends it
    const std::size_t lenid = *length & kMaxLenid;
    // LENID in characters, as the specification says; past that, a sender counting bytes
    // (decode() accepts twice the characters), then just the CR.
    for (const std::size_t info : {lenid, 2 * lenid}) {
        if (have < kMinFrameChars + info) return kMinFrameChars + info - have;
    }
    return 1;
}

void Assembler::feed(std::span<const std::uint8_t> bytes,
                     const std::function<void(const AssembledFrame&)>& on_frame) {
    for (const auto byte : bytes) {
        const char c = static_cast<char>(byte);
        if (c == kSoi) {
            if (in_frame_) {
                // A new start before the old frame ended: report the orphan, keep the new one.
                on_frame(
                    {make_error(Errc::truncated, "frame interrupted by a new '~' after " +
                                                     std::to_string(buf_.size()) + " characters"),
                     buf_});
            }
            buf_.assign(1, c);
            in_frame_ = true;
            continue;
        }
        if (!in_frame_) {
            ++noise_;
            continue;
        }
        buf_.push_back(c);
        if (c == kEoi) {
            on_frame({decode(buf_), buf_});
            reset();
        } else if (buf_.size() > kMaxFrameChars) {
            on_frame({make_error(Errc::bad_length,
                                 "no CR within " + std::to_string(kMaxFrameChars) + " characters"),
                      buf_});
            reset();
        }
    }
}

}  // namespace packbridge::protocol::ascii
