// SPDX-License-Identifier: Apache-2.0
#include "support/notify_socket.hpp"

#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <algorithm>
#include <sstream>
#include <stdexcept>

namespace packbridge::testing {

NotifySocket::NotifySocket(std::filesystem::path path) : path_(std::move(path)) {
    std::filesystem::remove(path_);
    fd_ = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    if (fd_ < 0 || path_.string().size() >= sizeof addr.sun_path) {
        throw std::runtime_error("notify socket: cannot create " + path_.string());
    }
    path_.string().copy(addr.sun_path, sizeof(addr.sun_path) - 1);
    sockaddr* generic = reinterpret_cast<sockaddr*>(&addr);
    if (::bind(fd_, generic, sizeof addr) != 0) {
        throw std::runtime_error("notify socket: cannot bind " + path_.string());
    }
}

NotifySocket::~NotifySocket() {
    if (fd_ >= 0) ::close(fd_);
    std::error_code ec;
    std::filesystem::remove(path_, ec);
}

std::optional<NotifySocket::Message> NotifySocket::receive(std::chrono::milliseconds timeout) {
    pollfd p{fd_, POLLIN, 0};
    if (::poll(&p, 1, static_cast<int>(timeout.count())) <= 0) return std::nullopt;
    char buf[4096];
    const auto n = ::recv(fd_, buf, sizeof buf, 0);
    if (n <= 0) return std::nullopt;
    messages_.push_back(
        {std::string(buf, static_cast<std::size_t>(n)), std::chrono::steady_clock::now()});
    return messages_.back();
}

std::optional<NotifySocket::Message> NotifySocket::wait_for(const std::string& line,
                                                            std::chrono::milliseconds timeout) {
    using namespace std::chrono;
    const auto until = steady_clock::now() + timeout;
    while (steady_clock::now() < until) {
        const auto left = duration_cast<milliseconds>(until - steady_clock::now());
        auto m = receive(std::max(left, milliseconds(1)));
        if (m && has_line(m->text, line)) return m;
    }
    return std::nullopt;
}

bool has_line(const std::string& message, const std::string& line) {
    std::istringstream in(message);
    for (std::string l; std::getline(in, l);) {
        if (l == line) return true;
    }
    return false;
}

}  // namespace packbridge::testing
