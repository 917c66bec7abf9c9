// SPDX-License-Identifier: Apache-2.0
// The spec's captured frames replayed on a pty to the poller in bus.family auto: the far side
// answers each request the way those packs did (pack-protocol.md section 5: Seplos F-08/F-25/
// F-34 at ADR 0, EG4 F-18/F-26 at ADR 1, Pylontech F-12 at ADR 2 with F-37 "RTN 04" for what it
// does not support), silence where a device ignores another CID1. The poller must identify the
// three families and read the values the spec lists.
#include <fcntl.h>
#include <poll.h>
#include <unistd.h>

#include <atomic>
#include <catch2/catch.hpp>
#include <map>
#include <sstream>
#include <thread>

#include "../../../src/cli/scan_command.hpp"
#include "bus_harness.hpp"
#include "packbridge/protocol/ascii/ascii_assembler.hpp"
#include "packbridge/protocol/pack/families.hpp"
#include "support/pty.hpp"

using namespace packbridge;
using namespace std::chrono_literals;

namespace {

const char* const kF08 =
    "~2000460010960001100CD70CE90CF40CD60CEF0CE50CE10CDC0CE90CF00CE80CEF0CEA0CDA0CDE0CD8060BA60B"
    "A00B970BA60BA50BA2FD5C14A0344E0A426803134650004603E8149F0000000000000000DC6C";
const char* const kF25 =
    "~20004600806200001000000000000000000000000000000000060000000000000000140000000000000300000100"
    "000000000000000001EB33";
const char* const kF34 =
    "~20004600C040313130312D5350313520020743414E50726F746F636F6C3A536F666172202020F046";
const char* const kF12 =
    "~20024600F07A11020F0CE00CDF0CE50CDF0CE40CE60CE60CE00CD90CDE0CE40CE00CE40CE40CE3050B9B0B870B8"
    "70B870B870004C139FFFF04FFFF00000070BC012110E209";
const char* const kF37 = "~200246040000FDAE";
const char* const kF18 =
    "~20014A00A0CA1001100D2F0D2C0D2C0D2D0D2D0D2F0D2F0D2F0D2C0D2D0D2D0D2F0D300D2C0D300D2C040B9B0BA"
    "50B9B0B9B0BB90BAF029D151521A9268400540F005700620D300D2C00040BA50B9B000ADAC0000A54550005D4730"
    "00570A600000680000004CA56897E24D1A5";
const char* const kF26 =
    "~20014A007054100110000000000000000000000000000000000400000000000000000900000000000003020000"
    "000000EDC3";

// What each captured pack says to a request; empty = silence.
std::string answer(const protocol::ascii::Frame& rq) {
    namespace pace = protocol::pace;
    if (rq.adr == 1) {  // EG4: CID1 0x4A only
        if (rq.cid1 != 0x4A) return {};
        if (rq.cid2 == 0x42) return kF18;
        if (rq.cid2 == 0x44) return kF26;
        return pace::encode_family_error_reply(pace::pack_family(pace::Dialect::eg4), 0x20, 1, 4);
    }
    if (rq.cid1 != 0x46) return {};
    if (rq.adr == 0) {  // Seplos: like the Enjie unit, RTN 04 to a VER 0x25 request
        const auto& seplos = pace::pack_family(pace::Dialect::seplos);
        if (rq.ver != 0x20) return pace::encode_family_error_reply(seplos, 0x20, 0, 4);
        if (rq.cid2 == 0x42) return kF08;
        if (rq.cid2 == 0x44) return kF25;
        if (rq.cid2 == 0x51) return kF34;
        return pace::encode_family_error_reply(seplos, 0x20, 0, 4);
    }
    if (rq.adr == 2) {  // Pylontech: its own 0x44 layout (section 3.12), no capture of one
        if (rq.ver == 0x20 && rq.cid2 == 0x42) return kF12;
        if (rq.ver == 0x20 && rq.cid2 == 0x44)
            return pace::encode_pylon_status_reply(0x20, 2, PackStatus{}, 15, 5);
        return kF37;
    }
    return {};
}

}  // namespace

TEST_CASE(
    "the spec's captured Seplos, EG4 and Pylontech frames replayed on a pty are identified "
    "and read as the spec lists them") {
    testing::Pty pty;
    ::fcntl(pty.master_fd(), F_SETFL, ::fcntl(pty.master_fd(), F_GETFL) | O_NONBLOCK);
    auto config = testing::fast_bus_config();
    config.auto_addresses = false;
    config.addresses = {0, 1, 2};
    boost::asio::io_context io;
    service::SerialTransport transport(io, {pty.slave_path(), config.baud, false});
    REQUIRE(transport.open().ok());
    service::AsioTimers timers(io);
    std::map<std::uint8_t, PackReading> latest;
    service::PollerCallbacks cb;
    cb.on_reading = [&](const PackReading& r) { latest[r.address] = r; };
    service::PackPoller poller(config, transport, timers, cb);
    protocol::ascii::Assembler far_side;
    const auto step = [&] {
        io.run_one_for(std::chrono::milliseconds(5));
        char buf[256];
        const auto n = ::read(pty.master_fd(), buf, sizeof buf);
        if (n <= 0) return;
        far_side.feed({reinterpret_cast<const std::uint8_t*>(buf), static_cast<std::size_t>(n)},
                      [&](const protocol::ascii::AssembledFrame& f) {
                          if (!f.frame) return;
                          const auto reply = answer(*f.frame);
                          if (!reply.empty()) pty.write(reply + "\r");
                      });
    };
    poller.start();
    const auto identified = [&] {
        for (std::uint8_t a = 0; a < 3; ++a) {
            const auto& id = poller.identity(a);
            if (!id || id->family.empty() || latest.count(a) == 0) return false;
        }
        return !poller.identity(0)->model.empty();  // F-34 read once after the first 0x42
    };
    REQUIRE(testing::run_until(step, identified, 8s));

    CHECK(poller.identity(0)->family == "seplos");
    CHECK(poller.identity(0)->model == "1101-SP15");
    CHECK(poller.identity(0)->firmware == "2.7");
    CHECK(poller.identity(1)->family == "eg4");
    CHECK(poller.identity(2)->family == "pylontech");

    const auto& seplos = latest[0].analog;  // F-08
    CHECK(seplos.cell_mv.front() == 3287);
    CHECK(seplos.current_ma == -6760);
    CHECK(seplos.voltage_mv == 52800);
    CHECK(seplos.full_mah == 170000);
    CHECK(seplos.design_mah == 180000);
    CHECK(seplos.soh_pct == 100);
    CHECK(latest[0].status.discharging);  // F-25: system state discharging
    CHECK(latest[0].status.charge_mosfet_on);
    const auto& eg4 = latest[1].analog;  // F-18
    CHECK(eg4.current_ma == 6690);
    CHECK(eg4.voltage_mv == 53970);
    CHECK(eg4.remaining_mah == 86170);
    CHECK(eg4.full_mah == 98600);
    CHECK(eg4.design_mah == 0);
    CHECK(eg4.soh_pct == 98);
    CHECK(latest[1].status.charging);      // F-26: system status 0x02
    const auto& pylon = latest[2].analog;  // F-12
    CHECK(pylon.cell_mv.size() == 15);
    CHECK(pylon.current_ma == 400);
    CHECK(pylon.voltage_mv == 49465);
    CHECK(pylon.remaining_mah == 28860);
    CHECK(pylon.full_mah == 74000);
    CHECK(pylon.design_mah == 0);
    CHECK_FALSE(pylon.soh_pct.has_value());
    for (std::uint8_t a = 0; a < 3; ++a)
        CHECK(poller.health(a).timeouts == 0);  // trying shapes while identifying is no miss
    poller.stop();
}

TEST_CASE("scan flags an address where two families answer (a PACE and a Seplos pack both at 1)") {
    namespace pace = protocol::pace;
    const char* const kF01 =
        "~25014600F07A0001100CC70CC80CC70CC70CC70CC50CC60CC70CC70CC60CC70CC60CC60CC70CC60CC7060B9"
        "B0B990B990B990BB30BBCFF1FCCCD12D303286A008C2710E1E4";
    const auto seplos_at_1 = [] {
        auto a = pace::decode_analog(*protocol::ascii::decode(kF08), pace::Dialect::seplos);
        return pace::encode_seplos_analog_reply(0x20, 1, *a, {});
    }();
    testing::Pty pty;
    std::atomic<bool> stop{false};
    // The far side: the PACE pack answers VER 0x25 requests to ADR 1 (F-01), the Seplos pack the
    // VER 0x20 ones; nobody else answers.
    std::thread far([&] {
        protocol::ascii::Assembler assembler;
        while (!stop) {
            pollfd p{pty.master_fd(), POLLIN, 0};
            if (::poll(&p, 1, 10) <= 0) continue;
            char buf[256];
            const auto n = ::read(pty.master_fd(), buf, sizeof buf);
            if (n <= 0) continue;
            assembler.feed(
                {reinterpret_cast<const std::uint8_t*>(buf), static_cast<std::size_t>(n)},
                [&](const protocol::ascii::AssembledFrame& f) {
                    if (!f.frame || f.frame->adr != 1 || f.frame->cid1 != 0x46) return;
                    if (f.frame->cid2 != 0x42) return;
                    pty.write((f.frame->ver == 0x25 ? std::string(kF01) : seplos_at_1) + "\r");
                });
        }
    });
    std::vector<std::string> args{"--device", pty.slave_path(), "--baud", "115200", "--timeout-ms",
                                  "60",       "--listen-ms",    "50"};
    std::ostringstream out, err;
    const int rc = cli::scan_command(args, out, err);
    stop = true;
    far.join();
    INFO(out.str() << err.str());
    CHECK(rc == 0);
    CHECK(out.str().find("two families answer at this address: pace and seplos") !=
          std::string::npos);
    CHECK(out.str().find("1 pack(s) found") != std::string::npos);
}
