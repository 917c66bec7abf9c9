// SPDX-License-Identifier: Apache-2.0
// The notifier talks to a real AF_UNIX datagram socket standing in for systemd's NOTIFY_SOCKET.
#include "packbridge/io/notify.hpp"

#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <string>

namespace {

struct NotifySocket {
    std::filesystem::path path;
    int fd = -1;

    NotifySocket() {
        path = std::filesystem::temp_directory_path() / ("pb-notify-" + std::to_string(::getpid()));
        std::filesystem::remove(path);
        fd = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
        sockaddr_un addr{};
        addr.sun_family = AF_UNIX;
        path.string().copy(addr.sun_path, sizeof(addr.sun_path) - 1);
        REQUIRE(::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
        timeval tv{1, 0};
        ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
        ::setenv("NOTIFY_SOCKET", path.c_str(), 1);
    }
    ~NotifySocket() {
        ::unsetenv("NOTIFY_SOCKET");
        ::unsetenv("WATCHDOG_USEC");
        ::close(fd);
        std::filesystem::remove(path);
    }
    std::string receive() const {
        char buf[512];
        const auto n = ::recv(fd, buf, sizeof buf, 0);
        return n > 0 ? std::string(buf, static_cast<std::size_t>(n)) : std::string{};
    }
};

}  // namespace

TEST_CASE("notifications reach NOTIFY_SOCKET in the order they are sent", "[notify]") {
    NotifySocket socket;
    packbridge::io::Notifier notifier;
    REQUIRE(notifier.enabled());
    notifier.ready("4 packs, pylon on can0");
    notifier.watchdog();
    notifier.stopping();
    CHECK(socket.receive() == "READY=1\nSTATUS=4 packs, pylon on can0");
    CHECK(socket.receive() == "WATCHDOG=1");
    CHECK(socket.receive() == "STOPPING=1");
}

TEST_CASE("the watchdog interval is half of WATCHDOG_USEC", "[notify]") {
    NotifySocket socket;
    ::setenv("WATCHDOG_USEC", "30000000", 1);
    packbridge::io::Notifier notifier;
    REQUIRE(notifier.watchdog_interval().has_value());
    CHECK(notifier.watchdog_interval()->count() == 15000000);
}

TEST_CASE("without NOTIFY_SOCKET the notifier is disabled and silent", "[notify]") {
    ::unsetenv("NOTIFY_SOCKET");
    packbridge::io::Notifier notifier;
    CHECK_FALSE(notifier.enabled());
    notifier.ready("nobody listens");  // must not fail or block
    CHECK_FALSE(notifier.watchdog_interval().has_value());
}
