// SPDX-License-Identifier: Apache-2.0
#include "packbridge/service/pack_poller.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <utility>

#include "packbridge/protocol/ascii/ascii_assembler.hpp"
#include "packbridge/protocol/pack/pace.hpp"
#include "packbridge/util/log_event.hpp"

namespace packbridge::service {

namespace pace = protocol::pace;
using protocol::ascii::Frame;

namespace {

// Wire time of n characters at 8N1: 10 bits each.
Duration wire_time(std::size_t chars, std::uint32_t baud) {
    return std::chrono::duration_cast<Duration>(
        std::chrono::microseconds(chars * 10'000'000ULL / std::max<std::uint32_t>(baud, 1)));
}

// The longest wait for the rest of a reply: a few reads per frame whatever its length, and a
// dead pack's half frame is not waited on for long.
constexpr std::size_t kMaxHoldChars = 128;

std::string describe_address(std::uint8_t address) {
    return "pack " + std::to_string(address);
}

long long window_s(const RepeatLimiter::Report& r) {
    return static_cast<long long>(std::chrono::duration_cast<seconds>(r.window).count());
}

void report_timeouts(std::uint8_t address, const std::optional<RepeatLimiter::Report>& r) {
    if (!r) return;
    logging::pack_event(spdlog::level::warn, address, logging::Event::pack_timeouts,
                        "bus: {} timeouts on {} in the last {} s", r->count,
                        describe_address(address), window_s(*r));
}

void report_bad_replies(std::uint8_t address, const std::optional<RepeatLimiter::Report>& r) {
    if (!r) return;
    logging::pack_event(spdlog::level::warn, address,
                        "bus: {} bad replies (checksum or garbled) from {} in the last {} s",
                        r->count, describe_address(address), window_s(*r));
}

// Lines about several silent addresses name each of them, so that
// `journalctl PACKBRIDGE_PACK=5` finds the line that covers pack 5.
logging::EventFields silent_fields(const std::vector<std::uint8_t>& addresses) {
    logging::EventFields fields;
    fields.packs = addresses;
    fields.event = logging::Event::pack_lost;
    return fields;
}

}  // namespace

PackPoller::PackPoller(BusConfig config, ByteTransport& transport, Timers& timers,
                       PollerCallbacks callbacks)
    : config_(std::move(config)),
      transport_(transport),
      timers_(timers),
      callbacks_(std::move(callbacks)),
      assembler_(std::make_unique<protocol::ascii::Assembler>()),
      deadline_(timers.make_timer()),
      gap_(timers.make_timer()),
      mode_timer_(timers.make_timer()),
      families_(config_) {
    set_plan_limits(PlanLimits{});
    if (!config_.auto_addresses) {
        for (const auto address : config_.addresses) {
            if (address < kMaxPacks) {
                packs_[address].known = true;
            }
        }
    }
}

void PackPoller::set_plan_limits(const PlanLimits& limits) {
    PlanSettings settings;
    settings.margin_mv = config_.near_limit_margin_mv;
    settings.current_pct = config_.near_limit_current_pct;
    settings.fast_interval = milliseconds(config_.near_limit_poll_ms);
    settings.limits = limits;
    plan_.set_settings(settings);
}

PackPoller::~PackPoller() {
    stop();
}

void PackPoller::start() {
    running_ = true;
    transport_.on_reopen([this] { reprobe_all(); });
    transport_.start([this](std::span<const std::uint8_t> bytes) { on_bytes(bytes); });
    switch (config_.mode) {
        case BusMode::master:
            enter_master();
            break;
        case BusMode::listen:
            enter_listen("configured");
            break;
        case BusMode::auto_:
            mode_ = BusMode::auto_;
            spdlog::info("bus: listening {} ms for another master before deciding the mode",
                         config_.listen_window_ms);
            mode_timer_->start(timers_.now() + milliseconds(config_.listen_window_ms), [this] {
                if (mode_ == BusMode::auto_) {
                    spdlog::info("bus: no other master heard in {} ms: polling as master",
                                 config_.listen_window_ms);
                    enter_master();
                }
            });
            break;
    }
}

void PackPoller::stop() {
    if (!running_) {
        return;
    }
    running_ = false;
    deadline_->cancel();
    gap_->cancel();
    mode_timer_->cancel();
    transport_.stop();
}

std::vector<std::uint8_t> PackPoller::online_addresses() const {
    std::vector<std::uint8_t> out;
    for (std::uint8_t a = 0; a < kMaxPacks; ++a) {
        if (packs_[a].health.online) {
            out.push_back(a);
        }
    }
    return out;
}

// ---------------------------------------------------------------------------------------------
// receive path

void PackPoller::on_bytes(std::span<const std::uint8_t> bytes) {
    last_rx_ = timers_.now();
    assembler_->feed(bytes, [this](const protocol::ascii::AssembledFrame& assembled) {
        if (spdlog::should_log(spdlog::level::trace)) {
            spdlog::trace("bus: rx {}", trace_text(assembled.raw));
        }
        if (assembled.frame) {
            on_frame(*assembled.frame, assembled.raw);
        } else {
            on_bad_frame(assembled.frame.error());
        }
    });
    stats_.noise_bytes = assembler_->noise_bytes();
    hold_for_rest_of_reply();
    if (mode_ == BusMode::listen && !in_flight_) {
        arm_idle_timer();
    }
}

bool PackPoller::is_request(const Frame& frame) const {
    return pace::is_request(frame);
}

void PackPoller::on_frame(const Frame& frame, const std::string& raw) {
    if (is_request(frame)) {
        if (in_flight_ && raw == in_flight_->bytes) {
            ++stats_.own_echoes;  // adapter echo of our own request: not an answer, keep waiting
            return;
        }
        ++stats_.foreign_requests;
        if (mode_ == BusMode::auto_) {
            spdlog::warn(
                "bus: another master is polling the packs (request to ADR {} CID2 0x{:02X}): "
                "running in "
                "listen mode",
                frame.adr, frame.cid2);
            enter_listen("another master detected");
        } else if (mode_ == BusMode::master) {
            spdlog::warn(
                "bus: another master appeared (request to ADR {} CID2 0x{:02X}): backing off into "
                "listen "
                "mode",
                frame.adr, frame.cid2);
            enter_listen("another master appeared");
        } else if (in_flight_) {
            // Listen mode and the host talked over our transaction: abandon it without a miss.
            spdlog::debug("bus: host started a request while ours to {} was in flight",
                          in_flight_->address);
            in_flight_.reset();
            deadline_->cancel();
            queue_.clear();
        }
        if (mode_ == BusMode::listen) {
            listen_frame(frame);
        }
        return;
    }
    if (in_flight_) {
        handle_reply(frame);
    } else if (mode_ == BusMode::listen) {
        listen_frame(frame);
    } else {
        ++stats_.unattributed;
    }
}

void PackPoller::on_bad_frame(const Error& error) {
    if (in_flight_) {
        auto& health = packs_[in_flight_->address].health;
        if (error.code == Errc::checksum || error.code == Errc::length_checksum) {
            ++health.checksum_errors;
        } else {
            ++health.garbled;
        }
        count_bad_reply(in_flight_->address);
        in_flight_damaged_ = true;
        spdlog::debug("bus: bad reply from {}: {}", describe_address(in_flight_->address),
                      error.describe());
        // The sender has stopped; a valid frame may still follow at once (noise then reply), so
        // wait a few character times, not the whole deadline.
        const auto settle =
            timers_.now() + wire_time(30, transport_.baud()) + milliseconds(config_.min_gap_ms);
        deadline_->start(settle, [this] { on_deadline(); });
    } else if (mode_ == BusMode::listen && host_request_) {
        auto& health = packs_[host_request_->adr & 0x0F].health;
        if (error.code == Errc::checksum || error.code == Errc::length_checksum) {
            ++health.checksum_errors;
        } else {
            ++health.garbled;
        }
        count_bad_reply(static_cast<std::uint8_t>(host_request_->adr & 0x0F));
    }
}

// ---------------------------------------------------------------------------------------------
// master

void PackPoller::enter_master() {
    mode_ = BusMode::master;
    mode_timer_->cancel();
    if (callbacks_.on_mode) {
        callbacks_.on_mode(mode_);
    }
    sweep_start_ = timers_.now();
    plan_cycle();
    send_next();
}

void PackPoller::enter_listen(const char* why) {
    spdlog::info("bus: listen mode ({})", why);
    mode_ = BusMode::listen;
    mode_timer_->cancel();
    deadline_->cancel();
    gap_->cancel();
    in_flight_.reset();
    queue_.clear();
    if (callbacks_.on_mode) {
        callbacks_.on_mode(mode_);
    }
    arm_idle_timer();
}

void PackPoller::reprobe_all() {
    spdlog::info("bus: line back: probing every missing address now");
    reprobe_all_ = true;
}

void PackPoller::plan_cycle() {
    const auto now = timers_.now();
    flush_repeats();
    report_silence();
    const bool discovering = config_.auto_addresses && !discovery_done_;
    const bool reprobing = std::exchange(reprobe_all_, false);
    std::optional<std::uint8_t> probe;
    for (std::uint8_t a = 0; a < kMaxPacks; ++a) {
        auto& pack = packs_[a];
        const bool polled = pack.known && (pack.health.online || pack.health.consecutive_misses <
                                                                     config_.offline_after_misses);
        if (discovering && !pack.known) {
            queue_.push_back({a, pace::kCidAnalog, Step::analog, true, {}, {}});
            continue;
        }
        if (polled) {
            if (mode_ == BusMode::listen && pack.served_by_host) {
                continue;  // the host's own traffic gives us this pack
            }
            queue_.push_back({a, pace::kCidAnalog, Step::analog, false, {}, {}});
        } else if ((pack.known || config_.auto_addresses) && reprobing) {
            pack.next_probe = now + seconds(config_.reprobe_interval_s);
            queue_.push_back({a, pace::kCidAnalog, Step::analog, true, {}, {}});
        } else if ((pack.known || config_.auto_addresses) && !probe && now >= pack.next_probe) {
            probe = a;  // at most one missing address per cycle, each only every reprobe interval
        }
    }
    if (probe && !discovering) {
        packs_[*probe].next_probe = now + seconds(config_.reprobe_interval_s);
        queue_.push_back({*probe, pace::kCidAnalog, Step::analog, true, {}, {}});
    }
    // bus.family auto: one discovery round per request shape, so that every address was asked
    // in every family's shape once without one sweep waiting out every shape's timeout.
    discovery_done_ = ++discovery_round_ >= families_.discovery_rounds();
}

void PackPoller::send_next() {
    if (!running_ || in_flight_ || writing_) {
        return;
    }
    if (queue_.empty()) {
        if (mode_ == BusMode::master) {
            ++stats_.cycles;
            const auto now = timers_.now();
            stats_.last_sweep = now - sweep_start_;
            sweep_start_ = now;
            plan_cycle();
            if (queue_.empty()) {
                // Nothing alive and no probe due yet: look again in a second.
                gap_->start(now + seconds(1), [this] {
                    sweep_start_ = timers_.now();
                    plan_cycle();
                    send_next();
                });
                return;
            }
        } else {
            arm_idle_timer();
            return;
        }
    }
    const auto earliest = last_rx_ + milliseconds(config_.min_gap_ms);
    const auto now = timers_.now();
    if (now < earliest) {
        gap_->start(earliest, [this] { send_next(); });
        return;
    }
    const bool extra = interleave(now);
    Request request = std::move(queue_.front());
    queue_.pop_front();
    if (request.step == Step::analog) {
        plan_.polled(request.address, now, extra);
        packs_[request.address].analog_sent = now;
    } else if (request.step != Step::status) {
        plan_.other_request();
    }
    request.bytes = families_.request(request.address, request.cid2);
    request.sent = now;
    if (spdlog::should_log(spdlog::level::trace)) {
        spdlog::trace("bus: tx {}", trace_text(request.bytes));
    }
    in_flight_ = std::move(request);
    in_flight_damaged_ = false;
    writing_ = true;
    ++stats_.requests_sent;
    ++packs_[in_flight_->address].health.polls;
    const auto* data = reinterpret_cast<const std::uint8_t*>(in_flight_->bytes.data());
    transport_.write({data, in_flight_->bytes.size()}, [this](const Result<void>& written) {
        writing_ = false;
        if (!in_flight_) {
            send_next();
            return;
        }
        const auto now2 = timers_.now();
        if (!written) {
            spdlog::debug("bus: request to {} not sent: {}", describe_address(in_flight_->address),
                          written.error().describe());
            // Device gone: count a miss after the deadline so a dead adapter does not spin.
        }
        // The deadline runs from the moment the request's last byte is on the wire.
        in_flight_->sent = now2;
        // The plan's shorter deadline for a near pack: for its readings, not its identity.
        const auto& health = packs_[in_flight_->address].health;
        const bool reading = in_flight_->step == Step::analog || in_flight_->step == Step::status;
        const auto timeout =
            plan_.deadline(in_flight_->address, milliseconds(config_.request_timeout_ms),
                           reading ? health.last_latency : std::nullopt);
        deadline_->start(now2 + wire_time(in_flight_->bytes.size(), transport_.baud()) + timeout,
                         [this] { on_deadline(); });
    });
}

// Between two packs' transactions (never between a pack's 0x42 and its 0x44): a pack whose
// reading is about to go stale, or one near a limit that is due, goes before the sweep's next.
bool PackPoller::interleave(TimePoint now) {
    if (mode_ != BusMode::master || (!queue_.empty() && queue_.front().step == Step::status)) {
        return false;
    }
    std::optional<std::uint8_t> next_in_sweep;
    if (!queue_.empty() && queue_.front().step == Step::analog) {
        next_in_sweep = queue_.front().address;
    }
    const auto pick = plan_.next(now, next_in_sweep);
    if (!pick) return false;
    const auto a = pick->address;
    std::erase_if(queue_,
                  [a](const Request& r) { return r.address == a && r.step == Step::analog; });
    queue_.push_front({a, pace::kCidAnalog, Step::analog, false, {}, {}});
    return pick->extra;
}

void PackPoller::hold_for_rest_of_reply() {
    // A reply in progress: read again when the rest of it has had time to arrive. At 9600 baud
    // a reply comes as one or two characters per read otherwise, each a wake-up of the daemon;
    // the frame's end is seen no later, as the wait is its own wire time. Only for our own
    // requests' replies: listening to another master keeps reading at once (its idle detection
    // measures gaps between reads).
    const auto to_come = in_flight_ ? assembler_->chars_to_come() : 0;
    hold_ = to_come > 1 ? wire_time(std::min(to_come, kMaxHoldChars), transport_.baud())
                        : Duration::zero();
    if (hold_ > Duration::zero())
        transport_.hold_next_read(std::chrono::duration_cast<std::chrono::microseconds>(hold_));
}

void PackPoller::on_deadline() {
    if (!in_flight_) {
        return;
    }
    // A reply still arriving: let it finish (bytes within the last few character times, plus
    // the time the transport was asked to wait before reading them).
    const auto now = timers_.now();
    if (assembler_->in_frame() && now - last_rx_ < wire_time(20, transport_.baud()) + hold_) {
        deadline_->start(last_rx_ + wire_time(40, transport_.baud()) + hold_,
                         [this] { on_deadline(); });
        return;
    }
    const auto address = in_flight_->address;
    const bool probing = in_flight_->probe && !packs_[address].known;
    if (!assembler_->in_frame() && in_flight_->step == Step::analog &&
        families_.retry_after_timeout(address) && !probing) {
        // A configured address not identified yet (bus.family auto): ask again at once in the
        // next family's shape; only silence to every shape is a miss. A probe of an unknown
        // address just moves on: the next discovery round or re-probe asks in the next shape.
        Request again = std::move(*in_flight_);
        in_flight_.reset();
        queue_.push_front({address, again.cid2, again.step, again.probe, {}, {}});
        last_rx_ = std::max(last_rx_, now - milliseconds(config_.min_gap_ms));
        send_next();
        return;
    }
    const bool probe = in_flight_->probe && !packs_[address].known;
    const bool identity_step =
        in_flight_->step == Step::identity_fw || in_flight_->step == Step::identity_serial;
    auto& health = packs_[address].health;
    if (assembler_->in_frame()) {
        // A reply started and never ended (its CR lost in a collision or noise): damaged, not
        // absent. Counted like a garbled frame.
        ++health.garbled;
        count_bad_reply(address);
        in_flight_damaged_ = true;
    }
    if (!probe) {
        ++health.timeouts;
        count_timeout(address);
    }
    in_flight_.reset();
    assembler_->reset();
    if (!probe) {
        // Say which: a pack that answers with damaged frames (two packs on one address, a noisy
        // line) needs another fix than one that does not answer at all.
        record_miss(address, in_flight_damaged_ ? "damaged reply (checksum, garbled or truncated)"
                                                : "no valid reply");
    } else if (probe && (health.checksum_errors > 0 || health.garbled > 0)) {
        record_miss(address, "garbled reply");
    }
    if (probe) {
        packs_[address].next_probe = now + seconds(config_.reprobe_interval_s);
    }
    // Skip the rest of this pack's transaction this cycle.
    std::erase_if(queue_, [address](const Request& r) { return r.address == address; });
    if (identity_step) report_identity_when_complete(address);  // what did arrive, once
    last_rx_ = std::max(last_rx_, now - milliseconds(config_.min_gap_ms));
    send_next();
}

void PackPoller::handle_reply(const Frame& frame) {
    auto& request = *in_flight_;
    const auto address = request.address;
    auto& pack = packs_[address];
    if (frame.adr != address) {
        ++pack.health.wrong_address;
        hint_wrong_address(frame.adr, address);
        return;  // keep waiting for the right one until the deadline
    }
    const auto now = timers_.now();
    const Duration latency = now - request.sent;
    if (frame.cid2 != 0 && request.step == Step::analog &&
        families_.retry_after_error(address, frame)) {
        // An unidentified address answered in another family's header: ask in that shape.
        Request again = std::move(request);
        in_flight_.reset();
        deadline_->cancel();
        queue_.push_front({address, again.cid2, again.step, again.probe, {}, {}});
        send_next();
        return;
    }
    if (frame.cid2 != 0) {
        ++pack.health.error_replies;
        spdlog::debug("bus: {} rejected CID2 0x{:02X}: RTN 0x{:02X} {}", describe_address(address),
                      request.cid2, frame.cid2, pace::rtn_meaning(frame.cid2));
        const Step step = request.step;
        in_flight_.reset();
        deadline_->cancel();
        if (step == Step::identity_fw || step == Step::identity_serial) {
            pack.identity_tried = true;  // identity is optional
            report_identity_when_complete(address);
        } else {
            record_miss(address, "error reply");
            std::erase_if(queue_, [address](const Request& r) { return r.address == address; });
        }
        send_next();
        return;
    }
    const Step step = request.step;
    in_flight_.reset();
    deadline_->cancel();
    switch (step) {
        case Step::analog: {
            auto analog = families_.decode_analog(address, frame);
            if (!analog || analog->absent()) {
                ++pack.health.garbled;
                record_miss(address, analog ? "empty record" : "undecodable analog reply");
                break;
            }
            pack.analog = std::move(*analog);
            pack.known = true;
            record_success(address, latency);
            // Status next, before any other pack, so the reading is one consistent snapshot.
            queue_.push_front({address, pace::kCidStatus, Step::status, false, {}, {}});
            if (!pack.identity && !pack.identity_tried) {
                pack.identity_tried = true;
                for (const auto cid : families_.identity_cids(address))
                    queue_.push_back({address, cid, Step::identity_fw, false, {}, {}});
            }
            // The family is known from here on, whether or not its identity commands answer.
            if (const auto* f = families_.family(address);
                f && (!pack.identity || pack.identity->family != f->name)) {
                if (!pack.identity) pack.identity = PackIdentity{};
                pack.identity->family = f->name;
            }
            break;
        }
        case Step::status: {
            auto status = families_.decode_status(address, frame);
            if (!status) {
                ++pack.health.garbled;
                record_miss(address, "undecodable status reply");
                break;
            }
            record_success(address, latency);
            if (pack.analog) {
                emit_reading(address, now, *status);
            }
            break;
        }
        case Step::identity_fw:
        case Step::identity_serial: {
            auto id = families_.decode_identity(address, frame, request.cid2);
            if (id) {
                if (!pack.identity) {
                    pack.identity = PackIdentity{};
                }
                pack.identity->family = id->family;
                if (!id->model.empty()) pack.identity->model = id->model;
                if (!id->firmware.empty()) {
                    pack.identity->firmware = id->firmware;
                }
                if (!id->serial.empty()) {
                    pack.identity->serial = id->serial;
                }
                if (!id->manufacturer.empty()) {
                    pack.identity->manufacturer = id->manufacturer;
                }
            }
            report_identity_when_complete(address);
            break;
        }
    }
    send_next();
}

// A pack's identity comes in up to three replies (firmware, serial, manufacturer): reported once,
// when the last of them has been answered, refused or timed out, not once per reply (the journal
// showed each pack twice, the first time with an empty serial).
void PackPoller::report_identity_when_complete(std::uint8_t address) {
    const bool more = std::any_of(queue_.begin(), queue_.end(), [address](const Request& r) {
        return r.address == address &&
               (r.step == Step::identity_fw || r.step == Step::identity_serial);
    });
    auto& pack = packs_[address];
    if (more || !pack.identity || pack.identity_reported) return;
    pack.identity_reported = true;
    if (callbacks_.on_identity) callbacks_.on_identity(address, *pack.identity);
}

void PackPoller::emit_reading(std::uint8_t address, TimePoint at, PackStatus status) {
    auto& pack = packs_[address];
    PackReading reading;
    reading.address = address;
    reading.at = at;
    reading.analog = std::move(*pack.analog);
    reading.status = status;
    pack.analog.reset();
    plan_.reading(address, reading);
    if (mode_ == BusMode::master) plan_.transaction(at - pack.analog_sent);
    if (callbacks_.on_reading) {
        callbacks_.on_reading(reading);
    }
}

void PackPoller::record_miss(std::uint8_t address, const char* what) {
    auto& pack = packs_[address];
    ++pack.health.consecutive_misses;
    pack.analog.reset();
    // A pack near a limit that misses a reply has most likely tripped: offline at once, so its
    // share of the current goes now; the plan asks it again soon in case it was only noise.
    const auto offline_after = plan_.near_by_reading(address) ? 1U : config_.offline_after_misses;
    const bool goes_offline = pack.health.online && pack.health.consecutive_misses >= offline_after;
    plan_.missed(address, timers_.now(), goes_offline || !pack.health.online);
    if (goes_offline) {
        set_online(
            address, false,
            std::to_string(pack.health.consecutive_misses) + " consecutive misses, last: " + what);
        pack.next_probe = timers_.now() + seconds(config_.reprobe_interval_s);
    } else if (!pack.health.online && pack.known && !silent_.is_silent(address) &&
               pack.health.consecutive_misses >= config_.offline_after_misses) {
        // Configured but never answered (or never since start): one line for all of them at the
        // end of the cycle, then the same reminders as a pack that went offline.
        silent_.silent(address, timers_.now());
        pack.timeouts = RepeatLimiter{};  // the misses so far are this transition, not news
        newly_silent_.push_back(address);
        if (callbacks_.on_health) callbacks_.on_health(address, pack.health);
    } else if (callbacks_.on_health) {
        callbacks_.on_health(address, pack.health);
    }
}

void PackPoller::record_success(std::uint8_t address, Duration latency) {
    auto& pack = packs_[address];
    pack.health.consecutive_misses = 0;
    ++pack.health.replies;
    pack.health.last_latency = latency;
    pack.health.last_seen = timers_.now();
    if (!pack.health.online) {
        set_online(address, true, "answering");
    } else if (callbacks_.on_health) {
        callbacks_.on_health(address, pack.health);
    }
}

void PackPoller::set_online(std::uint8_t address, bool online, const std::string& why) {
    auto& health = packs_[address].health;
    health.online = online;
    const auto now = timers_.now();
    if (online) {
        if (const auto silent_for = silent_.answered(address, now)) {
            logging::pack_event(spdlog::level::info, address, logging::Event::pack_back,
                                "bus: {} online ({} after {} silent)", describe_address(address),
                                why, describe_duration(*silent_for));
        } else {
            logging::pack_event(spdlog::level::info, address, logging::Event::pack_back,
                                "bus: {} online ({})", describe_address(address), why);
        }
    } else {
        silent_.silent(address, now);
        packs_[address].timeouts = RepeatLimiter{};  // the misses so far are told by this line
        logging::pack_event(spdlog::level::warn, address, logging::Event::pack_lost,
                            "bus: {} offline ({}); re-probed every {} s, next reminder in {}",
                            describe_address(address), why, config_.reprobe_interval_s,
                            describe_duration(SilentPacks::kFirstReminder));
    }
    if (callbacks_.on_health) {
        callbacks_.on_health(address, health);
    }
}

// Per-occurrence lines would flood the journal while a pack is silent or the line is noisy; the
// online/offline transitions above are the events, these counts are the background.
void PackPoller::count_timeout(std::uint8_t address) {
    if (address >= kMaxPacks || silent_.absorb_miss(address)) return;
    report_timeouts(address, packs_[address].timeouts.note(timers_.now()));
}

void PackPoller::count_bad_reply(std::uint8_t address) {
    if (address < kMaxPacks) {
        report_bad_replies(address, packs_[address].bad_replies.note(timers_.now()));
    }
}

// Runs once per cycle so a burst that stopped is still reported when its window closes.
void PackPoller::flush_repeats() {
    const auto now = timers_.now();
    for (std::uint8_t a = 0; a < kMaxPacks; ++a) {
        report_timeouts(a, packs_[a].timeouts.flush(now));
        report_bad_replies(a, packs_[a].bad_replies.flush(now));
    }
}

// A reply from the wrong address is almost always a DIP switch set wrong: worth a warning at the
// default level, but the same pair repeats on every poll, so at most one line per pair per
// kWrongAddressHintEvery, with the count of those not logged.
void PackPoller::hint_wrong_address(std::uint8_t got, std::uint8_t expected) {
    const auto now = timers_.now();
    const auto [it, first] = wrong_address_hints_.try_emplace({got, expected});
    auto& hint = it->second;
    if (!first && now - hint.logged < kWrongAddressHintEvery) {
        ++hint.unlogged;
        return;
    }
    const auto every = describe_duration(kWrongAddressHintEvery);
    if (first) {
        logging::pack_event(spdlog::level::warn, expected,
                            "bus: reply from ADR {} while waiting for {} (check the DIP switches: "
                            "a pack set to the wrong address); repeats logged at most every {}",
                            got, expected, every);
    } else {
        logging::pack_event(spdlog::level::warn, expected,
                            "bus: reply from ADR {} while waiting for {}: seen {} times in the "
                            "last {} (check the DIP switches)",
                            got, expected, hint.unlogged + 1, describe_duration(now - hint.logged));
    }
    hint.logged = now;
    hint.unlogged = 0;
}

// Silent packs: the transitions are logged where they happen; this adds the one line for
// configured addresses that never answered, and the reminders (1 h, then daily), each covering
// every address due at once.
void PackPoller::report_silence() {
    const auto answering = [this] {
        std::vector<std::uint8_t> out;
        for (std::uint8_t a = 0; a < kMaxPacks; ++a) {
            if (packs_[a].health.online) out.push_back(a);
        }
        return describe_addresses(out);
    };
    const auto first = describe_duration(SilentPacks::kFirstReminder);
    if (newly_silent_.size() == 1) {
        const auto a = newly_silent_.front();
        logging::pack_event(spdlog::level::warn, a, logging::Event::pack_lost,
                            "bus: {} does not answer ({} answer); re-probed every {} s, next "
                            "reminder in {}",
                            describe_address(a), answering(), config_.reprobe_interval_s, first);
    } else if (newly_silent_.size() > 1) {
        logging::event(spdlog::level::warn, silent_fields(newly_silent_),
                       "bus: {} configured addresses do not answer: {} ({} answer); re-probed "
                       "every {} s, next reminder in {}",
                       newly_silent_.size(), describe_addresses(newly_silent_), answering(),
                       config_.reprobe_interval_s, first);
    }
    newly_silent_.clear();

    const auto due = silent_.due(timers_.now());
    if (!due) return;
    const auto next = describe_duration(due->next_in);
    if (due->addresses.size() == 1) {
        const auto a = due->addresses.front();
        logging::pack_event(spdlog::level::warn, a, logging::Event::pack_lost,
                            "bus: {} still silent after {} ({} unanswered polls not logged); "
                            "next reminder in {}",
                            describe_address(a), describe_duration(due->silent_for), due->unlogged,
                            next);
    } else {
        logging::event(spdlog::level::warn, silent_fields(due->addresses),
                       "bus: {} addresses still silent after {}: {} ({} answer); {} unanswered "
                       "polls not logged; next reminder in {}",
                       due->addresses.size(), describe_duration(due->silent_for),
                       describe_addresses(due->addresses), answering(), due->unlogged, next);
    }
}

// ---------------------------------------------------------------------------------------------
// listen

void PackPoller::listen_frame(const Frame& frame) {
    const auto now = timers_.now();
    if (is_request(frame)) {
        if (host_request_ && host_request_->adr < kMaxPacks) {
            // The previous host request got no reply before this one: a miss for that pack.
            auto& pack = packs_[host_request_->adr];
            ++pack.health.timeouts;
            count_timeout(host_request_->adr);
            record_miss(host_request_->adr, "no reply to the host");
        }
        host_request_ = frame;
        host_request_at_ = now;
        if (frame.adr < kMaxPacks) {
            auto& pack = packs_[frame.adr];
            pack.served_by_host = true;
            ++pack.health.polls;
        }
        return;
    }
    if (!host_request_) {
        ++stats_.unattributed;
        return;
    }
    const Frame request = *host_request_;
    host_request_.reset();
    if (request.adr >= kMaxPacks) {
        return;
    }
    const auto address = request.adr;
    auto& pack = packs_[address];
    if (frame.adr != address) {
        ++pack.health.wrong_address;
        return;
    }
    if (frame.cid2 != 0) {
        ++pack.health.error_replies;
        record_miss(address, "error reply to the host");
        return;
    }
    const Duration latency = now - host_request_at_;
    if (request.cid2 == pace::kCidAnalog) {
        auto analog = pace::decode_analog(frame);
        if (analog && !analog->absent()) {
            pack.analog = std::move(*analog);
            pack.known = true;
            record_success(address, latency);
        } else {
            ++pack.health.garbled;
        }
    } else if (request.cid2 == pace::kCidStatus) {
        auto status = pace::decode_status(frame);
        if (status && pack.analog) {
            record_success(address, latency);
            emit_reading(address, now, *status);
            ++stats_.cycles;
        }
    }
}

void PackPoller::arm_idle_timer() {
    if (!running_ || mode_ != BusMode::listen) {
        return;
    }
    mode_timer_->start(last_rx_ + milliseconds(config_.listen_idle_ms), [this] { on_line_idle(); });
}

void PackPoller::on_line_idle() {
    if (!running_ || mode_ != BusMode::listen || in_flight_ || writing_) {
        return;
    }
    if (timers_.now() - last_rx_ < milliseconds(config_.listen_idle_ms)) {
        arm_idle_timer();
        return;
    }
    // A host request with no reply before the line went idle: a miss for that pack.
    if (host_request_ && host_request_->adr < kMaxPacks) {
        const auto address = host_request_->adr;
        ++packs_[address].health.timeouts;
        count_timeout(address);
        record_miss(address, "no reply to the host");
        host_request_.reset();
    }
    if (queue_.empty()) {
        plan_cycle();
    }
    if (!queue_.empty()) {
        // Listen-before-talk: one pack's transaction per idle period, then listen again.
        const auto first = queue_.front().address;
        std::erase_if(queue_, [first](const Request& r) { return r.address != first; });
        send_next();
    }
}

}  // namespace packbridge::service
