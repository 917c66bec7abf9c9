// SPDX-License-Identifier: Apache-2.0
#include "packbridge/sim/sim_line.hpp"

#include <fcntl.h>
#include <pty.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include "packbridge/io/serial.hpp"

namespace packbridge::sim {

Result<SimLine> open_pty(std::uint32_t baud, const std::string& link) {
    int master = -1;
    int slave = -1;
    std::array<char, 256> name{};
    if (::openpty(&master, &slave, name.data(), nullptr, nullptr) != 0) {
        return make_error(Errc::io, std::string("openpty: ") + std::strerror(errno));
    }
    // Both ends raw: a CR must cross unchanged, and nothing may be echoed back.
    for (int fd : {master, slave}) {
        if (auto ok = io::configure_raw_8n1(fd, baud); !ok) {
            ::close(master);
            ::close(slave);
            return ok.error();
        }
    }
    ::fcntl(master, F_SETFD, FD_CLOEXEC);
    ::fcntl(slave, F_SETFD, FD_CLOEXEC);
    SimLine line{master, name.data(), slave};
    if (!link.empty()) {
        std::error_code ec;
        std::filesystem::remove(link, ec);
        std::filesystem::create_symlink(line.path, link, ec);
        if (ec) {
            return make_error(Errc::io, "symlink " + link + ": " + ec.message());
        }
        line.path = link;
    }
    return line;
}

Result<SimLine> open_device(const std::string& device, std::uint32_t baud) {
    const int fd = ::open(device.c_str(), O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) {
        return make_error(errno == ENOENT ? Errc::not_found : Errc::io,
                          "cannot open " + device + ": " + std::strerror(errno));
    }
    if (auto ok = io::configure_raw_8n1(fd, baud); !ok) {
        ::close(fd);
        return make_error(ok.error().code, device + ": " + ok.error().detail);
    }
    return SimLine{fd, device, -1};
}

ControlFifo::ControlFifo(boost::asio::io_context& io, std::string path,
                         std::function<void(const std::string&)> on_line)
    : stream_(io), path_(std::move(path)), on_line_(std::move(on_line)) {}

ControlFifo::~ControlFifo() {
    boost::system::error_code ignored;
    stream_.close(ignored);
}

Result<void> ControlFifo::open() {
    if (::mkfifo(path_.c_str(), 0600) != 0 && errno != EEXIST) {
        return make_error(Errc::io, "mkfifo " + path_ + ": " + std::strerror(errno));
    }
    // O_RDWR keeps a writer open ourselves, so the FIFO never reads EOF between test writes.
    const int fd = ::open(path_.c_str(), O_RDWR | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) {
        return make_error(Errc::io, "open " + path_ + ": " + std::strerror(errno));
    }
    stream_.assign(fd);
    read_next();
    return {};
}

void ControlFifo::read_next() {
    stream_.async_read_some(boost::asio::buffer(buf_),
                            [this](const boost::system::error_code& ec, std::size_t n) {
                                if (ec) {
                                    return;
                                }
                                pending_.append(buf_.data(), n);
                                std::size_t pos = 0;
                                while ((pos = pending_.find('\n')) != std::string::npos) {
                                    const auto line = pending_.substr(0, pos);
                                    pending_.erase(0, pos + 1);
                                    on_line_(line);
                                }
                                read_next();
                            });
}

}  // namespace packbridge::sim
