// SPDX-License-Identifier: Apache-2.0
#include "packbridge/sim/bus_sim.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "packbridge/protocol/ascii/ascii_assembler.hpp"
#include "packbridge/protocol/ascii/ascii_frame.hpp"
#include "packbridge/protocol/pack/families.hpp"
#include "packbridge/protocol/pack/pace.hpp"

namespace packbridge::sim {

namespace pace = protocol::pace;
using protocol::ascii::Frame;

namespace {

std::vector<std::string> split_words(std::string_view line) {
    std::vector<std::string> words;
    std::istringstream in{std::string(line)};
    std::string w;
    while (in >> w) {
        words.push_back(w);
    }
    return words;
}

Result<std::uint32_t> parse_uint(const std::string& word, const char* what) {
    try {
        std::size_t used = 0;
        const auto v = std::stoul(word, &used, 0);
        if (used != word.size()) {
            throw std::invalid_argument(word);
        }
        return static_cast<std::uint32_t>(v);
    } catch (const std::exception&) {
        return make_error(Errc::invalid, std::string(what) + ": '" + word + "' is not a number");
    }
}

Result<bool> parse_on_off(const std::string& word) {
    if (word == "on") {
        return true;
    }
    if (word == "off") {
        return false;
    }
    return make_error(Errc::invalid, "expected on|off, found '" + word + "'");
}

const char* tail_name(pace::TailVariant tail) {
    switch (tail) {
        case pace::TailVariant::p3:
            return "p3";
        case pace::TailVariant::p2_soc:
            return "p2soc";
        case pace::TailVariant::p9:
            return "p9";
    }
    return "?";
}

}  // namespace

const char* BusSim::command_help() {
    return "Control commands (one per line, on --control FIFO or in a scenario timeline):\n"
           "  silence A | restore A        pack A stops answering / answers again\n"
           "  bad-checksum A on|off        pack A's replies carry a wrong CHKSUM\n"
           "  garbage-before A on|off      a noise burst precedes each reply of pack A\n"
           "  garbage N                    send N noise bytes now\n"
           "  error A RTN|off              pack A answers every request with error RTN\n"
           "  delay A MS                   pack A answers MS later than the base latency\n"
           "  duplicate A on|off           a second pack at address A answers too (garbled)\n"
           "  protect A ALARM|clear        set a protection (alarm names as in the status file)\n"
           "  warn A ALARM|clear           set a warning\n"
           "  mosfet A charge|discharge on|off\n"
           "  host A | host off            pack A starts / stops polling the others as a host "
           "(its\n"
           "                               first request does not wait for a quiet line)\n"
           "  current A MA                 pack current, mA (+ charging)\n"
           "  soc A PCT                    remaining capacity = PCT % of full\n"
           "  dump                         write the --dump-state file now\n"
           "  quit                         stop the simulator\n";
}

BusSim::BusSim(boost::asio::io_context& io, int fd, SimOptions options, std::vector<SimPack> packs)
    : io_(io),
      stream_(io, fd),
      options_(std::move(options)),
      packs_(std::move(packs)),
      assembler_(std::make_unique<protocol::ascii::Assembler>()),
      pace_timer_(io),
      evolve_timer_(io),
      host_timer_(io),
      rng_(options_.seed) {
    ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) | O_NONBLOCK);
}

BusSim::~BusSim() {
    stop();
}

Duration BusSim::char_time() const {
    return std::chrono::duration_cast<Duration>(
        std::chrono::microseconds(10'000'000ULL / options_.baud));
}

SimPack* BusSim::find(std::uint8_t address) {
    for (auto& p : packs_) {
        if (p.address == address) {
            return &p;
        }
    }
    return nullptr;
}

void BusSim::start() {
    running_ = true;
    read_next();
    if (options_.evolve_ms > 0) {
        evolve_tick();
    }
    if (options_.host) {
        host_timer_.expires_after(milliseconds(options_.host_period_ms / 4));
        host_timer_.async_wait([this](const boost::system::error_code& ec) {
            if (!ec) {
                host_next();
            }
        });
    }
    write_dump();
}

void BusSim::stop() {
    if (!running_) {
        return;
    }
    running_ = false;
    boost::system::error_code ignored;
    pace_timer_.cancel();
    evolve_timer_.cancel();
    host_timer_.cancel();
    stream_.cancel(ignored);
}

void BusSim::read_next() {
    stream_.async_read_some(
        boost::asio::buffer(rx_), [this](const boost::system::error_code& ec, std::size_t n) {
            if (ec) {
                if (ec == boost::asio::error::operation_aborted || !running_) {
                    return;
                }
                // pty master with no slave open reads EIO: wait until someone opens it again.
                auto retry = std::make_shared<boost::asio::steady_timer>(io_, milliseconds(20));
                retry->async_wait([this, retry](const boost::system::error_code& e) {
                    if (!e && running_) {
                        read_next();
                    }
                });
                return;
            }
            on_bytes({rx_.data(), n});
            read_next();
        });
}

void BusSim::on_bytes(std::span<const std::uint8_t> bytes) {
    assembler_->feed(bytes, [this](const protocol::ascii::AssembledFrame& assembled) {
        if (!assembled.frame) {
            ++counters_.bad_requests;
            return;
        }
        if (pace::is_request(*assembled.frame)) {
            on_request(*assembled.frame, assembled.raw.size(), true);
        }
    });
}

void BusSim::on_request(const Frame& frame, std::size_t chars, bool from_gateway) {
    const auto now = Clock::now();
    if (from_gateway) {
        ++counters_.requests_received;
        ++counters_.requests_by_address[frame.adr];
        if (host_busy_) {
            ++counters_.gateway_tx_during_host;
        }
    }
    // The request occupied the wire for `chars` character times; the reply starts after it.
    const auto request_end = from_gateway ? now + char_time() * static_cast<long>(chars) : now;
    std::vector<std::string> replies;
    std::uint32_t delay = 0;
    for (auto& pack : packs_) {
        if (pack.address != frame.adr) {
            continue;
        }
        auto reply = reply_for(pack, frame);
        if (!reply) {
            continue;
        }
        delay = std::max(delay, pack.faults.extra_delay_ms);
        if (pack.faults.duplicate) {
            // Two drivers on one bus: the line carries the AND of both bit streams.
            auto twin = SimPack::make(pack.address, options_.seed + 1000);
            auto other = reply_for(twin, frame).value_or(std::string());
            std::string mixed = *reply;
            for (std::size_t i = 0; i < std::min(mixed.size(), other.size()); ++i) {
                mixed[i] = static_cast<char>(static_cast<unsigned char>(mixed[i]) &
                                             static_cast<unsigned char>(other[i]));
            }
            reply = mixed;
        }
        if (pack.faults.garbage_before) {
            std::string noise;
            for (int i = 0; i < 12; ++i) {
                noise.push_back(
                    static_cast<char>(0x20 + rng_() % 0x5E));  // printable, never '~' (0x7E)
            }
            reply = noise + *reply;
        }
        replies.push_back(std::move(*reply));
    }
    if (replies.empty()) {
        if (!from_gateway) {
            // Host waits for a silent slave, then goes on.
            const auto gen = ++host_generation_;
            host_timer_.expires_after(milliseconds(options_.host_timeout_ms));
            host_timer_.async_wait([this, gen](const boost::system::error_code& ec) {
                if (!ec && gen == host_generation_) {
                    host_transaction_done();
                }
            });
        }
        return;
    }
    ++counters_.replies_sent;
    const auto not_before = request_end + milliseconds(options_.latency_ms + delay);
    if (from_gateway) {
        ++pending_gateway_replies_;
        send(replies.front(), not_before, [this] { --pending_gateway_replies_; });
    } else {
        send(replies.front(), not_before, [this] { host_transaction_done(); });
    }
}

std::optional<std::string> BusSim::reply_for(SimPack& pack, const Frame& request) {
    auto reply = encode_reply(pack, request, options_.ver);
    if (reply) {
        counters_.reply_chars[pack.address][request.cid2] = reply->size();
    }
    return reply;
}

void BusSim::send(std::string bytes, TimePoint not_before, std::function<void()> done) {
    out_.push_back({std::move(bytes), not_before, std::move(done)});
    if (!out_active_) {
        pace_output();
    }
}

void BusSim::pace_output() {
    const auto now = Clock::now();
    if (!out_active_) {
        if (out_.empty()) {
            return;
        }
        out_active_ = true;
        out_pos_ = 0;
        out_start_ = std::max(now, out_.front().not_before);
    }
    auto& seg = out_.front();
    if (now >= out_start_) {
        // Bytes due by now at 10 bits each, the first one complete one char time after the start.
        const auto due = static_cast<std::size_t>((now - out_start_) / char_time()) + 1;
        const auto upto = std::min(seg.bytes.size(), due);
        if (upto > out_pos_) {
            const auto n =
                ::write(stream_.native_handle(), seg.bytes.data() + out_pos_, upto - out_pos_);
            if (n > 0) {
                out_pos_ += static_cast<std::size_t>(n);
            } else if (errno != EAGAIN) {
                out_pos_ = upto;  // nobody on the slave side: the bytes are lost, as on a wire
            }
        }
    }
    if (out_pos_ >= seg.bytes.size()) {
        auto done = std::move(seg.done);
        out_.pop_front();
        out_active_ = false;
        if (done) {
            done();
        }
        if (!out_.empty()) {
            pace_output();
        }
        return;
    }
    const auto next =
        std::max(out_start_, now) + std::max<Duration>(char_time() * 2, milliseconds(1));
    pace_timer_.expires_at(
        now < out_start_
            ? out_start_
            : std::min(next, out_start_ + char_time() * static_cast<long>(seg.bytes.size())));
    pace_timer_.async_wait([this](const boost::system::error_code& ec) {
        if (!ec) {
            pace_output();
        }
    });
}

void BusSim::evolve_tick() {
    evolve_timer_.expires_after(milliseconds(options_.evolve_ms));
    evolve_timer_.async_wait([this](const boost::system::error_code& ec) {
        if (ec) {
            return;
        }
        for (auto& p : packs_) {
            p.evolve(options_.evolve_ms, rng_);
        }
        evolve_tick();
    });
}

// ---------------------------------------------------------------------------------------------
// host pack: polls every other pack with 0x42 then 0x44, one at a time, then idles.

void BusSim::host_next() {
    if (!running_ || !options_.host) {
        return;
    }
    std::vector<std::uint8_t> slaves;
    for (const auto& p : packs_) {
        if (p.address != *options_.host) {
            slaves.push_back(p.address);
        }
    }
    std::sort(slaves.begin(), slaves.end());
    slaves.erase(std::unique(slaves.begin(), slaves.end()), slaves.end());
    if (host_index_ >= slaves.size() || slaves.empty()) {
        host_index_ = 0;
        ++counters_.host_cycles;
        host_timer_.expires_after(milliseconds(options_.host_period_ms));
        host_timer_.async_wait([this](const boost::system::error_code& ec) {
            if (!ec) {
                host_next();
            }
        });
        return;
    }
    // A polite host: it does not start while the gateway's transaction is on the line.
    // Except a host that just started (the `host` command): it cannot know a gateway is polling,
    // so its first request goes out at once, over whatever is on the line.
    if (!host_barge_ && (out_active_ || !out_.empty() || pending_gateway_replies_ > 0)) {
        host_timer_.expires_after(milliseconds(5));
        host_timer_.async_wait([this](const boost::system::error_code& ec) {
            if (!ec) {
                host_next();
            }
        });
        return;
    }
    host_barge_ = false;
    const auto address = slaves[host_index_];
    const auto cid2 = host_step_ == 0 ? pace::kCidAnalog : pace::kCidStatus;
    auto request = pace::build_request(options_.ver, address, cid2);
    host_busy_ = true;
    ++counters_.host_requests;
    send(request, Clock::now(), [this, address, cid2] {
        Frame frame;
        frame.ver = options_.ver;
        frame.adr = address;
        frame.cid1 = 0x46;
        frame.cid2 = cid2;
        frame.info = {address};
        on_request(frame, 0, false);
    });
}

void BusSim::host_transaction_done() {
    ++host_generation_;
    host_busy_ = false;
    if (host_step_ == 0) {
        host_step_ = 1;
    } else {
        host_step_ = 0;
        ++host_index_;
    }
    host_timer_.expires_after(milliseconds(20));  // the host's gap between requests
    host_timer_.async_wait([this](const boost::system::error_code& ec) {
        if (!ec) {
            host_next();
        }
    });
}

// ---------------------------------------------------------------------------------------------
// control

Result<void> BusSim::command(std::string_view line) {
    const auto words = split_words(line);
    if (words.empty() || words[0].starts_with('#')) {
        return {};
    }
    const auto& cmd = words[0];
    auto need = [&](std::size_t n) -> Result<void> {
        if (words.size() < n + 1) {
            return make_error(Errc::invalid,
                              "'" + cmd + "' needs " + std::to_string(n) + " argument(s)");
        }
        return {};
    };
    if (cmd == "dump") {
        write_dump();
        return {};
    }
    if (cmd == "quit") {
        if (on_quit) {
            on_quit();
        }
        return {};
    }
    if (cmd == "garbage") {
        if (auto ok = need(1); !ok) {
            return ok;
        }
        auto n = parse_uint(words[1], "garbage");
        if (!n) {
            return n.error();
        }
        std::string noise;
        for (std::uint32_t i = 0; i < *n; ++i) {
            noise.push_back(static_cast<char>(rng_() % 0x7E));  // any byte but '~' and above
        }
        send(noise, Clock::now());
        return {};
    }
    if (cmd == "host") {
        if (auto ok = need(1); !ok) {
            return ok;
        }
        if (words[1] == "off") {
            options_.host.reset();  // the sweep in progress ends at its next step
            return {};
        }
        auto host = parse_uint(words[1], "host");
        if (!host) {
            return host.error();
        }
        if (find(static_cast<std::uint8_t>(*host)) == nullptr) {
            return make_error(Errc::not_found, "no simulated pack at address " + words[1]);
        }
        const bool was_polling = options_.host.has_value();
        options_.host = static_cast<std::uint8_t>(*host);
        if (!was_polling && running_ && !host_busy_) {
            host_barge_ = true;
            host_index_ = 0;
            host_step_ = 0;
            host_timer_.expires_after(milliseconds(0));
            host_timer_.async_wait([this](const boost::system::error_code& ec) {
                if (!ec) {
                    host_next();
                }
            });
        }
        return {};
    }
    if (auto ok = need(1); !ok) {
        return ok;
    }
    auto address = parse_uint(words[1], "address");
    if (!address) {
        return address.error();
    }
    SimPack* pack = find(static_cast<std::uint8_t>(*address));
    if (pack == nullptr) {
        return make_error(Errc::not_found, "no simulated pack at address " + words[1]);
    }
    auto& f = pack->faults;
    if (cmd == "silence" || cmd == "restore") {
        f.silent = cmd == "silence";
        return {};
    }
    if (auto ok = need(2); !ok) {
        return ok;
    }
    const auto& arg = words[2];
    if (cmd == "bad-checksum" || cmd == "garbage-before" || cmd == "duplicate") {
        auto on = parse_on_off(arg);
        if (!on) {
            return on.error();
        }
        (cmd == "bad-checksum" ? f.bad_checksum
         : cmd == "duplicate"  ? f.duplicate
                               : f.garbage_before) = *on;
        return {};
    }
    if (cmd == "error") {
        if (arg == "off") {
            f.error_rtn = 0;
            return {};
        }
        auto rtn = parse_uint(arg, "RTN");
        if (!rtn || *rtn == 0 || *rtn > 0xFF) {
            return make_error(Errc::invalid, "error: RTN must be 1..255 or off");
        }
        f.error_rtn = static_cast<std::uint8_t>(*rtn);
        return {};
    }
    if (cmd == "delay") {
        auto ms = parse_uint(arg, "delay");
        if (!ms) {
            return ms.error();
        }
        f.extra_delay_ms = *ms;
        return {};
    }
    if (cmd == "protect" || cmd == "warn") {
        auto& set = cmd == "protect" ? pack->status.protections : pack->status.warnings;
        if (arg == "clear") {
            set = AlarmSet{};
            return {};
        }
        const auto alarm = alarm_from_name(arg);
        if (!alarm) {
            return make_error(Errc::invalid, cmd + ": unknown alarm '" + arg + "'");
        }
        set.set(*alarm);
        return {};
    }
    if (cmd == "mosfet") {
        if (auto ok = need(3); !ok) {
            return ok;
        }
        auto on = parse_on_off(words[3]);
        if (!on || (arg != "charge" && arg != "discharge")) {
            return make_error(Errc::invalid, "mosfet A charge|discharge on|off");
        }
        (arg == "charge" ? pack->status.charge_mosfet_on : pack->status.discharge_mosfet_on) = *on;
        return {};
    }
    if (cmd == "current") {
        try {
            pack->analog.current_ma = std::stoi(arg);
        } catch (const std::exception&) {
            return make_error(Errc::invalid, "current: '" + arg + "' is not a number");
        }
        pack->refresh();
        return {};
    }
    if (cmd == "soc") {
        auto pct = parse_uint(arg, "soc");
        if (!pct || *pct > 100) {
            return make_error(Errc::invalid, "soc: 0..100");
        }
        pack->analog.remaining_mah =
            static_cast<std::uint32_t>(pack->analog.full_mah * std::uint64_t{*pct} / 100 / 10 * 10);
        pack->refresh();
        return {};
    }
    return make_error(Errc::invalid, "unknown command '" + cmd + "'\n" + command_help());
}

nlohmann::json BusSim::state() const {
    nlohmann::json j;
    j["seq"] = dump_seq_;
    j["baud"] = options_.baud;
    j["latency_ms"] = options_.latency_ms;
    j["packs"] = nlohmann::json::array();
    for (const auto& p : packs_) {
        const auto& a = p.analog;
        nlohmann::json pj{{"address", p.address},
                          {"family", pace::pack_family(p.family).name},
                          {"model", p.identity.model},
                          {"tail", tail_name(p.tail)},
                          {"cell_mv", a.cell_mv},
                          {"cell_temp_dc", a.cell_temp_dc},
                          {"mosfet_temp_dc", a.mosfet_temp_dc.value_or(0)},
                          {"ambient_temp_dc", a.ambient_temp_dc.value_or(0)},
                          {"current_ma", a.current_ma},
                          {"voltage_mv", a.voltage_mv},
                          {"remaining_mah", a.remaining_mah},
                          {"full_mah", a.full_mah},
                          {"design_mah", a.design_mah},
                          {"cycles", a.cycles},
                          {"firmware", p.identity.firmware},
                          {"serial", p.identity.serial},
                          {"charge_mosfet_on", p.status.charge_mosfet_on},
                          {"discharge_mosfet_on", p.status.discharge_mosfet_on},
                          {"protections", alarm_names(p.status.protections)},
                          {"warnings", alarm_names(p.status.warnings)},
                          {"silent", p.faults.silent}};
        pj["soc_pct"] = a.soc_pct ? nlohmann::json(*a.soc_pct) : nlohmann::json(nullptr);
        pj["soh_pct"] = a.soh_pct ? nlohmann::json(*a.soh_pct) : nlohmann::json(nullptr);
        j["packs"].push_back(pj);
    }
    nlohmann::json c{{"requests_received", counters_.requests_received},
                     {"replies_sent", counters_.replies_sent},
                     {"host_requests", counters_.host_requests},
                     {"host_cycles", counters_.host_cycles},
                     {"gateway_tx_during_host", counters_.gateway_tx_during_host},
                     {"bad_requests", counters_.bad_requests}};
    c["requests_by_address"] = nlohmann::json::object();
    for (const auto& [adr, n] : counters_.requests_by_address) {
        c["requests_by_address"][std::to_string(adr)] = n;
    }
    c["reply_chars"] = nlohmann::json::object();
    for (const auto& [adr, m] : counters_.reply_chars) {
        for (const auto& [cid, n] : m) {
            c["reply_chars"][std::to_string(adr)][std::to_string(cid)] = n;
        }
    }
    j["counters"] = c;
    return j;
}

void BusSim::write_dump() {
    if (options_.dump_path.empty()) {
        return;
    }
    ++dump_seq_;
    const auto tmp = options_.dump_path + ".tmp";
    {
        std::ofstream out(tmp);
        out << state().dump(1) << "\n";
    }
    std::filesystem::rename(tmp, options_.dump_path);  // atomic: readers never see half a file
}

// ---------------------------------------------------------------------------------------------
// scenario

Result<Scenario> load_scenario(const std::string& path) {
    std::ifstream in(path);
    if (!in) {
        return make_error(Errc::not_found, "scenario " + path + ": cannot open");
    }
    nlohmann::json j;
    try {
        j = nlohmann::json::parse(in);
    } catch (const nlohmann::json::exception& e) {
        return make_error(Errc::invalid, "scenario " + path + ": " + e.what());
    }
    Scenario s;
    for (const auto& key : j.items()) {
        if (key.key() != "packs" && key.key() != "timeline") {
            return make_error(Errc::invalid, "scenario " + path + ": unknown key '" + key.key() +
                                                 "' (allowed: packs, timeline)");
        }
    }
    if (j.contains("packs")) {
        for (const auto& p : j["packs"]) {
            s.pack_overrides.push_back(p);
        }
    }
    if (j.contains("timeline")) {
        for (const auto& e : j["timeline"]) {
            if (!e.contains("at_ms") || !e.contains("cmd")) {
                return make_error(Errc::invalid,
                                  "scenario " + path + ": timeline entries need at_ms and cmd");
            }
            s.timeline.emplace_back(e["at_ms"].get<std::uint32_t>(), e["cmd"].get<std::string>());
        }
    }
    return s;
}

Result<void> apply_pack_override(SimPack& pack, const nlohmann::json& spec) {
    try {
        for (const auto& [key, value] : spec.items()) {
            if (key == "address") {
                continue;
            } else if (key == "tail") {
                const auto t = value.get<std::string>();
                if (t == "p3") {
                    pack.tail = pace::TailVariant::p3;
                } else if (t == "p2soc") {
                    pack.tail = pace::TailVariant::p2_soc;
                } else if (t == "p9") {
                    pack.tail = pace::TailVariant::p9;
                } else {
                    return make_error(Errc::invalid, "tail: '" + t + "' (allowed: p3, p2soc, p9)");
                }
            } else if (key == "current_ma") {
                pack.analog.current_ma = value.get<std::int32_t>();
            } else if (key == "soc_pct") {
                pack.analog.remaining_mah =
                    pack.analog.full_mah * value.get<std::uint32_t>() / 100 / 10 * 10;
            } else if (key == "firmware") {
                pack.identity.firmware = value.get<std::string>();
            } else if (key == "serial") {
                pack.identity.serial = value.get<std::string>();
            } else if (key == "silent") {
                pack.faults.silent = value.get<bool>();
            } else if (key == "family") {
                const auto* family = pace::find_pack_family(value.get<std::string>());
                if (family == nullptr)
                    return make_error(Errc::invalid, "family: '" + value.get<std::string>() +
                                                         "' (allowed: pace, seplos, pylontech, "
                                                         "eg4)");
                pack.set_family(family->dialect);
            } else if (key == "cells") {
                pack.cell_offset_mv.resize(value.get<std::size_t>());
            } else {
                return make_error(Errc::invalid,
                                  "pack key '" + key +
                                      "' (allowed: address, tail, current_ma, "
                                      "soc_pct, firmware, serial, silent, cells, family)");
            }
        }
    } catch (const nlohmann::json::exception& e) {
        return make_error(Errc::invalid, std::string("pack override: ") + e.what());
    }
    pack.refresh();
    return {};
}

}  // namespace packbridge::sim
