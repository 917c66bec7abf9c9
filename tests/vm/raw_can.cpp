// SPDX-License-Identifier: Apache-2.0
#include "raw_can.hpp"

#include <linux/can.h>
#include <linux/can/raw.h>
#include <net/if.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <stdexcept>

namespace vm_test {

RawCan::RawCan(const std::string& interface) {
    fd_ = ::socket(PF_CAN, SOCK_RAW | SOCK_CLOEXEC, CAN_RAW);
    if (fd_ < 0)
        throw std::runtime_error(std::string("socket(PF_CAN): ") + std::strerror(errno) +
                                 " (CAN tests run in the VM: tests/vm/run-in-can-vm)");
    sockaddr_can addr{};
    addr.can_family = AF_CAN;
    addr.can_ifindex = static_cast<int>(::if_nametoindex(interface.c_str()));
    if (addr.can_ifindex == 0 ||
        ::bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
        ::close(fd_);
        throw std::runtime_error("cannot bind to " + interface);
    }
}

RawCan::~RawCan() {
    ::close(fd_);
}

void RawCan::send(const packbridge::protocol::CanFrame& frame) const {
    can_frame raw{};
    raw.can_id = frame.extended ? (frame.id | CAN_EFF_FLAG) : frame.id;
    raw.can_dlc = frame.dlc;
    std::memcpy(raw.data, frame.data.data(), 8);
    if (::write(fd_, &raw, sizeof raw) != static_cast<ssize_t>(sizeof raw))
        throw std::runtime_error(std::string("CAN write: ") + std::strerror(errno));
}

std::optional<Received> RawCan::receive(std::chrono::milliseconds timeout) const {
    pollfd p{fd_, POLLIN, 0};
    if (::poll(&p, 1, static_cast<int>(timeout.count())) <= 0) return std::nullopt;
    can_frame raw{};
    if (::read(fd_, &raw, sizeof raw) != static_cast<ssize_t>(sizeof raw)) return std::nullopt;
    Received r;
    r.at = std::chrono::steady_clock::now();
    r.frame.extended = (raw.can_id & CAN_EFF_FLAG) != 0;
    r.frame.id = raw.can_id & (r.frame.extended ? CAN_EFF_MASK : CAN_SFF_MASK);
    r.frame.dlc = raw.can_dlc;
    std::memcpy(r.frame.data.data(), raw.data, 8);
    return r;
}

std::vector<Received> RawCan::collect(std::chrono::milliseconds window) const {
    std::vector<Received> out;
    const auto until = std::chrono::steady_clock::now() + window;
    for (;;) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
            until - std::chrono::steady_clock::now());
        if (left.count() <= 0) break;
        if (auto r = receive(left)) out.push_back(*r);
    }
    return out;
}

void RawCan::flush() const {
    while (receive(std::chrono::milliseconds(0))) {
    }
}

void sh(const std::string& command) {
    if (std::system(command.c_str()) != 0) throw std::runtime_error("failed: " + command);
}

packbridge::protocol::CanFrame frame_of(std::uint32_t id, const std::string& hex) {
    packbridge::protocol::CanFrame f;
    f.id = id;
    f.dlc = static_cast<std::uint8_t>(hex.size() / 2);
    for (std::size_t i = 0; i < f.dlc; ++i)
        f.data[i] = static_cast<std::uint8_t>(std::stoul(hex.substr(2 * i, 2), nullptr, 16));
    return f;
}

}  // namespace vm_test
