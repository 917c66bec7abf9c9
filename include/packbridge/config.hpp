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

namespace packbridge {

// ---------------------------------------------------------------------------------------------
// bus: the packs' parallel RS485 bus

// Standard serial rates accepted for both RS485 links (bus.baud, inverter.rs485.baud) and by
// `packbridge scan --baud`: one list, so the survey never runs at a rate the daemon refuses.
inline constexpr std::initializer_list<std::uint32_t> kSerialBauds = {1200,  2400,  4800,  9600,
                                                                      19200, 38400, 57600, 115200};

enum class BusMode { auto_, master, listen };
enum class PackDialect { pace, seplos };  // VER 0x25 PACE (default) or VER 0x20 Seplos v2-like

struct BusConfig {
    std::string device = "/dev/ttyUSB0";
    std::uint32_t baud = 9600;
    bool rs485_mode = false;  // kernel TIOCSRS485; ptys and many USB adapters do not support it
    // "auto": probe 0..15 at start, re-probe missing ones every reprobe_interval_s.
    bool auto_addresses = true;
    std::vector<std::uint8_t> addresses;  // when !auto_addresses: ascending, unique, 0..15
    BusMode mode = BusMode::auto_;
    PackDialect dialect = PackDialect::pace;
    std::uint8_t ver = 0x25;                 // VER sent in requests (any VER accepted on receive)
    std::uint32_t request_timeout_ms = 500;  // PACE/Seplos docs: 500 ms
    std::uint32_t min_gap_ms = 5;  // idle time between the end of a reply and the next request
    std::uint32_t offline_after_misses = 3;  // consecutive misses before a pack is offline
    std::uint32_t reprobe_interval_s = 60;   // how often missing addresses are probed again
    std::uint32_t listen_window_ms = 3000;   // auto mode: listen this long before deciding
    std::uint32_t listen_idle_ms = 200;      // listen mode: line idle this long before we talk

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

// Pylon RS485 towards Voltronic/MPP ("PYL") and SRNE variant "pylon" (inverter-rs485.md 1).
// Items the spec marks disputed are switches whose defaults are the spec's choices (1.7).
struct PylonRs485Config {
    std::uint8_t group = 0;    // ADR = 0x02 + 0x10 * group (0..7) unless rs485.address is set
    std::uint8_t ver = 0x20;   // VER in replies: 0x20 (genuine captures) or 0x28 (diyBMS, VM III)
    bool answer_adr0 = true;   // also answer requests sent to ADR 0x00 (python-pylontech does)
    bool dcl_negative = true;  // 0x47/0x92 DCL sent negative, as genuine Pylontech packs do
    std::uint32_t current_61_unit_ma = 10;    // 0x61 total current unit: 10 mA (default) or 1 mA
    std::uint32_t current_63_unit_ma = 100;   // 0x63 CCL/DCL unit: 100 mA (0.1 A, default) or 10 mA
    std::string manufacturer = "PYLON";       // 0x51/0x60; the device name is inverter.name
    std::uint16_t software_version = 0x0201;  // 0x51/0x60/0x96: two bytes
    std::uint32_t mainline_version = 0x020100;         // 0x96: three bytes
    std::string serial = "GW-AGG-000000001";           // 0x93: 16 ASCII characters
    std::string module_barcode_prefix = "GW-MODULE-";  // 0x60: prefix + module number, 16 chars
    // 0x47 system parameters that the Battery does not carry (alarm thresholds).
    std::uint16_t cell_high_mv = 3650;
    std::uint16_t cell_low_mv = 3050;
    std::uint16_t cell_under_mv = 2900;
    std::int16_t charge_temp_high_dc = 600;
    std::int16_t charge_temp_low_dc = 0;
    std::int16_t discharge_temp_high_dc = 600;
    std::int16_t discharge_temp_low_dc = -100;

    bool operator==(const PylonRs485Config&) const = default;
};

// Voltronic "Inverter and BMS 485" (LIb) reply length field (inverter-rs485.md 2.4).
enum class VoltronicLength {
    words,     // 2-byte DataLength in registers, as the document says (default)
    bytes,     // 2-byte DataLength in bytes (Seplos firmware)
    standard,  // standard Modbus: 1-byte byte count
};

struct Voltronic485Config {
    VoltronicLength length = VoltronicLength::words;

    bool operator==(const Voltronic485Config&) const = default;
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
// battery: limits and the safety policy (all of it is applied by the bank)
enum class OnCommsLoss { zero, silence };
enum class OnPackBlock { exclude, stop_all };

// A derating curve: (temperature degC, factor 0..1) points, linear between, flat outside.
struct TaperPoint {
    double temp_c;
    double factor;

    bool operator==(const TaperPoint&) const = default;
};

struct BatteryConfig {
    double charge_voltage_v = 56.0;                 // CVL (16S LFP: 3.50 V/cell)
    double discharge_voltage_v = 48.0;              // DVL (16S LFP: 3.00 V/cell)
    double pack_charge_current_a = 50.0;            // per pack
    double pack_discharge_current_a = 100.0;        // per pack
    std::optional<double> max_charge_current_a;     // whole-system ceiling (cable, fuse, inverter)
    std::optional<double> max_discharge_current_a;  // whole-system ceiling
    std::uint32_t min_packs = 1;                    // fewer fresh packs => safe state
    double stale_after_s = 10.0;                    // a reading older than this does not count
    double comms_loss_s = 30.0;                     // no fresh pack for this long => safe state
    OnCommsLoss on_comms_loss = OnCommsLoss::zero;
    OnPackBlock on_pack_block = OnPackBlock::exclude;
    // Charge/discharge derating by cell temperature (min and max over counted packs).
    std::vector<TaperPoint> charge_temperature = {
        {0.0, 0.0}, {5.0, 0.5}, {10.0, 1.0}, {45.0, 1.0}, {50.0, 0.0}};
    std::vector<TaperPoint> discharge_temperature = {
        {-20.0, 0.0}, {-10.0, 0.5}, {0.0, 1.0}, {50.0, 1.0}, {60.0, 0.0}};
    // Charge taper by the highest cell: full limit below start, zero at max.
    std::uint32_t cell_charge_taper_start_mv = 3450;
    std::uint32_t cell_max_mv = 3600;
    // Discharge taper by the lowest cell: full limit above start, zero at min.
    std::uint32_t cell_discharge_taper_start_mv = 3050;
    std::uint32_t cell_min_mv = 2900;
    double ramp_a_per_s = 10.0;  // limit increases are ramped; decreases are immediate
    double force_charge_soc_pct = 5.0;
    double force_charge_release_soc_pct = 10.0;
    bool full_charge_request = false;         // Pylon rule (inverter-can.md section 1.2)
    double full_charge_soc_pct = 97.0;        // Pylon rule: "has not reached 97 %" ...
    double full_charge_interval_days = 30.0;  // ... "for 30 days"

    bool operator==(const BatteryConfig&) const = default;
};

// ---------------------------------------------------------------------------------------------
enum class LogLevel { trace, debug, info, warn, error };

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

struct MetricsConfig {
    bool enabled = false;  // a "metrics" section turns it on unless it says "enabled": false
    std::string listen = "127.0.0.1:9790";

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
