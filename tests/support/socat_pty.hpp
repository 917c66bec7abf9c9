// SPDX-License-Identifier: Apache-2.0
#pragma once

// An RS485 line for end-to-end tests, built the way a user would: `socat pty,raw,echo=0,link=A
// pty,raw,echo=0,link=B` (inverter-rs485.md section 5). The code under test opens battery_path()
// as its serial device; the test's master (mbpoll, pymodbus, a python3-serial script, or
// LineEnd below) opens inverter_path(). socat outlives masters that open and close their end.

#include <chrono>
#include <filesystem>
#include <memory>
#include <string>

#include "support/process.hpp"

namespace packbridge::testing {

class SocatPtyPair {
  public:
    SocatPtyPair();  // throws std::runtime_error when socat does not bring up both links in 5 s
    ~SocatPtyPair();
    SocatPtyPair(const SocatPtyPair&) = delete;
    SocatPtyPair& operator=(const SocatPtyPair&) = delete;

    [[nodiscard]] std::string inverter_path() const { return (dir_ / "inverter").string(); }
    [[nodiscard]] std::string battery_path() const { return (dir_ / "battery").string(); }
    [[nodiscard]] const std::filesystem::path& dir() const { return dir_; }

  private:
    std::filesystem::path dir_;
    std::unique_ptr<ChildProcess> socat_;
};

// One end of the line opened raw 8N1 (the test plays the inverter with exact bytes and timing).
class LineEnd {
  public:
    LineEnd(const std::string& path, std::uint32_t baud = 9600);  // throws on failure
    ~LineEnd();
    LineEnd(const LineEnd&) = delete;
    LineEnd& operator=(const LineEnd&) = delete;

    void write(const std::string& bytes) const;
    // Reads until `want` bytes arrived or `timeout` passed.
    [[nodiscard]] std::string read(std::size_t want, std::chrono::milliseconds timeout) const;
    // Reads until the line has been quiet for `quiet` (or `timeout` passed overall).
    [[nodiscard]] std::string read_until_quiet(std::chrono::milliseconds quiet,
                                               std::chrono::milliseconds timeout) const;
    // Reads one ASCII frame up to and including '\r'.
    [[nodiscard]] std::string read_line(std::chrono::milliseconds timeout) const;
    void discard() const;

  private:
    int fd_ = -1;
};

}  // namespace packbridge::testing
