// SPDX-License-Identifier: Apache-2.0
#pragma once

// A pseudo-terminal pair for tests: the master end stays here (the "far side" of the line), the
// slave path is what the code under test opens as its serial device. A pty is a real tty: termios,
// O_NONBLOCK and EIO on hang-up behave as on a USB adapter.

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

namespace packbridge::testing {

class Pty {
  public:
    Pty();  // throws std::runtime_error when openpty fails
    ~Pty();
    Pty(const Pty&) = delete;
    Pty& operator=(const Pty&) = delete;

    [[nodiscard]] const std::string& slave_path() const { return slave_path_; }
    [[nodiscard]] int master_fd() const { return master_; }

    void write(const std::string& bytes) const;
    // Reads from the master until `want` bytes arrived or `timeout` passed.
    [[nodiscard]] std::string read(std::size_t want, std::chrono::milliseconds timeout) const;
    // Closes the master end: the slave side then reads EIO, like an unplugged adapter.
    void hang_up();

  private:
    int master_ = -1;
    int slave_ = -1;  // held open so the slave keeps existing until hang_up()
    std::string slave_path_;
};

}  // namespace packbridge::testing
