// SPDX-License-Identifier: Apache-2.0
#include "packbridge/service/pack_families.hpp"

#include <spdlog/spdlog.h>

#include "packbridge/util/log_event.hpp"

namespace packbridge::service {

namespace pace = protocol::pace;
using protocol::ascii::Frame;

namespace {

std::optional<pace::Dialect> dialect_of(PackFamilyChoice choice) {
    switch (choice) {
        case PackFamilyChoice::auto_:
            return std::nullopt;
        case PackFamilyChoice::pace:
            return pace::Dialect::pace;
        case PackFamilyChoice::seplos:
            return pace::Dialect::seplos;
        case PackFamilyChoice::pylontech:
            return pace::Dialect::pylontech;
        case PackFamilyChoice::eg4:
            return pace::Dialect::eg4;
    }
    return std::nullopt;
}

}  // namespace

PackFamilies::PackFamilies(const BusConfig& config) : ver_(config.ver) {
    if (const auto d = dialect_of(config.family)) {
        auto_ = false;
        configured_ = &pace::pack_family(*d);
    }
    for (const auto& f : pace::pack_families()) {
        bool shared = false;
        for (const auto* s : shapes_)
            shared = shared || pace::same_request_shape(*s, f);
        if (!shared) shapes_.push_back(&f);
    }
    for (auto& slot : slots_)
        slot.family = configured_;
}

std::uint8_t PackFamilies::ver_for(const pace::PackFamily& family) const {
    // bus.ver is the configured family's VER; in auto it is the PACE probe's (clones with
    // another VER, section 1.3), the other families use their own.
    if (!auto_ || family.dialect == pace::Dialect::pace) return ver_;
    return family.ver;
}

const pace::PackFamily& PackFamilies::shape_family(const Slot& slot) const {
    return slot.family ? *slot.family : *shapes_[slot.shape % shapes_.size()];
}

const pace::PackFamily* PackFamilies::family(std::uint8_t address) const {
    return slots_.at(address).family;
}

std::string PackFamilies::request(std::uint8_t address, std::uint8_t cid2) const {
    const auto& f = shape_family(slots_.at(address));
    return pace::build_request(f, ver_for(f), address, cid2);
}

bool PackFamilies::retry_after_error(std::uint8_t address, const Frame& reply) {
    auto& slot = slots_.at(address);
    if (!auto_ || slot.family) return false;
    slot.tried |= 1U << slot.shape;
    // The header says which shape the device speaks: EG4 by CID1, PACE by VER; VER 0x20 with
    // CID1 0x46 is the Seplos/Pylontech shape.
    const auto header = pace::family_of_header(reply);
    const auto& want = pace::pack_family(header.value_or(pace::Dialect::seplos));
    for (std::size_t i = 0; i < shapes_.size(); ++i) {
        if (pace::same_request_shape(*shapes_[i], want) && (slot.tried & (1U << i)) == 0) {
            spdlog::debug(
                "bus: pack {} answered the {} request with RTN 0x{:02X} as VER 0x{:02X} "
                "CID1 0x{:02X}: asking as {}",
                address, shape_family(slot).name, reply.cid2, reply.ver, reply.cid1,
                shapes_[i]->name);
            slot.shape = i;
            return true;
        }
    }
    return false;
}

bool PackFamilies::retry_after_timeout(std::uint8_t address) {
    auto& slot = slots_.at(address);
    if (!auto_ || slot.family) return false;
    slot.tried |= 1U << slot.shape;
    for (std::size_t i = 0; i < shapes_.size(); ++i) {
        if ((slot.tried & (1U << i)) == 0) {
            slot.shape = i;
            return true;
        }
    }
    slot.tried = 0;
    slot.shape = 0;
    return false;
}

void PackFamilies::contradiction(std::uint8_t address, Slot& slot, const char* claimed,
                                 const char* how) {
    if (slot.contradiction_logged) return;
    slot.contradiction_logged = true;
    logging::pack_event(spdlog::level::warn, address,
                        "bus: pack {} is a {} pack but a reply to it {} {}: two packs of "
                        "different families on one address? (`packbridge scan` asks every "
                        "family at every address)",
                        address, slot.family->name, how, claimed);
}

Result<PackAnalog> PackFamilies::decode_analog(std::uint8_t address, const Frame& reply) {
    auto& slot = slots_.at(address);
    // The layout of a 0x42 reply identifies the family (section 1.3); the header alone cannot
    // tell Seplos from Pylontech.
    const auto seen = pace::detect_dialect(reply);
    if (!slot.family) {
        slot.family = &pace::pack_family(seen);
        slot.tried = 0;
        logging::pack_event(spdlog::level::info, address,
                            "bus: pack {} identified as {} (VER 0x{:02X}, CID1 0x{:02X})", address,
                            slot.family->name, reply.ver, reply.cid1);
    } else if (seen != slot.family->dialect) {
        // A 0x42 layout is unambiguous: decode what was sent (and its 0x44 replies likewise),
        // and say once that the address answers as two families.
        contradiction(address, slot, pace::pack_family(seen).name, "is laid out as");
        slot.layout = seen;
        return pace::decode_analog(reply, seen);
    }
    slot.layout = slot.family->dialect;
    return pace::decode_analog(reply, slot.family->dialect);
}

Result<PackStatus> PackFamilies::decode_status(std::uint8_t address, const Frame& reply) const {
    const auto& slot = slots_.at(address);
    if (slot.layout) return pace::decode_status(reply, *slot.layout);
    return slot.family ? pace::decode_status(reply, slot.family->dialect)
                       : pace::decode_status(reply);
}

std::span<const std::uint8_t> PackFamilies::identity_cids(std::uint8_t address) const {
    const auto* f = slots_.at(address).family;
    return f ? f->identity_cids : std::span<const std::uint8_t>{};
}

Result<PackIdentity> PackFamilies::decode_identity(std::uint8_t address, const Frame& reply,
                                                   std::uint8_t cid2) const {
    auto id = pace::decode_family_identity(reply, cid2);
    if (id) {
        if (const auto* f = slots_.at(address).family) id->family = f->name;
    }
    return id;
}

}  // namespace packbridge::service
