// SPDX-License-Identifier: Apache-2.0
#pragma once

// Which pack family each bus address speaks, for the poller: with bus.family set, every address
// is that family; with `auto`, an address is identified once from the replies (VER and CID1 of
// any reply, the layout of a 0x42 reply) by trying each request shape of the family table in
// turn, and then polled with its own family's commands. Replies that contradict the identified
// family (two families claiming one address) are logged to the journal once per address.

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>

#include "packbridge/config.hpp"
#include "packbridge/pack_reading.hpp"
#include "packbridge/protocol/ascii/ascii_frame.hpp"
#include "packbridge/protocol/pack/families.hpp"

namespace packbridge::service {

class PackFamilies {
  public:
    explicit PackFamilies(const BusConfig& config);

    // The request bytes for `cid2` to `address` in its family's shape (while unidentified: the
    // shape being tried).
    [[nodiscard]] std::string request(std::uint8_t address, std::uint8_t cid2) const;
    [[nodiscard]] const protocol::pace::PackFamily* family(std::uint8_t address) const;

    // An error reply (RTN != 0) while the address is unidentified: when its header names another
    // request shape not tried yet, switch to it and return true (ask again at once).
    bool retry_after_error(std::uint8_t address, const protocol::ascii::Frame& reply);
    // No reply while unidentified: next shape; true while shapes remain (ask again at once, not a
    // miss). After the last one the next probe starts over with the first.
    bool retry_after_timeout(std::uint8_t address);

    // A 0x42 reply with RTN 0: identifies the address (auto) or checks it against its family,
    // then decodes it in that family's layout.
    Result<PackAnalog> decode_analog(std::uint8_t address, const protocol::ascii::Frame& reply);
    Result<PackStatus> decode_status(std::uint8_t address,
                                     const protocol::ascii::Frame& reply) const;
    // Identity commands of the address's family (read once), and their replies.
    [[nodiscard]] std::span<const std::uint8_t> identity_cids(std::uint8_t address) const;
    Result<PackIdentity> decode_identity(std::uint8_t address, const protocol::ascii::Frame& reply,
                                         std::uint8_t cid2) const;

    // Discovery sweeps needed to ask an unknown address in every request shape once.
    [[nodiscard]] std::size_t discovery_rounds() const { return auto_ ? shapes_.size() : 1; }

  private:
    struct Slot {
        const protocol::pace::PackFamily* family = nullptr;
        std::size_t shape = 0;    // index into shapes_ while unidentified
        std::uint32_t tried = 0;  // bit per shape tried in this identification
        bool contradiction_logged = false;
        // The layout of its last 0x42 reply: what its 0x44 replies are decoded as.
        std::optional<protocol::pace::Dialect> layout;
    };
    [[nodiscard]] std::uint8_t ver_for(const protocol::pace::PackFamily& family) const;
    [[nodiscard]] const protocol::pace::PackFamily& shape_family(const Slot& slot) const;
    void contradiction(std::uint8_t address, Slot& slot, const char* claimed, const char* how);

    bool auto_ = true;
    std::uint8_t ver_ = 0x25;
    const protocol::pace::PackFamily* configured_ = nullptr;  // nullptr in auto
    std::vector<const protocol::pace::PackFamily*> shapes_;   // one family per request shape
    std::array<Slot, kMaxPacks> slots_{};
};

}  // namespace packbridge::service
