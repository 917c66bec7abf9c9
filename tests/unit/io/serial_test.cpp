#include "packbridge/io/serial.hpp"

#include <fcntl.h>
#include <termios.h>
#include <unistd.h>

#include <array>
#include <catch2/catch.hpp>
#include <chrono>
#include <filesystem>
#include <optional>
#include <string>

#include "packbridge/asio.hpp"
#include "packbridge/service/serial_transport.hpp"
#include "support/pty.hpp"

using namespace packbridge;
using namespace std::chrono_literals;
using packbridge::testing::Pty;

namespace {

std::string as_string(std::span<const std::uint8_t> bytes) {
    return {bytes.begin(), bytes.end()};
}

}  // namespace

TEST_CASE("opening a missing serial device says not_found and names the device") {
    boost::asio::io_context io;
    io::Serial serial(io);
    auto opened = serial.open({"/dev/does-not-exist-ttyX", 9600, false});
    REQUIRE_FALSE(opened);
    CHECK(opened.error().code == Errc::not_found);
    CHECK(opened.error().detail.find("/dev/does-not-exist-ttyX") != std::string::npos);
    CHECK_FALSE(serial.is_open());
}

TEST_CASE("opening a file that is not a tty is an io error") {
    boost::asio::io_context io;
    io::Serial serial(io);
    auto opened = serial.open({"/dev/null", 9600, false});
    REQUIRE_FALSE(opened);
    CHECK(opened.error().code == Errc::io);
}

TEST_CASE("an unsupported baud rate is refused with the allowed list") {
    CHECK(io::baud_to_speed(9600));
    CHECK(io::baud_to_speed(19200));
    auto bad = io::baud_to_speed(9601);
    REQUIRE_FALSE(bad);
    CHECK(bad.error().code == Errc::out_of_range);
    CHECK(bad.error().detail.find("9600") != std::string::npos);
    Pty pty;
    boost::asio::io_context io;
    io::Serial serial(io);
    CHECK_FALSE(serial.open({pty.slave_path(), 12345, false}));
}

TEST_CASE("serial on a pty is raw 8N1 at the configured baud and moves bytes both ways") {
    Pty pty;
    boost::asio::io_context io;
    io::Serial serial(io);
    REQUIRE(serial.open({pty.slave_path(), 19200, false}));

    // termios as the kernel sees it on the slave (read through the master: the port is held
    // exclusively, so a second open of the slave is refused to anyone but root).
    termios tio{};
    REQUIRE(::tcgetattr(pty.master_fd(), &tio) == 0);
    CHECK((tio.c_cflag & CSIZE) == CS8);
    CHECK((tio.c_cflag & PARENB) == 0);
    CHECK((tio.c_cflag & CSTOPB) == 0);
    CHECK((tio.c_lflag & ICANON) == 0);
    CHECK(::cfgetospeed(&tio) == B19200);

    // A CR must arrive unchanged (no ICRNL translation): PACE frames end in '\r'.
    const std::string request = "~25014642E00201FD30\r";
    bool written = false;
    serial.async_write({reinterpret_cast<const std::uint8_t*>(request.data()), request.size()},
                       [&](Result<void> r) { written = r.ok(); });
    io.run_for(200ms);
    CHECK(written);
    CHECK(pty.read(request.size(), 1s) == request);

    const std::string reply = "~25014600E00201FD35\r\n";
    pty.write(reply);
    std::string got;
    std::array<std::uint8_t, 64> buf{};
    std::function<void(Result<std::size_t>)> on_read = [&](Result<std::size_t> n) {
        REQUIRE(n);
        got += as_string({buf.data(), *n});
        if (got.size() < reply.size()) {
            serial.async_read_some(buf, on_read);
        }
    };
    serial.async_read_some(buf, on_read);
    io.restart();
    io.run_for(500ms);
    CHECK(got == reply);
}

TEST_CASE("a second opener of a held port gets busy with the holder's pid and changes nothing") {
    Pty pty;
    boost::asio::io_context io;
    io::Serial owner(io);
    REQUIRE(owner.open({pty.slave_path(), 19200, false}));
    CHECK(io::lock_holder(pty.slave_path()) == static_cast<int>(::getpid()));

    // Bytes waiting for the owner, then a second open at another baud (what scan used to do).
    const std::string waiting = "~25014600E00201FD35\r";
    pty.write(waiting);
    io::Serial intruder(io);
    auto opened = intruder.open({pty.slave_path(), 9600, false});
    REQUIRE_FALSE(opened);
    CHECK(opened.error().code == Errc::busy);
    CHECK(opened.error().detail == pty.slave_path() + " is in use by another process (pid " +
                                       std::to_string(::getpid()) + ")");
    CHECK_FALSE(intruder.is_open());

    // The owner's line settings and its unread input are untouched.
    termios tio{};
    REQUIRE(::tcgetattr(pty.master_fd(), &tio) == 0);
    CHECK(::cfgetospeed(&tio) == B19200);
    std::string got;
    std::array<std::uint8_t, 64> buf{};
    owner.async_read_some(buf, [&](Result<std::size_t> n) {
        if (n) got = as_string({buf.data(), *n});
    });
    io.run_for(300ms);
    CHECK(got == waiting);

    // Released on close: the next opener gets it.
    owner.close();
    CHECK_FALSE(io::lock_holder(pty.slave_path()));
    CHECK(intruder.open({pty.slave_path(), 9600, false}));
}

TEST_CASE("kernel RS485 mode refused by a pty is logged and the port still works") {
    Pty pty;
    boost::asio::io_context io;
    io::Serial serial(io);
    REQUIRE(serial.open({pty.slave_path(), 9600, true}));
    CHECK(serial.is_open());
    CHECK_FALSE(serial.rs485_active());
}

TEST_CASE("a device that vanishes mid-read is reported as an io error saying so") {
    auto pty = std::make_unique<Pty>();
    boost::asio::io_context io;
    io::Serial serial(io);
    REQUIRE(serial.open({pty->slave_path(), 9600, false}));
    std::array<std::uint8_t, 16> buf{};
    std::optional<Result<std::size_t>> result;
    serial.async_read_some(buf, [&](Result<std::size_t> n) { result.emplace(std::move(n)); });
    io.run_for(50ms);
    CHECK_FALSE(result.has_value());
    pty->hang_up();
    io.restart();
    io.run_for(500ms);
    REQUIRE(result.has_value());
    REQUIRE_FALSE(*result);
    CHECK(result->error().code == Errc::io);
    CHECK(result->error().detail.find("vanished") != std::string::npos);
}

TEST_CASE("back-off doubles from the initial delay up to the maximum and resets") {
    io::Backoff backoff(100ms, 1s);
    CHECK(backoff.next() == 100ms);
    CHECK(backoff.next() == 200ms);
    CHECK(backoff.next() == 400ms);
    CHECK(backoff.next() == 800ms);
    CHECK(backoff.next() == 1s);
    CHECK(backoff.next() == 1s);
    backoff.reset();
    CHECK(backoff.next() == 100ms);
}

TEST_CASE("the serial transport reopens after an unplug and delivers bytes from the new device") {
    // The device path is a symlink, as udev gives /dev/serial/by-id: after the "unplug" it points
    // to a fresh pty, like the adapter coming back.
    const auto link =
        std::filesystem::temp_directory_path() / ("pb-serial-" + std::to_string(::getpid()));
    std::filesystem::remove(link);
    auto first = std::make_unique<Pty>();
    std::filesystem::create_symlink(first->slave_path(), link);

    boost::asio::io_context io;
    service::SerialTransport transport(io, {link.string(), 9600, false});
    REQUIRE(transport.open());
    std::string got;
    transport.start([&](std::span<const std::uint8_t> bytes) { got += as_string(bytes); });
    first->write("A");
    io.run_for(100ms);
    CHECK(got == "A");

    first->hang_up();
    io.restart();
    io.run_for(150ms);
    CHECK_FALSE(transport.is_open());
    bool write_failed = false;
    const std::uint8_t byte = 'x';
    transport.write({&byte, 1}, [&](Result<void> r) { write_failed = !r; });
    CHECK(write_failed);

    Pty second;
    std::filesystem::remove(link);
    std::filesystem::create_symlink(second.slave_path(), link);
    io.restart();
    const auto until = std::chrono::steady_clock::now() + 3s;
    while (!transport.is_open() && std::chrono::steady_clock::now() < until) {
        io.run_for(20ms);
    }
    REQUIRE(transport.is_open());
    CHECK(transport.reopen_count() == 1);
    second.write("B");
    io.run_for(100ms);
    CHECK(got == "AB");
    transport.stop();
    std::filesystem::remove(link);
}
