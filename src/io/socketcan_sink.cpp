#include "packbridge/io/socketcan_sink.hpp"

#include <fcntl.h>
#include <linux/can.h>
#include <linux/can/raw.h>
#include <net/if.h>
#include <spdlog/spdlog.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace packbridge::io {
namespace {

std::string errno_text(const char* what, int err) {
    return std::string(what) + ": " + std::strerror(err);
}

}  // namespace

SocketCanSink::SocketCanSink(std::string interface) : interface_(std::move(interface)) {}

SocketCanSink::~SocketCanSink() {
    close_socket();
}

void SocketCanSink::close_socket() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
}

Result<void> SocketCanSink::open_socket() {
    close_socket();
    const int fd = ::socket(PF_CAN, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, CAN_RAW);
    if (fd < 0) return make_error(Errc::io, errno_text("socket(PF_CAN)", errno));
    // We only send; not receiving our own or others' frames keeps the socket's queue empty.
    can_filter none{};
    none.can_id = 0;
    none.can_mask = CAN_EFF_FLAG | CAN_RTR_FLAG | CAN_SFF_MASK;
    ::setsockopt(fd, SOL_CAN_RAW, CAN_RAW_FILTER, &none, 0);
    const unsigned index = ::if_nametoindex(interface_.c_str());
    if (index == 0) {
        const int err = errno;
        ::close(fd);
        return make_error(Errc::not_found, errno_text(("interface " + interface_).c_str(), err));
    }
    sockaddr_can addr{};
    addr.can_family = AF_CAN;
    addr.can_ifindex = static_cast<int>(index);
    if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
        const int err = errno;
        ::close(fd);
        return make_error(Errc::io, errno_text(("bind " + interface_).c_str(), err));
    }
    fd_ = fd;
    return {};
}

bool SocketCanSink::send(const protocol::CanFrame& frame, const std::string&) {
    const auto now = Clock::now();
    if (fd_ < 0) {
        if (now < next_retry_) {
            ++dropped_;
            return false;
        }
        next_retry_ = now + std::chrono::seconds(1);
        if (auto opened = open_socket(); !opened) {
            if (!reported_down_)
                spdlog::error("CAN: {} unavailable: {} (retrying every second)", interface_,
                              opened.error().detail);
            reported_down_ = true;
            ++dropped_;
            return false;
        }
        if (reported_down_) spdlog::info("CAN: {} open again", interface_);
        reported_down_ = false;
    }
    can_frame raw{};
    raw.can_id = frame.extended ? (frame.id | CAN_EFF_FLAG) : (frame.id & CAN_SFF_MASK);
    raw.can_dlc = frame.dlc;
    std::memcpy(raw.data, frame.data.data(), 8);
    const auto n = ::write(fd_, &raw, sizeof raw);
    if (n == static_cast<ssize_t>(sizeof raw)) return true;
    const int err = errno;
    ++dropped_;
    if (err == ENOBUFS || err == EAGAIN || err == EWOULDBLOCK) return false;  // full queue: drop
    // The interface went down or away: reopen on a later send.
    spdlog::warn("CAN: write on {} failed: {}", interface_, std::strerror(err));
    close_socket();
    return false;
}

}  // namespace packbridge::io
