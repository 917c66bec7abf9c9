// SPDX-License-Identifier: Apache-2.0
#include "packbridge/protocol/inverter/can/can_inbound.hpp"

#include <algorithm>
#include <array>
#include <cstdio>

#include "packbridge/bytes.hpp"

namespace packbridge::protocol::can_inbound {
namespace {

using bytes::load_le16;
using bytes::load_le16s;

constexpr std::uint8_t kFullDlc = 8;
constexpr std::array<std::uint8_t, 3> kVictronTag = {'V', 'I', 'C'};  // 0x307 bytes 4-6

// The received payload with every byte at or past the DLC zeroed, so nothing past it is read.
std::array<std::uint8_t, 8> received(const CanFrame& f, std::uint8_t dlc) {
    std::array<std::uint8_t, 8> out{};
    std::copy_n(f.data.begin(), dlc, out.begin());
    return out;
}

}  // namespace

const char* to_string(Kind kind) {
    switch (kind) {
        case Kind::keep_alive:
            return "keep-alive";
        case Kind::identification:
            return "identification";
        case Kind::growatt_poll:
            return "growatt poll";
        case Kind::lux_command:
            return "lux command";
    }
    return "?";
}

std::optional<Inbound> decode(const CanFrame& f) {
    Inbound in;
    in.id = f.id;
    in.extended = f.extended;
    in.dlc = std::min(f.dlc, kFullDlc);
    in.complete = in.dlc == kFullDlc;
    const auto d = received(f, in.dlc);
    const std::span<const std::uint8_t> bytes{d.data(), d.size()};

    if (f.id == kKeepAliveId) {  // standard, or 29-bit as Schneider XW Pro sends it
        in.kind = Kind::keep_alive;
        if (in.complete && std::any_of(d.begin(), d.end(), [](std::uint8_t b) { return b != 0; })) {
            in.sma = SmaStatus{load_le16(bytes, 0), load_le16s(bytes, 2), load_le16s(bytes, 4),
                               load_le16s(bytes, 6)};
        }
        return in;
    }
    if (f.extended) return std::nullopt;
    switch (f.id) {
        case kIdentificationId:
            in.kind = Kind::identification;
            in.victron =
                in.dlc >= 7 && std::equal(kVictronTag.begin(), kVictronTag.end(), d.begin() + 4);
            return in;
        case kGrowattPollId:
            in.kind = Kind::growatt_poll;
            return in;
        case kLuxCommandId:
            in.kind = Kind::lux_command;
            in.command = d[0];
            in.shutdown_requested = (d[0] & kLuxShutdown) != 0;
            return in;
        default:
            return std::nullopt;
    }
}

std::string describe(const Inbound& in) {
    char head[32];
    if (in.extended) {
        std::snprintf(head, sizeof head, "%08X %s", in.id, to_string(in.kind));
    } else {
        std::snprintf(head, sizeof head, "%03X %s", in.id, to_string(in.kind));
    }
    std::string out = head;
    char buf[128];
    switch (in.kind) {
        case Kind::keep_alive:
            if (in.sma) {
                std::snprintf(buf, sizeof buf,
                              " (SMA: %.1f V %.1f A %.1f degC SOC %.1f %%; charging negative)",
                              in.sma->voltage_dv / 10.0, in.sma->current_da / 10.0,
                              in.sma->temperature_dc / 10.0, in.sma->soc_permille / 10.0);
                out += buf;
            }
            break;
        case Kind::identification:
            out += in.victron ? ": Victron GX" : ": not Victron (SMA relay state?)";
            break;
        case Kind::growatt_poll:
            break;
        case Kind::lux_command:
            std::snprintf(buf, sizeof buf, ": %02X%s", in.command,
                          in.shutdown_requested ? ", SHUTDOWN requested (not obeyed)" : "");
            out += buf;
            break;
    }
    if (!in.complete) {
        std::snprintf(buf, sizeof buf, " [DLC %u]", in.dlc);
        out += buf;
    }
    return out;
}

}  // namespace packbridge::protocol::can_inbound
