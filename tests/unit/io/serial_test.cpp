// SPDX-License-Identifier: Apache-2.0
#include "packbridge/io/serial.hpp"

#include <fcntl.h>
#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>
#include <termios.h>
#include <unistd.h>

#include <array>
#include <catch2/catch.hpp>
#include <chrono>
#include <filesystem>
#include <optional>
#include <sstream>
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

// Routes spdlog's default logger into a string for the test's lifetime.
class LogCapture {
  public:
    LogCapture() : previous_(spdlog::default_logger()) {
        auto logger = std::make_shared<spdlog::logger>(
            "capture", std::make_shared<spdlog::sinks::ostream_sink_st>(text_));
        logger->set_pattern("%l %v");
        spdlog::set_default_logger(logger);
    }
    ~LogCapture() { spdlog::set_default_logger(previous_); }
    LogCapture(const LogCapture&) = delete;
    LogCapture& operator=(const LogCapture&) = delete;

    [[nodiscard]] int count(const std::string& needle) const {
        int n = 0;
        std::istringstream in(text_.str());
        for (std::string line; std::getline(in, line);)
            n += line.find(needle) != std::string::npos ? 1 : 0;
        return n;
    }
    [[nodiscard]] std::string text() const { return text_.str(); }

  private:
    std::ostringstream text_;
    std::shared_ptr<spdlog::logger> previous_;
};

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

TEST_CASE(
    "a serial transport waiting for its device logs once when the reason it cannot open changes") {
    // The adapter is absent at start (ENOENT, logged by the caller), then a node appears that
    // cannot be used (here not a tty; on a Pi EACCES from the sandbox or the group): the new
    // reason must reach the journal once, not only STATUS=, and not once per retry.
    const auto link =
        std::filesystem::temp_directory_path() / ("pb-serial-why-" + std::to_string(::getpid()));
    std::filesystem::remove(link);
    LogCapture log;
    boost::asio::io_context io;
    service::SerialTransport transport(io, {link.string(), 9600, false});
    REQUIRE_FALSE(transport.open());
    const std::string absent = transport.problem();
    transport.start([](std::span<const std::uint8_t>) {});
    io.run_for(400ms);
    CHECK(log.count("bus:") == 0);  // the first reason is the caller's to log

    std::filesystem::create_symlink("/dev/null", link);
    io.restart();
    io.run_for(1500ms);  // retries at +0.3 and +1.1 s (back-off 100 ms doubling): two alike
    CHECK(transport.problem() != absent);
    CHECK(log.count("still not open, now: " + transport.problem()) == 1);
    io.restart();
    io.run_for(1500ms);
    CHECK(log.count("still not open") == 1);

    INFO(log.text());
    CHECK(log.count("bus:") == 1);
    transport.stop();
    std::filesystem::remove(link);
}
