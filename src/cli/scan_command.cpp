// SPDX-License-Identifier: Apache-2.0
#include "cli/scan_command.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <filesystem>
#include <iomanip>
#include <optional>
#include <sstream>
#include <vector>

#include "cli/command_line.hpp"
#include "cli/status_command.hpp"
#include "packbridge/asio.hpp"
#include "packbridge/config.hpp"
#include "packbridge/io/serial.hpp"
#include "packbridge/protocol/ascii/ascii_assembler.hpp"
#include "packbridge/protocol/pack/families.hpp"
#include "packbridge/protocol/pack/pace.hpp"
#include "packbridge/service/serial_transport.hpp"

namespace packbridge::cli {

namespace pace = protocol::pace;
using protocol::ascii::Frame;

namespace {

bool same_device(const std::string& a, const std::string& b) {
    std::error_code ec;
    const bool equivalent = std::filesystem::equivalent(a, b, ec);
    return ec ? a == b : equivalent;
}

// The device is held exclusively (flock/TIOCEXCL) by another process. Probing it would collide
// with the daemon's own requests and starve the inverter of packs, so show what the daemon sees
// instead, or refuse. Exit codes as for a survey: 0 packs counted, 1 none, 2 cannot tell.
int show_daemon_view(const std::string& device, const std::string& busy,
                     const std::string& status_path, std::ostream& out, std::ostream& err) {
    const auto holder = io::lock_holder(device);
    std::string problem;
    const auto file = read_status_file(status_path, problem);
    if (file && file->stale()) {
        problem = status_path + " is " + std::to_string(file->age_s) + " s old (daemon stuck?)";
    } else if (file) {
        const auto& s = file->json;
        const int pid = s.value("pid", 0);
        const std::string status_device =
            s.contains("bus") && s["bus"].is_object() ? s["bus"].value("device", "") : "";
        if (!same_device(status_device, device)) {
            problem = status_path + " describes " +
                      (status_device.empty() ? std::string("another device") : status_device) +
                      ", not " + device;
        } else if (holder && pid != *holder) {
            problem = status_path + " was written by pid " + std::to_string(pid) + ", not " +
                      std::to_string(*holder);
        } else {
            out << "packbridge is running on " << device << " (pid " << pid
                << "): scan leaves the line to it.\n"
                << "Its live per-address view, from " << status_path << " (" << file->age_s
                << " s old):\n";
            try {
                print_pack_table(s, out);
            } catch (const nlohmann::json::exception& e) {
                err << "scan: " << status_path << " is missing a field: " << e.what() << "\n";
                return 2;
            }
            int counted = 0;
            for (const auto& p : s.at("packs"))
                counted += p.value("counted", false) ? 1 : 0;
            out << counted << " pack(s) counted by the daemon; more in `packbridge status`\n";
            return counted > 0 ? 0 : 1;
        }
    }
    err << "scan: " << busy << "; scan does not probe a line another program owns.\n"
        << "If that is packbridge, its view is in `packbridge status` (" << problem << ").\n";
    return 2;
}

struct Outcome {
    std::optional<Frame> reply;       // a checksummed reply from the address asked
    std::optional<Duration> latency;  // request sent -> reply complete
    std::uint32_t bad_frames = 0;     // frames that failed to decode (collision, noise, checksum)
    std::uint32_t wrong_address = 0;
    std::string last_error;
};

struct Row {
    bool answered = false;
    std::uint8_t ver = 0;
    std::size_t cells = 0;
    const pace::PackFamily* family = nullptr;
    std::uint32_t design_mah = 0;
    std::string identity;
    std::optional<Duration> latency;
    std::vector<std::string> flags;
};

class Surveyor {
  public:
    Surveyor(boost::asio::io_context& io, service::SerialTransport& transport,
             std::uint32_t timeout_ms)
        : io_(io), transport_(transport), timeout_(milliseconds(timeout_ms)) {
        transport_.start([this](std::span<const std::uint8_t> bytes) {
            assembler_.feed(bytes,
                            [this](const protocol::ascii::AssembledFrame& f) { on_frame(f); });
        });
    }

    std::uint32_t foreign_requests() const { return foreign_; }

    void listen(Duration window) {
        run_until(Clock::now() + window, [] { return false; });
    }

    Outcome ask(const pace::PackFamily& family, std::uint8_t ver, std::uint8_t address,
                std::uint8_t cid2) {
        outcome_ = Outcome{};
        request_ = pace::build_request(family, ver, address, cid2);
        address_ = address;
        waiting_ = true;
        const auto sent = Clock::now();
        transport_.write({reinterpret_cast<const std::uint8_t*>(request_.data()), request_.size()},
                         [](const Result<void>&) {});
        sent_ = sent;
        run_until(sent + timeout_, [this] { return outcome_.reply.has_value(); });
        waiting_ = false;
        return outcome_;
    }

  private:
    template <class Done>
    void run_until(TimePoint deadline, Done done) {
        while (!done()) {
            const auto now = Clock::now();
            if (now >= deadline) {
                break;
            }
            io_.run_one_for(deadline - now);
        }
    }

    void on_frame(const protocol::ascii::AssembledFrame& f) {
        if (!f.frame) {
            if (waiting_) {
                ++outcome_.bad_frames;
                outcome_.last_error = f.frame.error().describe();
            }
            return;
        }
        const Frame& frame = *f.frame;
        if (pace::is_request(frame)) {
            if (f.raw != request_) {
                ++foreign_;
            }
            return;
        }
        if (!waiting_ || outcome_.reply) {
            return;
        }
        if (frame.adr != address_) {
            ++outcome_.wrong_address;
            return;
        }
        outcome_.reply = frame;
        outcome_.latency = Clock::now() - sent_;
    }

    boost::asio::io_context& io_;
    service::SerialTransport& transport_;
    Duration timeout_;
    protocol::ascii::Assembler assembler_;
    Outcome outcome_;
    std::string request_;
    std::uint8_t address_ = 0;
    bool waiting_ = false;
    TimePoint sent_{};
    std::uint32_t foreign_ = 0;
};

std::string trim(std::string s) {
    while (!s.empty() && (s.back() == ' ' || s.back() == '\0')) {
        s.pop_back();
    }
    return s;
}

}  // namespace

int scan_command(std::span<const std::string> args, std::ostream& out, std::ostream& err) {
    ScanArgs parsed;
    if (auto exit = parse_scan(args, parsed, out, err)) return *exit;
    const std::string& device = parsed.device;
    const std::string& status_path = parsed.status_file;
    const std::uint8_t ver = parsed.ver;

    boost::asio::io_context io;
    service::SerialTransport transport(io, {device, parsed.baud, false});
    if (auto opened = transport.open(); !opened) {
        if (opened.error().code == Errc::busy) {
            return show_daemon_view(device, opened.error().detail, status_path, out, err);
        }
        err << "scan: " << opened.error().describe() << "\n";
        return 2;
    }
    Surveyor survey(io, transport, parsed.timeout_ms);
    survey.listen(milliseconds(parsed.listen_ms));
    const auto foreign_before = survey.foreign_requests();

    // Every request shape of the family table (PACE; Seplos and Pylontech; EG4), in order.
    std::vector<const pace::PackFamily*> shapes;
    for (const auto& f : pace::pack_families()) {
        if (std::none_of(shapes.begin(), shapes.end(),
                         [&](const auto* s) { return pace::same_request_shape(*s, f); }))
            shapes.push_back(&f);
    }
    const auto ver_for = [&](const pace::PackFamily& f) {
        return f.dialect == pace::Dialect::pace ? ver : f.ver;
    };
    std::vector<Row> rows(kMaxPacks);
    int found = 0;
    for (std::uint8_t a = 0; a < kMaxPacks; ++a) {
        auto& row = rows[a];
        // Ask in every family's shape: a second family answering the same address is a
        // contradiction the daemon can only suspect (it asks each address in one shape).
        std::vector<std::string> families_seen;
        std::optional<Frame> first_error;
        for (const auto* shape : shapes) {
            const auto analog = survey.ask(*shape, ver_for(*shape), a, pace::kCidAnalog);
            const auto flag = [&](const std::string& text) {
                if (std::find(row.flags.begin(), row.flags.end(), text) == row.flags.end())
                    row.flags.push_back(text);
            };
            if (analog.bad_frames > 0)
                flag("garbled reply (" + analog.last_error + ") - two packs with this address?");
            if (analog.wrong_address > 0) flag("reply from another address - check DIP switches");
            if (!analog.reply) continue;
            if (!row.answered) {
                row.answered = true;
                row.ver = analog.reply->ver;
                row.latency = analog.latency;
            }
            if (analog.reply->cid2 != 0) {
                if (!first_error) first_error = analog.reply;
                continue;
            }
            const auto dialect = pace::detect_dialect(*analog.reply);
            const auto& family = pace::pack_family(dialect);
            if (std::find(families_seen.begin(), families_seen.end(), family.name) ==
                families_seen.end())
                families_seen.push_back(family.name);
            if (row.family) continue;
            row.family = &family;
            row.ver = analog.reply->ver;
            row.latency = analog.latency;
            if (auto decoded = pace::decode_analog(*analog.reply, dialect)) {
                row.cells = decoded->cell_mv.size();
                row.design_mah = decoded->design_mah;
            } else {
                flag("undecodable analog reply: " + decoded.error().describe());
            }
        }
        if (!row.answered) continue;
        ++found;
        if (families_seen.size() > 1) {
            std::string names;
            for (const auto& n : families_seen)
                names += (names.empty() ? "" : " and ") + n;
            row.flags.push_back("two families answer at this address: " + names);
        }
        if (!row.family) {
            row.flags.push_back("error reply RTN 0x" + [&] {
                std::ostringstream s;
                s << std::hex << std::uppercase << std::setw(2) << std::setfill('0')
                  << int{first_error->cid2};
                return s.str();
            }() + " " + pace::rtn_meaning(first_error->cid2));
            continue;
        }
        PackIdentity id;
        for (const auto cid : row.family->identity_cids) {
            auto reply = survey.ask(*row.family, ver_for(*row.family), a, cid);
            if (!reply.reply || reply.reply->cid2 != 0) continue;
            if (auto d = pace::decode_family_identity(*reply.reply, cid)) {
                if (!d->model.empty()) id.model = d->model;
                if (!d->firmware.empty()) id.firmware = d->firmware;
                if (!d->serial.empty()) id.serial = d->serial;
            }
        }
        for (const auto& part : {id.model, trim(id.firmware), trim(id.serial)}) {
            if (!part.empty()) row.identity += (row.identity.empty() ? "" : " / ") + part;
        }
    }
    transport.stop();

    out << "ADR  ANSWER  FAMILY     VER  CELLS  DESIGN     LATENCY  MODEL / FIRMWARE / SERIAL, "
           "NOTES\n";
    for (std::uint8_t a = 0; a < kMaxPacks; ++a) {
        const auto& row = rows[a];
        std::ostringstream line;
        line << std::setw(3) << int{a} << "  " << std::left << std::setw(6)
             << (row.answered ? "yes" : "no") << "  ";
        if (row.answered) {
            std::ostringstream verhex;
            verhex << std::hex << std::uppercase << std::setw(2) << std::setfill('0')
                   << int{row.ver};
            // Design capacity from the family's own field; Pylontech and EG4 have none.
            std::ostringstream design;
            if (row.design_mah > 0)
                design << row.design_mah / 1000 << "." << row.design_mah % 1000 / 100 << " Ah";
            else
                design << "unknown";
            line << std::setw(9) << (row.family ? row.family->name : "?") << "  " << std::setw(3)
                 << verhex.str() << "  " << std::right << std::setw(5) << row.cells << "  "
                 << std::left << std::setw(9) << design.str() << std::right << "  " << std::setw(5)
                 << (row.latency ? std::chrono::duration_cast<milliseconds>(*row.latency).count()
                                 : 0)
                 << " ms"
                 << "  " << row.identity;
        } else {
            line << std::setw(9) << "-"
                 << "  " << std::setw(3) << "-"
                 << "  " << std::right << std::setw(5) << "-"
                 << "  " << std::left << std::setw(9) << "-" << std::right << "  " << std::setw(8)
                 << "-";
        }
        for (const auto& f : row.flags) {
            line << "  [" << f << "]";
        }
        out << line.str() << "\n";
    }
    if (survey.foreign_requests() > 0) {
        out << "WARNING: another master is polling this bus (" << survey.foreign_requests()
            << " foreign request frames, " << foreign_before
            << " before the survey); use bus.mode \"listen\" or \"auto\"\n";
    }
    out << found << " pack(s) found\n";
    return found > 0 ? 0 : 1;
}

}  // namespace packbridge::cli
