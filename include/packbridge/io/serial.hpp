// SPDX-License-Identifier: Apache-2.0
#pragma once

// io::Serial: the pack bus (or an RS485 inverter link) as an Asio stream on a tty. The only code
// in packbridge that opens serial devices. Works on real UARTs, USB adapters and ptys.
// Errors are Results with the device named; a device that vanishes (USB unplug: EIO/ENXIO on
// read) is reported as Errc::io so the owner can reopen with back-off (see Backoff below).

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>

#include "packbridge/asio.hpp"
#include "packbridge/clock.hpp"
#include "packbridge/result.hpp"

namespace packbridge::io {

struct SerialOptions {
    std::string device;
    std::uint32_t baud = 9600;
    // Kernel RS485 mode (TIOCSRS485, RTS driven around transmissions). ptys and many USB
    // adapters refuse it; a refusal is logged and the port is used as it is.
    bool rs485_mode = false;
};

// The termios speed constant for a baud rate, or an error listing the supported rates.
Result<unsigned> baud_to_speed(std::uint32_t baud);

// Puts an open tty into raw 8N1 at `baud`, no flow control, VMIN=1/VTIME=0 (Asio waits for
// readiness, the tty never blocks). Error names the failing call and errno text.
Result<void> configure_raw_8n1(int fd, std::uint32_t baud);

class Serial {
  public:
    using ReadHandler = std::function<void(Result<std::size_t>)>;
    using WriteHandler = std::function<void(Result<void>)>;

    explicit Serial(boost::asio::io_context& io);
    ~Serial();
    Serial(const Serial&) = delete;
    Serial& operator=(const Serial&) = delete;

    // Opens the device, takes it exclusively, then configures it. Errc::not_found when it does
    // not exist, Errc::busy when another process holds it (checked before termios or tcflush
    // touch the line, so a second opener never disturbs the owner), Errc::io otherwise.
    //
    // Exclusive = flock(LOCK_EX) on the open file plus TIOCEXCL: TIOCEXCL makes the kernel
    // refuse further opens (EBUSY) but not to root, flock is advisory but seen by every
    // packbridge (and by other flock-aware tools); both together are what serial daemons use.
    Result<void> open(const SerialOptions& options);
    void close();
    [[nodiscard]] bool is_open() const;
    [[nodiscard]] const SerialOptions& options() const { return options_; }
    // True when the kernel accepted TIOCSRS485 on the last open.
    [[nodiscard]] bool rs485_active() const { return rs485_active_; }

    // Reads whatever is available (at least one byte). End of file and EIO/ENXIO (the device
    // went away) come back as Errc::io with "device vanished" in the detail.
    void async_read_some(std::span<std::uint8_t> buffer, ReadHandler handler);
    // Writes all of `bytes`; the caller keeps them alive until the handler runs.
    void async_write(std::span<const std::uint8_t> bytes, WriteHandler handler);
    // Discards bytes received but not yet read, and output not yet sent (tcflush).
    void flush();

  private:
    boost::asio::posix::stream_descriptor stream_;
    SerialOptions options_;
    // The device's name for the messages of reads and writes that may complete after this
    // Serial is gone: shared, not copied per read (the pack bus reads many times a second).
    std::shared_ptr<const std::string> device_ = std::make_shared<const std::string>();
    bool rs485_active_ = false;
};

// The process holding an flock on `device` (from /proc/locks), if any: to name who owns a busy
// port. Empty when nobody does or the lock table cannot be read.
std::optional<int> lock_holder(const std::string& device);

// Reopen pacing after a device error: first retry after `initial`, doubling up to `max`;
// reset() after a successful open. Pure arithmetic, so it is testable without a device.
class Backoff {
  public:
    Backoff(Duration initial, Duration max) : initial_(initial), max_(max), next_(initial) {}
    Duration next();
    void reset() { next_ = initial_; }

  private:
    Duration initial_;
    Duration max_;
    Duration next_;
};

}  // namespace packbridge::io
