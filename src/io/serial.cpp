// SPDX-License-Identifier: Apache-2.0
#include "packbridge/io/serial.hpp"

#include <fcntl.h>
#include <linux/serial.h>
#include <spdlog/spdlog.h>
#include <sys/file.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <termios.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <sstream>
#include <utility>

#include "packbridge/asio.hpp"

namespace packbridge::io {

namespace {

struct BaudEntry {
    std::uint32_t baud;
    speed_t speed;
};

constexpr std::array<BaudEntry, 11> kBauds{{{1200, B1200},
                                            {2400, B2400},
                                            {4800, B4800},
                                            {9600, B9600},
                                            {19200, B19200},
                                            {38400, B38400},
                                            {57600, B57600},
                                            {115200, B115200},
                                            {230400, B230400},
                                            {460800, B460800},
                                            {921600, B921600}}};

std::string errno_text(int err) {
    return std::strerror(err);
}

// EIO/ENXIO/ENODEV/EBADF on a tty mean the device (or pty master) is gone.
bool means_vanished(const boost::system::error_code& ec) {
    return ec == boost::asio::error::eof || ec.value() == EIO || ec.value() == ENXIO ||
           ec.value() == ENODEV || ec.value() == EBADF;
}

std::string held_by(const std::string& device) {
    const auto pid = lock_holder(device);
    return device + " is in use by another process" +
           (pid ? " (pid " + std::to_string(*pid) + ")" : std::string{});
}

}  // namespace

std::optional<int> lock_holder(const std::string& device) {
    struct stat st {};
    if (::stat(device.c_str(), &st) != 0) return std::nullopt;
    // Lines read "1: FLOCK  ADVISORY  WRITE 4242 00:1a:3 0 EOF" (major:minor in hex, inode in
    // decimal); blocked waiters have "->" after the index and are skipped.
    std::ifstream locks("/proc/locks");
    for (std::string line; std::getline(locks, line);) {
        std::istringstream words(line);
        std::string index, kind, mode, access, where;
        int pid = 0;
        if (!(words >> index >> kind) || kind == "->" || kind != "FLOCK") continue;
        if (!(words >> mode >> access >> pid >> where)) continue;
        unsigned major_dev = 0, minor_dev = 0;
        unsigned long inode = 0;
        if (std::sscanf(where.c_str(), "%x:%x:%lu", &major_dev, &minor_dev, &inode) != 3) continue;
        if (major_dev == major(st.st_dev) && minor_dev == minor(st.st_dev) && inode == st.st_ino) {
            return pid;
        }
    }
    return std::nullopt;
}

Result<unsigned> baud_to_speed(std::uint32_t baud) {
    for (const auto& entry : kBauds) {
        if (entry.baud == baud) {
            return static_cast<unsigned>(entry.speed);
        }
    }
    std::string allowed;
    for (const auto& entry : kBauds) {
        allowed += (allowed.empty() ? "" : ", ") + std::to_string(entry.baud);
    }
    return make_error(Errc::out_of_range,
                      "baud " + std::to_string(baud) + " not supported (allowed: " + allowed + ")");
}

Result<void> configure_raw_8n1(int fd, std::uint32_t baud) {
    auto speed = baud_to_speed(baud);
    if (!speed) {
        return speed.error();
    }
    termios tio{};
    if (::tcgetattr(fd, &tio) != 0) {
        return make_error(Errc::io, "tcgetattr: " + errno_text(errno) + " (not a tty?)");
    }
    ::cfmakeraw(&tio);
    tio.c_cflag &= ~static_cast<tcflag_t>(CSIZE | PARENB | CSTOPB | CRTSCTS);
    tio.c_cflag |= CS8 | CLOCAL | CREAD;
    tio.c_iflag &= ~static_cast<tcflag_t>(IXON | IXOFF | IXANY);
    tio.c_cc[VMIN] = 1;  // with O_NONBLOCK: EAGAIN when empty (VMIN=0 would read 0 = "EOF")
    tio.c_cc[VTIME] = 0;
    if (::cfsetispeed(&tio, static_cast<speed_t>(*speed)) != 0 ||
        ::cfsetospeed(&tio, static_cast<speed_t>(*speed)) != 0) {
        return make_error(Errc::io,
                          "cfsetspeed " + std::to_string(baud) + ": " + errno_text(errno));
    }
    if (::tcsetattr(fd, TCSANOW, &tio) != 0) {
        return make_error(Errc::io, "tcsetattr: " + errno_text(errno));
    }
    return {};
}

Serial::Serial(boost::asio::io_context& io) : stream_(io) {}

Serial::~Serial() {
    close();
}

Result<void> Serial::open(const SerialOptions& options) {
    close();
    options_ = options;
    device_ = std::make_shared<const std::string>(options.device);
    rs485_active_ = false;
    const int fd = ::open(options.device.c_str(), O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) {
        const int err = errno;
        if (err == EBUSY) return make_error(Errc::busy, held_by(options.device));
        return make_error(err == ENOENT ? Errc::not_found : Errc::io,
                          "cannot open " + options.device + ": " + errno_text(err));
    }
    // Exclusive before anything else: termios and tcflush below act on the line itself, so a
    // second opener must back off before it can change the owner's settings or drop its input.
    if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
        const int err = errno;
        ::close(fd);
        if (err == EWOULDBLOCK) return make_error(Errc::busy, held_by(options.device));
        return make_error(Errc::io, "cannot lock " + options.device + ": " + errno_text(err));
    }
    if (::ioctl(fd, TIOCEXCL) != 0) {
        // Not fatal: the flock above already keeps other packbridge processes off the line.
        spdlog::debug("{}: TIOCEXCL refused ({})", options.device, errno_text(errno));
    }
    if (auto configured = configure_raw_8n1(fd, options.baud); !configured) {
        ::close(fd);
        return make_error(configured.error().code,
                          options.device + ": " + configured.error().detail);
    }
    if (options.rs485_mode) {
        serial_rs485 rs485{};
        rs485.flags = SER_RS485_ENABLED | SER_RS485_RTS_ON_SEND;
        if (::ioctl(fd, TIOCSRS485, &rs485) == 0) {
            rs485_active_ = true;
        } else {
            // Not fatal: auto-direction adapters need no kernel help, and ptys never support it.
            spdlog::warn("{}: kernel RS485 mode refused ({}); using the port as it is",
                         options.device, errno_text(errno));
        }
    }
    ::tcflush(fd, TCIOFLUSH);
    boost::system::error_code ec;
    stream_.assign(fd, ec);
    if (ec) {
        ::close(fd);
        return make_error(Errc::io, options.device + ": " + ec.message());
    }
    return {};
}

void Serial::close() {
    if (stream_.is_open()) {
        // TIOCEXCL stays on the tty while any other descriptor keeps it open: clear it so our
        // own reopen (or a reload's new transport) is not refused. The flock goes with the fd.
        ::ioctl(stream_.native_handle(), TIOCNXCL);
        boost::system::error_code ignored;
        stream_.cancel(ignored);
        stream_.close(ignored);
    }
}

bool Serial::is_open() const {
    return stream_.is_open();
}

void Serial::flush() {
    if (stream_.is_open()) {
        ::tcflush(stream_.native_handle(), TCIOFLUSH);
    }
}

void Serial::async_read_some(std::span<std::uint8_t> buffer, ReadHandler handler) {
    // The completion can run after this Serial is gone (a cancelled read completes once the
    // owner has been destroyed, e.g. on a reload): capture the name, never `this`.
    stream_.async_read_some(
        boost::asio::buffer(buffer.data(), buffer.size()),
        [device = device_, handler = std::move(handler)](const boost::system::error_code& ec,
                                                         std::size_t n) {
            if (!ec) {
                handler(n);
            } else if (ec == boost::asio::error::operation_aborted) {
                handler(make_error(Errc::io, *device + ": read cancelled"));
            } else if (means_vanished(ec)) {
                handler(make_error(Errc::io, *device + ": device vanished (" + ec.message() + ")"));
            } else {
                handler(make_error(Errc::io, *device + ": read: " + ec.message()));
            }
        });
}

void Serial::async_write(std::span<const std::uint8_t> bytes, WriteHandler handler) {
    boost::asio::async_write(
        stream_, boost::asio::buffer(bytes.data(), bytes.size()),
        [device = device_, handler = std::move(handler)](const boost::system::error_code& ec,
                                                         std::size_t) {
            if (!ec) {
                handler({});
            } else if (means_vanished(ec)) {
                handler(make_error(Errc::io, *device + ": device vanished (" + ec.message() + ")"));
            } else {
                handler(make_error(Errc::io, *device + ": write: " + ec.message()));
            }
        });
}

Duration Backoff::next() {
    const Duration current = next_;
    next_ = std::min(max_, next_ * 2);
    return current;
}

}  // namespace packbridge::io
