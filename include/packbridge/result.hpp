// SPDX-License-Identifier: Apache-2.0
#pragma once

// The runtime error style: codecs and services return Result<T>; exceptions are used only at
// start-up (config loading, argument parsing). An Error says what went wrong in words a user
// can act on ("CHKSUM: expected FD30, found FD31").

#include <string>
#include <utility>
#include <variant>

namespace packbridge {

enum class Errc {
    truncated,        // not enough bytes for what the header promises
    bad_format,       // a byte that cannot be there (non-hex character, missing CR, ...)
    length_checksum,  // PACE LCHKSUM nibble wrong
    checksum,         // frame checksum / CRC wrong
    bad_length,       // declared length disagrees with what arrived
    wrong_address,    // valid frame, but for / from another address
    unexpected,    // valid frame of a kind we did not expect here (a request where a reply was due)
    rejected,      // the peer answered with an error code (PACE RTN != 0, Modbus exception)
    unsupported,   // a valid request we do not implement
    out_of_range,  // a value outside what the field or protocol can carry
    timeout,       // no answer in time
    io,            // the operating system said no
    not_found,     // a file, device or name that does not exist
    busy,          // a device another process holds exclusively (a running daemon)
    invalid,       // anything else that is wrong with the input
};

const char* to_string(Errc code);

struct Error {
    Errc code;
    std::string detail;

    [[nodiscard]] std::string describe() const {
        return std::string(to_string(code)) + ": " + detail;
    }
};

inline Error make_error(Errc code, std::string detail) {
    return Error{code, std::move(detail)};
}

template <class T>
class [[nodiscard]] Result {
  public:
    Result(T value) : v_(std::in_place_index<0>, std::move(value)) {}  // NOLINT: implicit by design
    Result(Error error) : v_(std::in_place_index<1>, std::move(error)) {}  // NOLINT

    [[nodiscard]] bool ok() const { return v_.index() == 0; }
    explicit operator bool() const { return ok(); }

    const T& value() const& { return std::get<0>(v_); }
    T& value() & { return std::get<0>(v_); }
    T&& value() && { return std::get<0>(std::move(v_)); }
    const T& operator*() const& { return value(); }
    T& operator*() & { return value(); }
    const T* operator->() const { return &value(); }
    T* operator->() { return &value(); }

    const Error& error() const { return std::get<1>(v_); }

  private:
    std::variant<T, Error> v_;
};

// Result of an operation with no value: either fine, or an Error.
template <>
class [[nodiscard]] Result<void> {
  public:
    Result() = default;
    Result(Error error) : error_(std::move(error)), ok_(false) {}  // NOLINT

    [[nodiscard]] bool ok() const { return ok_; }
    explicit operator bool() const { return ok_; }
    const Error& error() const { return error_; }

  private:
    Error error_{Errc::invalid, {}};
    bool ok_ = true;
};

}  // namespace packbridge
