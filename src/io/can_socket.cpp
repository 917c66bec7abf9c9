// SPDX-License-Identifier: Apache-2.0
#include "packbridge/io/can_socket.hpp"

#include <linux/can.h>
#include <linux/can/error.h>
#include <linux/can/raw.h>
#include <net/if.h>
#include <spdlog/spdlog.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>

#include "packbridge/io/can_link.hpp"
#include "packbridge/protocol/inverter/can/can_inbound.hpp"
#include "packbridge/util/log_event.hpp"

namespace packbridge::io {
namespace {

constexpr auto kMaxBackoff = std::chrono::seconds(30);
constexpr auto kLinkCheck = std::chrono::seconds(1);
constexpr int kDropReportEvery = 60;  // link checks (seconds) between "N frames dropped" lines

std::string errno_text(const std::string& what, int err) {
    return what + ": " + std::strerror(err);
}

// Only what an inverter sends us; everything else on the bus (other BMSs, our own frames looped
// back to other sockets) never wakes the loop.
std::array<can_filter, 5> inbound_filters() {
    namespace in = protocol::can_inbound;
    constexpr canid_t kStd = CAN_SFF_MASK | CAN_EFF_FLAG | CAN_RTR_FLAG;
    constexpr canid_t kExt = CAN_EFF_MASK | CAN_EFF_FLAG | CAN_RTR_FLAG;
    return {{{in::kLuxCommandId, kStd},
             {in::kGrowattPollId, kStd},
             {in::kKeepAliveId, kStd},
             {in::kIdentificationId, kStd},
             {in::kKeepAliveId | CAN_EFF_FLAG, kExt}}};
}

}  // namespace

CanSocket::CanSocket(boost::asio::io_context& io, CanSocketOptions options)
    : io_(io), options_(std::move(options)), descriptor_(io), reopen_timer_(io), link_timer_(io) {}

CanSocket::~CanSocket() {
    *alive_ = false;
    stopped_ = true;
    boost::system::error_code ignored;
    reopen_timer_.cancel();
    link_timer_.cancel();
    descriptor_.close(ignored);
}

void CanSocket::start(const Receiver& on_frame) {
    receiver_ = on_frame;
    if (options_.configure) {
        if (auto done =
                configure_can_link(options_.interface, options_.bitrate, options_.restart_ms);
            done) {
            logging::link_event(spdlog::level::info, options_.interface,
                                logging::Event::link_configured,
                                "CAN: {} configured: {} bit/s, restart-ms {}, link up",
                                options_.interface, options_.bitrate, options_.restart_ms);
        } else {
            // Without CAP_NET_ADMIN libsocketcan's -1 says nothing: name the drop-in instead.
            const bool no_capability = have_net_admin() == std::optional<bool>(false);
            logging::link_event(spdlog::level::err, options_.interface,
                                logging::Event::link_config_failed,
                                "CAN: configuring {} failed: {}", options_.interface,
                                no_capability ? can_configure_capability_error(options_.interface)
                                              : done.error().detail);
        }
    }
    if (auto opened = open_socket(); !opened) {
        logging::link_event(
            spdlog::level::err, options_.interface,
            "CAN: {} unavailable: {} (retrying with back-off; the rest keeps running)",
            options_.interface, opened.error().detail);
        reported_unavailable_ = true;
        schedule_reopen();
    }
    check_link();
}

Result<void> CanSocket::open_socket() {
    const int fd = ::socket(PF_CAN, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, CAN_RAW);
    if (fd < 0) return make_error(Errc::io, errno_text("socket(PF_CAN, CAN_RAW)", errno));
    const auto filters = inbound_filters();
    ::setsockopt(fd, SOL_CAN_RAW, CAN_RAW_FILTER, filters.data(),
                 static_cast<socklen_t>(sizeof(can_filter) * filters.size()));
    // Not CAN_ERR_BUSERROR: it can flood at every bit error of a bad cable.
    const can_err_mask_t errors =
        CAN_ERR_TX_TIMEOUT | CAN_ERR_CRTL | CAN_ERR_ACK | CAN_ERR_BUSOFF | CAN_ERR_RESTARTED;
    ::setsockopt(fd, SOL_CAN_RAW, CAN_RAW_ERR_FILTER, &errors, sizeof errors);
    const unsigned index = ::if_nametoindex(options_.interface.c_str());
    if (index == 0) {
        const int err = errno;
        ::close(fd);
        return make_error(Errc::not_found, errno_text("interface " + options_.interface, err));
    }
    sockaddr_can addr{};
    addr.can_family = AF_CAN;
    addr.can_ifindex = static_cast<int>(index);
    if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
        const int err = errno;
        ::close(fd);
        return make_error(Errc::io, errno_text("bind to " + options_.interface, err));
    }
    descriptor_.assign(fd);
    has_controller_ = true;
    backoff_ = std::chrono::seconds(1);
    if (reported_unavailable_) {
        logging::link_event(spdlog::level::info, options_.interface, logging::Event::link_back,
                            "CAN: {} open again", options_.interface);
    }
    reported_unavailable_ = false;
    read_loop();
    return {};
}

void CanSocket::close_socket(const std::string& why) {
    if (!descriptor_.is_open()) return;
    logging::link_event(spdlog::level::err, options_.interface, logging::Event::link_lost,
                        "CAN: {} lost: {} (reopening with back-off)", options_.interface, why);
    reported_unavailable_ = true;
    boost::system::error_code ignored;
    descriptor_.close(ignored);
    bus_state_ = "unknown";
    schedule_reopen();
}

void CanSocket::schedule_reopen() {
    if (stopped_) return;
    reopen_timer_.expires_after(backoff_);
    backoff_ = std::min<Duration>(backoff_ * 2, kMaxBackoff);
    reopen_timer_.async_wait([this, alive = alive_](const boost::system::error_code& ec) {
        if (ec || !*alive || descriptor_.is_open()) return;
        if (options_.configure)
            (void)configure_can_link(options_.interface, options_.bitrate, options_.restart_ms);
        if (auto opened = open_socket(); !opened) {
            logging::link_event(spdlog::level::debug, options_.interface,
                                "CAN: {} still unavailable: {}", options_.interface,
                                opened.error().detail);
            schedule_reopen();
        }
    });
}

void CanSocket::read_loop() {
    descriptor_.async_wait(boost::asio::posix::stream_descriptor::wait_read,
                           [this, alive = alive_](const boost::system::error_code& ec) {
                               if (ec || !*alive || !descriptor_.is_open()) return;
                               drain();
                               if (descriptor_.is_open()) read_loop();
                           });
}

void CanSocket::drain() {
    for (int i = 0; i < 64; ++i) {  // bounded: a flooding bus cannot starve the loop
        can_frame raw{};
        const auto n = ::read(descriptor_.native_handle(), &raw, sizeof raw);
        if (n < 0) {
            const int err = errno;
            if (err == EAGAIN || err == EWOULDBLOCK || err == EINTR || err == ENETDOWN) return;
            close_socket(errno_text("read", err));
            return;
        }
        if (n != static_cast<ssize_t>(sizeof raw)) continue;
        if ((raw.can_id & CAN_ERR_FLAG) != 0) {
            std::array<std::uint8_t, 8> data{};
            std::memcpy(data.data(), raw.data, data.size());
            on_error_frame(decode_error_frame(raw.can_id, data));
            continue;
        }
        protocol::CanFrame frame;
        frame.extended = (raw.can_id & CAN_EFF_FLAG) != 0;
        frame.id = raw.can_id & (frame.extended ? CAN_EFF_MASK : CAN_SFF_MASK);
        frame.dlc = std::min<std::uint8_t>(raw.can_dlc, 8);
        std::memcpy(frame.data.data(), raw.data, 8);
        if (no_ack_since_) {
            logging::link_event(spdlog::level::info, options_.interface,
                                "CAN: {} hears the inverter again", options_.interface);
            no_ack_since_.reset();
        }
        if (receiver_) receiver_(frame);
    }
}

void CanSocket::on_error_frame(const CanErrorEvent& event) {
    ++error_frames_;
    std::string next = bus_state_;
    if (event.bus_off) {
        next = "bus-off";
    } else if (event.restarted || event.back_to_active) {
        next = "error-active";
    } else if (event.error_passive) {
        next = "error-passive";
    } else if (event.error_warning) {
        next = "error-warning";
    }
    if (next != bus_state_) {
        if (next == "error-active") {
            logging::link_event(spdlog::level::info, options_.interface, "CAN: {} recovered ({})",
                                options_.interface, event.to_string());
        } else {
            logging::link_event(spdlog::level::warn, options_.interface, "CAN: {} {}: {}",
                                options_.interface, next, event.to_string());
        }
        bus_state_ = next;
    }
    if (event.no_ack && !no_ack_since_) {
        no_ack_since_ = Clock::now();
        logging::link_event(
            spdlog::level::warn, options_.interface,
            "CAN: no ACK on {}: nobody is listening (inverter off, its BMS/CAN setting not "
            "enabled, CANH/CANL swapped, or a wrong bitrate)",
            options_.interface);
    }
}

bool CanSocket::send(const protocol::CanFrame& frame, const std::string&) {
    if (!descriptor_.is_open()) {
        ++dropped_;
        return false;
    }
    can_frame raw{};
    raw.can_id =
        frame.extended ? ((frame.id & CAN_EFF_MASK) | CAN_EFF_FLAG) : (frame.id & CAN_SFF_MASK);
    raw.can_dlc = std::min<std::uint8_t>(frame.dlc, 8);
    std::memcpy(raw.data, frame.data.data(), 8);
    const auto n = ::write(descriptor_.native_handle(), &raw, sizeof raw);
    if (n == static_cast<ssize_t>(sizeof raw)) return true;
    const int err = errno;
    ++dropped_;
    // Full TX queue (nobody ACKs) or a down link: drop. Never keep a frame for later: the next
    // period rebuilds every frame from the current battery.
    if (err == ENOBUFS || err == EAGAIN || err == EWOULDBLOCK || err == ENETDOWN) return false;
    close_socket(errno_text("write", err));  // ENODEV, ENXIO: the adapter went away
    return false;
}

std::string CanSocket::state() const {
    if (!descriptor_.is_open()) return "unavailable";
    if (reported_down_) return "down";
    return bus_state_ == "unknown" ? "up" : bus_state_;
}

void CanSocket::check_link() {
    if (stopped_) return;
    if (descriptor_.is_open()) {
        if (::if_nametoindex(options_.interface.c_str()) == 0) {
            close_socket("the interface disappeared");
        } else {
            ifreq req{};
            std::strncpy(req.ifr_name, options_.interface.c_str(), IFNAMSIZ - 1);
            const bool up = ::ioctl(descriptor_.native_handle(), SIOCGIFFLAGS, &req) == 0 &&
                            (req.ifr_flags & IFF_UP) != 0;
            if (!up && !reported_down_) {
                logging::link_event(
                    spdlog::level::warn, options_.interface,
                    "CAN: {} is down: frames are dropped until it is up ({})", options_.interface,
                    options_.configure
                        ? "bringing it up again"
                        : "set inverter.can.configure, or: ip link set " + options_.interface +
                              " up type can bitrate 500000 restart-ms 100");
            } else if (up && reported_down_) {
                logging::link_event(spdlog::level::info, options_.interface, "CAN: {} is up again",
                                    options_.interface);
            }
            reported_down_ = !up;
            if (!up && options_.configure)
                (void)configure_can_link(options_.interface, options_.bitrate, options_.restart_ms);
            // libsocketcan prints to stderr when an interface has no controller (vcan): ask
            // again only while it answers.
            auto state = has_controller_ ? can_link_state(options_.interface)
                                         : Result<CanState>(Error{Errc::unsupported, ""});
            if (!state) has_controller_ = false;
            if (state) {
                const std::string now_state = to_string(*state);
                if (now_state != bus_state_ && bus_state_ != "unknown")
                    logging::link_event(spdlog::level::info, options_.interface,
                                        "CAN: {} controller state {}", options_.interface,
                                        now_state);
                bus_state_ = now_state;
                // restart-ms 0 disables the kernel's automatic recovery: do it ourselves.
                if (*state == CanState::bus_off && options_.configure && options_.restart_ms == 0)
                    (void)restart_can_link(options_.interface);
            }
        }
    }
    static_assert(kDropReportEvery > 0);
    if (++checks_ % kDropReportEvery == 0 && dropped_ > drops_reported_) {
        logging::link_event(
            spdlog::level::warn, options_.interface,
            "CAN: {} frames dropped on {} in the last {} s ({})", dropped_ - drops_reported_,
            options_.interface, kDropReportEvery,
            descriptor_.is_open() ? "TX queue full or link down" : "interface unavailable");
        drops_reported_ = dropped_;
    }
    link_timer_.expires_after(kLinkCheck);
    link_timer_.async_wait([this, alive = alive_](const boost::system::error_code& ec) {
        if (!ec && *alive) check_link();
    });
}

}  // namespace packbridge::io
