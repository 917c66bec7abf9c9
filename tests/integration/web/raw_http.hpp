// SPDX-License-Identifier: Apache-2.0
#pragma once

// HTTP by hand over a localhost TCP socket, for requests no well-behaved client sends (a flood
// of headers, a stalled request line, a body on a read-only server) and for holding many
// connections open at once. Every wait is bounded.

#include <chrono>
#include <cstdint>
#include <functional>
#include <string>

#include "support/free_port.hpp"

namespace packbridge::testing {

// A port nobody listens on right now (bound to 0 and released).
bool wait_until(const std::function<bool()>& done, std::chrono::milliseconds timeout);

class RawConnection {
  public:
    explicit RawConnection(std::uint16_t port);  // connects to 127.0.0.1; throws when it cannot
    ~RawConnection();
    RawConnection(const RawConnection&) = delete;
    RawConnection& operator=(const RawConnection&) = delete;

    // Sends all of `bytes`; false when the server closed the connection.
    bool send(const std::string& bytes);
    // Everything the server sends until it closes the connection or `timeout` passes.
    std::string read_all(std::chrono::milliseconds timeout);
    // Reads one response (headers and a Content-Length body, none for HEAD) within `timeout`;
    // "" when none.
    std::string read_response(std::chrono::milliseconds timeout, bool head = false);

  private:
    int fd_ = -1;
    std::string pending_;
};

// "HTTP/1.1 404 Not Found\r\n..." -> 404; 0 when the text is no HTTP response.
int status_of(const std::string& response);
// The body of a response ("" when none).
std::string body_of(const std::string& response);

// One request on a fresh connection: the status code (0 = no answer within `timeout`).
int request_status(std::uint16_t port, const std::string& request,
                   std::chrono::milliseconds timeout = std::chrono::milliseconds(5000));

}  // namespace packbridge::testing
