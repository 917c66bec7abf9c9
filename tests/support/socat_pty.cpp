// SPDX-License-Identifier: Apache-2.0
#include "support/socat_pty.hpp"

#include <fcntl.h>
#include <poll.h>
#include <termios.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <stdexcept>
#include <thread>

#include "packbridge/io/serial.hpp"

namespace packbridge::testing {

SocatPtyPair::SocatPtyPair() {
    std::string tmpl = (std::filesystem::temp_directory_path() / "packbridge-line-XXXXXX").string();
    if (::mkdtemp(tmpl.data()) == nullptr) {
        throw std::runtime_error(std::string("mkdtemp: ") + std::strerror(errno));
    }
    dir_ = tmpl;
    socat_ = std::make_unique<ChildProcess>(
        std::vector<std::string>{"socat", "-d", "-d", "pty,raw,echo=0,link=" + inverter_path(),
                                 "pty,raw,echo=0,link=" + battery_path()},
        (dir_ / "socat.log").string());
    const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    while (!(std::filesystem::exists(inverter_path()) && std::filesystem::exists(battery_path()))) {
        if (std::chrono::steady_clock::now() > until || !socat_->running()) {
            throw std::runtime_error("socat did not create the pty pair in " + dir_.string());
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
}

SocatPtyPair::~SocatPtyPair() {
    socat_.reset();
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
}

LineEnd::LineEnd(const std::string& path, std::uint32_t baud) {
    fd_ = ::open(path.c_str(), O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
    if (fd_ < 0) throw std::runtime_error("open " + path + ": " + std::strerror(errno));
    if (auto r = io::configure_raw_8n1(fd_, baud); !r) {
        ::close(fd_);
        throw std::runtime_error("configure " + path + ": " + r.error().detail);
    }
}

LineEnd::~LineEnd() {
    if (fd_ >= 0) ::close(fd_);
}

void LineEnd::write(const std::string& bytes) const {
    std::size_t done = 0;
    while (done < bytes.size()) {
        const auto n = ::write(fd_, bytes.data() + done, bytes.size() - done);
        if (n > 0) {
            done += static_cast<std::size_t>(n);
        } else {
            pollfd p{fd_, POLLOUT, 0};
            ::poll(&p, 1, 100);
        }
    }
    ::tcdrain(fd_);
}

namespace {

// One poll + read of at most `max` bytes; false on timeout or error.
bool read_some(int fd, std::string& out, std::size_t max, int timeout_ms) {
    pollfd p{fd, POLLIN, 0};
    if (::poll(&p, 1, timeout_ms) <= 0) return false;
    std::array<char, 512> buf{};
    const auto n = ::read(fd, buf.data(), std::min(buf.size(), max));
    if (n <= 0) return false;
    out.append(buf.data(), static_cast<std::size_t>(n));
    return true;
}

int ms_left(std::chrono::steady_clock::time_point until) {
    return static_cast<int>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                until - std::chrono::steady_clock::now())
                                .count());
}

}  // namespace

std::string LineEnd::read(std::size_t want, std::chrono::milliseconds timeout) const {
    std::string out;
    const auto until = std::chrono::steady_clock::now() + timeout;
    while (out.size() < want && ms_left(until) > 0) {
        read_some(fd_, out, want - out.size(), ms_left(until));
    }
    return out;
}

std::string LineEnd::read_until_quiet(std::chrono::milliseconds quiet,
                                      std::chrono::milliseconds timeout) const {
    std::string out;
    const auto until = std::chrono::steady_clock::now() + timeout;
    while (ms_left(until) > 0) {
        const int wait = out.empty() ? ms_left(until)
                                     : std::min(ms_left(until), static_cast<int>(quiet.count()));
        if (!read_some(fd_, out, 512, wait) && !out.empty()) break;
    }
    return out;
}

std::string LineEnd::read_line(std::chrono::milliseconds timeout) const {
    std::string out;
    const auto until = std::chrono::steady_clock::now() + timeout;
    while ((out.empty() || out.back() != '\r') && ms_left(until) > 0) {
        read_some(fd_, out, 1, ms_left(until));
    }
    return out;
}

void LineEnd::discard() const {
    ::tcflush(fd_, TCIOFLUSH);
    std::string sink;
    while (read_some(fd_, sink, 512, 0)) {
    }
}

}  // namespace packbridge::testing
