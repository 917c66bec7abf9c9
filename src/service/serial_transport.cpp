// SPDX-License-Identifier: Apache-2.0
#include "packbridge/service/serial_transport.hpp"

#include <spdlog/spdlog.h>

#include <utility>

#include "packbridge/util/log_event.hpp"

namespace packbridge::service {

using namespace std::chrono_literals;

SerialTransport::SerialTransport(boost::asio::io_context& io, io::SerialOptions options,
                                 std::string label)
    : io_(io),
      options_(std::move(options)),
      label_(std::move(label)),
      serial_(io),
      backoff_(100ms, 5s),
      reopen_timer_(io),
      hold_timer_(io) {}

SerialTransport::~SerialTransport() {
    *alive_ = false;
    stop();
}

Result<void> SerialTransport::open() {
    auto opened = serial_.open(options_);
    if (opened) {
        backoff_.reset();
        problem_.clear();
    } else {
        // The caller logs this one; lost() must not log it again when the retries start.
        reported_lost_ = true;
        problem_ = opened.error().detail;
        reported_problem_ = problem_;
    }
    return opened;
}

void SerialTransport::start(BytesHandler on_bytes) {
    on_bytes_ = std::move(on_bytes);
    running_ = true;
    if (serial_.is_open()) {
        read_next();
    } else {
        // Keep open()'s reason (ENOENT, EACCES ...) rather than a vaguer one.
        lost(problem_.empty() ? Error{Errc::io, options_.device + " is not open"}
                              : Error{Errc::io, problem_},
             true);
    }
}

void SerialTransport::stop() {
    running_ = false;
    reopen_timer_.cancel();
    hold_timer_.cancel();
    serial_.close();
}

void SerialTransport::read_next() {
    if (reading_ || !running_ || !serial_.is_open()) {
        return;
    }
    reading_ = true;
    serial_.async_read_some(buffer_,
                            [this, alive = std::weak_ptr<bool>(alive_)](Result<std::size_t> n) {
                                if (alive.expired()) {
                                    return;
                                }
                                reading_ = false;
                                if (!running_) {
                                    return;
                                }
                                if (!n) {
                                    lost(n.error());
                                    return;
                                }
                                ++reads_;
                                hold_ = std::chrono::microseconds{0};
                                if (on_bytes_) {
                                    on_bytes_(std::span<const std::uint8_t>(buffer_.data(), *n));
                                }
                                if (hold_.count() > 0) {
                                    read_after_hold();
                                } else {
                                    read_next();
                                }
                            });
}

void SerialTransport::read_after_hold() {
    // The bytes wait in the kernel's tty buffer meanwhile (4 KiB, far more than one frame).
    hold_timer_.expires_after(hold_);
    hold_timer_.async_wait(
        [this, alive = std::weak_ptr<bool>(alive_)](const boost::system::error_code& ec) {
            if (!ec && !alive.expired()) read_next();
        });
}

void SerialTransport::write(std::span<const std::uint8_t> bytes, WriteHandler done) {
    if (!serial_.is_open()) {
        done(make_error(Errc::io, options_.device + " is not open"));
        return;
    }
    out_.emplace_back(bytes.begin(), bytes.end());
    serial_.async_write(out_.back(), [this, alive = std::weak_ptr<bool>(alive_),
                                      done = std::move(done)](Result<void> r) {
        if (alive.expired()) {
            return;
        }
        if (!out_.empty()) {
            out_.pop_front();
        }
        if (!r && running_) {
            lost(r.error());
        }
        done(std::move(r));
    });
}

void SerialTransport::lost(const Error& error, bool opening) {
    const bool repeated = error.detail == problem_;  // the previous attempt failed the same way
    problem_ = error.detail;
    if (!reported_lost_) {
        logging::link_event(spdlog::level::err, options_.device, logging::Event::link_lost,
                            "{}: {}; reopening with back-off", label_, error.detail);
        reported_lost_ = true;
        // A read/write error is not an open error: the first failed reopen (ENOENT after an
        // unplug, as expected) sets the reason that later ones are compared with.
        reported_problem_ = opening ? error.detail : std::string{};
    } else if (opening && reported_problem_.empty()) {
        reported_problem_ = error.detail;
    } else if (opening && error.detail != reported_problem_ && repeated) {
        // Same outage, a different reason (ENOENT -> EACCES once the adapter appears but the
        // sandbox or the group refuses it): the fix differs, so say it once, not per retry.
        // Only once it held for two attempts: a node udev has not chgrp'ed to dialout yet
        // (EACCES for a few ms after a hot-plug) is not worth an alarming journal line.
        logging::link_event(spdlog::level::err, options_.device, logging::Event::link_lost,
                            "{}: still not open, now: {}; reopening with back-off", label_,
                            error.detail);
        reported_problem_ = error.detail;
    }
    serial_.close();
    if (!running_) {
        return;
    }
    reopen_timer_.expires_after(backoff_.next());
    reopen_timer_.async_wait(
        [this, alive = std::weak_ptr<bool>(alive_)](const boost::system::error_code& ec) {
            if (!ec && !alive.expired()) {
                try_reopen();
            }
        });
}

void SerialTransport::try_reopen() {
    if (!running_) {
        return;
    }
    auto opened = serial_.open(options_);
    if (!opened) {
        lost(opened.error(), true);
        return;
    }
    ++reopens_;
    backoff_.reset();
    reported_lost_ = false;
    reported_problem_.clear();
    problem_.clear();
    logging::link_event(spdlog::level::info, options_.device, logging::Event::link_back,
                        "{}: {} reopened", label_, options_.device);
    read_next();
    if (on_reopen_) on_reopen_();
}

}  // namespace packbridge::service
