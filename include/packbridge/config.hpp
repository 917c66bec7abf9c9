// SPDX-License-Identifier: Apache-2.0
#pragma once

// The whole configuration as one value type. Defaults live here and only here; the loader
// (config/load.cpp) fills it from JSON strictly and validates it before anything is opened.
// Every section compares with ==, so a reload can tell exactly which sections changed and
// reopen only those (no hand-kept field lists that go stale).
// Units are in the names: _v, _a, _mv, _ms, _s, _c (degC), _pct.

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <vector>

#include "packbridge/bank/settings.hpp"
#include "packbridge/protocol/inverter/rs485/rs485_settings.hpp"
#include "packbridge/util/log_level.hpp"

namespace packbridge {

// ---------------------------------------------------------------------------------------------
// bus: the packs' parallel RS485 bus

// Standard serial rates accepted for both RS485 links (bus.baud, inverter.rs485.baud) and by
// `packbridge scan --baud`: one list, so the survey never runs at a rate the daemon refuses.
inline constexpr std::initializer_list<std::uint32_t> kSerialBauds = {1200,  2400,  4800,  9600,
                                                                      19200, 38400, 57600, 115200};

enum class BusMode { auto_, master, listen };
// The pack family on the bus (protocol/pack/families.hpp): auto identifies each address once
// and polls it with its own family's commands; the others poll every address as that family.
enum class PackFamilyChoice { auto_, pace, seplos, pylontech, eg4 };

struct BusConfig {
    std::string device = "/dev/ttyUSB0";
    std::uint32_t baud = 9600;
    bool rs485_mode = false;  // kernel TIOCSRS485; ptys and many USB adapters do not support it
    // "auto": probe 0..15 at start, re-probe missing ones every reprobe_interval_s.
    bool auto_addresses = true;
    std::vector<std::uint8_t> addresses;  // when !auto_addresses: ascending, unique, 0..15
    BusMode mode = BusMode::auto_;
    PackFamilyChoice family = PackFamilyChoice::auto_;  // bus.family (bus.dialect: alias)
    // VER of the requests of the configured family (auto: of the PACE probe); the other families
    // use their own. Any VER is accepted on receive.
    std::uint8_t ver = 0x25;
    std::uint32_t request_timeout_ms = 500;  // PACE/Seplos docs: 500 ms
    std::uint32_t min_gap_ms = 5;  // idle time between the end of a reply and the next request
    std::uint32_t offline_after_misses = 3;  // consecutive misses before a pack is offline
    std::uint32_t reprobe_interval_s = 60;   // how often missing addresses are probed again
    std::uint32_t listen_window_ms = 3000;   // auto mode: listen this long before deciding
    std::uint32_t listen_idle_ms = 200;      // listen mode: line idle this long before we talk
    // Adaptive polling (service/poll_plan.hpp): a pack near a limit is polled again at most
    // near_limit_poll_ms after its last poll (0 = off). "Near": a cell within
    // near_limit_margin_mv of a taper start or cell limit, a warning or protection, or a current
    // at near_limit_current_pct of the pack's limit (0 = current never counts).
    std::uint32_t near_limit_poll_ms = 800;
    std::uint32_t near_limit_margin_mv = 50;
    std::uint32_t near_limit_current_pct = 80;

    bool operator==(const BusConfig&) const = default;
};

// ---------------------------------------------------------------------------------------------
// inverter: which protocol on which link, mirroring the BMS DIP table
enum class Link { can, rs485 };

// The DIP value the seed table uses for each protocol (0, 16, 32, 48) depends on the link.
enum class Protocol {
    luxpower,       // can 0
    pylon,          // can 32 (Pylon, Deye; variants sol-ark, goodwe)
    sma_victron,    // can 16 (Victron, SMA, Sofar)
    growatt_can,    // can 48
    srne,           // rs485 0 (unconfirmed: variant pylon | pace-modbus)
    voltronic,      // rs485 32 (Pylon RS485 "PYL", or variant voltronic-485 "LIb")
    growatt_rs485,  // rs485 48 (Growatt SPF "L01", Modbus RTU)
};

struct CanConfig {
    std::string interface = "can0";  // "-" = dry run: log the frames instead of sending them
    std::uint32_t bitrate = 500000;
    bool configure = false;          // set bitrate/restart-ms and bring the link up (CAP_NET_ADMIN)
    std::uint32_t restart_ms = 100;  // automatic bus-off recovery when configure = true
    std::uint32_t period_ms = 1000;  // frame-set period
    bool exact_dlc = false;          // Pylontech short DLCs instead of DLC 8 zero-padded
    std::uint32_t poll_fallback_s = 5;  // Growatt: periodic output after this much poll silence

    bool operator==(const CanConfig&) const = default;
};

// inverter.rs485.turnaround_ms upper bound: well below the shortest answer deadline (100 ms).
inline constexpr double kMaxTurnaroundMs = 50;

struct Rs485Config {
    std::string device = "/dev/ttyUSB1";
    std::uint32_t baud = 9600;
    std::optional<std::uint8_t> address;  // protocol default when unset (Pylon 0x02, Modbus 0x01)
    bool rs485_mode = false;
    // Quiet time between a request's last byte and the reply's first: a half-duplex transceiver
    // that turns round slowly loses the reply's first bytes without it. nullopt = the Modbus
    // t3.5 interval at `baud` (protocol::modbus::silence_interval), for every RS485 protocol.
    std::optional<double> turnaround_ms;
    PylonRs485Config pylon;
    Voltronic485Config voltronic;

    bool operator==(const Rs485Config&) const = default;
};

struct InverterConfig {
    Link link = Link::can;
    Protocol protocol = Protocol::pylon;
    std::optional<std::string> brand;  // canonical brand name from the seed table, when given
    std::string variant;               // protocol variant; "" = the protocol's default
    std::string name;                  // identity sent to the inverter; "" = the protocol's default
    CanConfig can;
    Rs485Config rs485;
    std::uint32_t alive_timeout_s = 10;  // inverter considered gone after this much silence

    bool operator==(const InverterConfig&) const = default;
};

// ---------------------------------------------------------------------------------------------
struct LogConfig {
    LogLevel level = LogLevel::info;
    std::uint32_t summary_interval_s = 60;

    bool operator==(const LogConfig&) const = default;
};

struct StatusConfig {
    bool enabled = true;
    std::string path = "/run/packbridge/status.json";

    bool operator==(const StatusConfig&) const = default;
};

// ---------------------------------------------------------------------------------------------
// mqtt and metrics: monitoring outputs (docs/monitoring.md). Both are off by default; neither
// can delay or change what the inverter gets.
struct MqttTlsConfig {
    std::string ca_file;    // "" = no TLS
    std::string cert_file;  // client certificate, optional (with key_file)
    std::string key_file;

    bool operator==(const MqttTlsConfig&) const = default;
};

struct MqttConfig {
    bool enabled = false;
    std::string host = "localhost";
    std::uint32_t port = 1883;  // 8883 when tls.ca_file is set and port is not given
    MqttTlsConfig tls;
    std::string username;       // "" = no login
    std::string password_file;  // the password, one line; never inline in the config
    std::string client_id;      // "" = "packbridge-<hostname>"
    std::string topic_prefix;   // resolved by the loader: default "packbridge/<hostname>"
    std::string discovery_prefix = "homeassistant";  // "" = no Home Assistant discovery
    std::uint32_t interval_s = 10;                   // state publish period
    std::uint32_t qos = 0;

    bool operator==(const MqttConfig&) const = default;
};

// The "http" section (old name "metrics", still read): /metrics, the status page, its API.
struct MetricsConfig {
    bool enabled = false;  // an "http" section turns it on unless it says "enabled": false
    std::string listen = "127.0.0.1:9790";
    std::uint32_t history_interval_s = 10;  // one chart sample per this many seconds

    bool operator==(const MetricsConfig&) const = default;
};

struct Config {
    BusConfig bus;
    InverterConfig inverter;
    BatteryConfig battery;
    LogConfig log;
    StatusConfig status;
    MqttConfig mqtt;
    MetricsConfig metrics;

    bool operator==(const Config&) const = default;
};

}  // namespace packbridge
