// SPDX-License-Identifier: Apache-2.0
#include "support/pty.hpp"

#include <fcntl.h>
#include <poll.h>
#include <pty.h>
#include <termios.h>
#include <unistd.h>

#include <array>
#include <stdexcept>

namespace packbridge::testing {

Pty::Pty() {
    std::array<char, 256> name{};
    termios tio{};
    ::cfmakeraw(&tio);
    if (::openpty(&master_, &slave_, name.data(), &tio, nullptr) != 0) {
        throw std::runtime_error("openpty failed");
    }
    slave_path_ = name.data();
    ::fcntl(master_, F_SETFL, ::fcntl(master_, F_GETFL) | O_NONBLOCK);
}

Pty::~Pty() {
    hang_up();
}

void Pty::write(const std::string& bytes) const {
    std::size_t done = 0;
    while (done < bytes.size()) {
        const auto n = ::write(master_, bytes.data() + done, bytes.size() - done);
        if (n > 0) {
            done += static_cast<std::size_t>(n);
        } else {
            pollfd p{master_, POLLOUT, 0};
            ::poll(&p, 1, 100);
        }
    }
}

std::string Pty::read(std::size_t want, std::chrono::milliseconds timeout) const {
    std::string out;
    const auto until = std::chrono::steady_clock::now() + timeout;
    while (out.size() < want) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
            until - std::chrono::steady_clock::now());
        if (left.count() <= 0) {
            break;
        }
        pollfd p{master_, POLLIN, 0};
        if (::poll(&p, 1, static_cast<int>(left.count())) <= 0) {
            continue;
        }
        std::array<char, 256> buf{};
        const auto n = ::read(master_, buf.data(), std::min(buf.size(), want - out.size()));
        if (n > 0) {
            out.append(buf.data(), static_cast<std::size_t>(n));
        } else if (n == 0 || (errno != EAGAIN && errno != EINTR)) {
            break;
        }
    }
    return out;
}

void Pty::hang_up() {
    if (slave_ >= 0) {
        ::close(slave_);
        slave_ = -1;
    }
    if (master_ >= 0) {
        ::close(master_);
        master_ = -1;
    }
}

}  // namespace packbridge::testing
