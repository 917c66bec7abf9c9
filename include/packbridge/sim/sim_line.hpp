// SPDX-License-Identifier: Apache-2.0
#pragma once

// Where packbridge-sim talks: a pseudo-terminal it creates (the gateway opens the slave path),
// or an existing serial device. Plus the control FIFO that tests write commands into.

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "packbridge/asio.hpp"
#include "packbridge/result.hpp"

namespace packbridge::sim {

struct SimLine {
    int fd = -1;               // what the simulator reads and writes
    std::string path;          // what the gateway opens
    int slave_keepalive = -1;  // pty: the slave held open so the master never reads EIO
};

// Creates a raw pty pair. `link` (optional) is made a symlink to the slave path.
Result<SimLine> open_pty(std::uint32_t baud, const std::string& link);
// Opens a real serial device raw 8N1 at `baud`.
Result<SimLine> open_device(const std::string& device, std::uint32_t baud);

// A FIFO (created if missing) read line by line; `on_line` runs on the io_context thread.
class ControlFifo {
  public:
    ControlFifo(boost::asio::io_context& io, std::string path,
                std::function<void(const std::string&)> on_line);
    ~ControlFifo();
    Result<void> open();

  private:
    void read_next();

    boost::asio::posix::stream_descriptor stream_;
    std::string path_;
    std::function<void(const std::string&)> on_line_;
    std::array<char, 256> buf_{};
    std::string pending_;
};

}  // namespace packbridge::sim
