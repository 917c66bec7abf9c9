// SPDX-License-Identifier: Apache-2.0
// Every invalid config is rejected with the JSON path and the reason (and the valid range).
#include <catch2/catch.hpp>

#include "packbridge/config/load.hpp"

using namespace packbridge;

namespace {

struct Row {
    const char* json;
    const char* fragment;  // "test.json: " is prepended
};

std::string error_of(const char* json) {
    try {
        (void)parse_config(json, "test.json");
    } catch (const ConfigError& e) {
        return e.what();
    }
    return "(accepted)";
}

void check_rows(std::initializer_list<Row> rows) {
    for (const auto& r : rows) {
        INFO("config: " << r.json);
        CHECK_THAT(error_of(r.json), Catch::Contains(std::string("test.json: ") + r.fragment));
    }
}

}  // namespace

TEST_CASE("invalid bus settings name the path and the valid range", "[config]") {
    check_rows({
        {R"({"bsu": {}})",
         "/bsu: unknown key (allowed: bus, inverter, battery, log, status, mqtt, http, metrics)"},
        {R"({"bus": {"baudrate": 9600}})",
         "/bus/baudrate: unknown key (allowed: device, baud, rs485_mode, addresses,"},
        {R"({"bus": {"baud": 9601}})",
         "/bus/baud: 9601 is not a supported rate (valid: 1200, 2400, 4800, 9600, 19200, 38400, "
         "57600, 115200)"},
        {R"({"bus": {"baud": "9600"}})", "/bus/baud: must be an integer (valid: 1200,"},
        {R"({"bus": {"addresses": [0, 16]}})",
         "/bus/addresses: address 16 is out of range (valid: 0 to 15)"},
        {R"({"bus": {"addresses": [1, 1]}})",
         "/bus/addresses: address 1 is listed twice (addresses must be unique)"},
        {R"({"bus": {"addresses": "0-3,2"}})", "/bus/addresses: address 2 is listed twice"},
        {R"({"bus": {"addresses": "5-2"}})", "/bus/addresses: range \"5-2\" runs backwards"},
        {R"({"bus": {"addresses": "all"}})",
         "/bus/addresses: \"all\" is not a list, range or \"auto\""},
        {R"({"bus": {"addresses": []}})", "/bus/addresses: must name at least one address"},
        {R"({"bus": {"addresses": 3}})",
         "/bus/addresses: must be a list of addresses, a range string or \"auto\""},
        {R"({"bus": {"mode": "slave"}})",
         "/bus/mode: \"slave\" is not valid (valid: auto, master, listen)"},
        {R"({"bus": {"ver": "0x125"}})",
         "/bus/ver: \"0x125\" is not a protocol version byte (valid: 0 to 255"},
        {R"({"bus": {"request_timeout_ms": 10}})",
         "/bus/request_timeout_ms: 10 is out of range (valid: integer 50 to 10000)"},
        {R"({"bus": {"min_gap_ms": 2.5}})",
         "/bus/min_gap_ms: 2.5 is not an integer (valid: integer 0 to 1000)"},
        {R"({"bus": {"offline_after_misses": -1}})",
         "/bus/offline_after_misses: -1 is out of range (valid: integer 1 to 100)"},
        {R"({"bus": {"device": ""}})", "/bus/device: must not be empty"},
        {R"({"bus": {"listen_idle_ms": 5000, "listen_window_ms": 3000}})",
         "/bus/listen_idle_ms: 5000 must be less than /bus/listen_window_ms (3000)"},
        {R"({"bus": {"near_limit_poll_ms": 100}})",
         "/bus/near_limit_poll_ms: 100 is too short: 0 (off) or 200 to 60000 ms"},
        {R"({"bus": {"near_limit_margin_mv": 5000}})",
         "/bus/near_limit_margin_mv: 5000 is out of range (valid: integer 0 to 1000)"},
        {R"({"bus": "ttyUSB0"})", "/bus: must be an object, found \"ttyUSB0\""},
        {R"({"bus": {"baud": 9600, "baud": 19200}})",
         "/bus/baud: duplicate key (each key may appear once)"},
        {R"([1, 2])", "/: the config must be a JSON object"},
    });
}

TEST_CASE("inverter contradictions list the valid choices", "[config]") {
    check_rows({
        {R"({"inverter": {"link": "rs485", "protocol": 16}})",
         "/inverter/protocol: DIP 16 (\"ON OFF\") does not exist on rs485 (valid on rs485: 0 = "
         "\"OFF OFF\" = srne, "
         "32 = \"OFF ON\" = voltronic, 48 = \"ON ON\" = growatt_rs485)"},
        {R"({"inverter": {"link": "rs485", "protocol": "ON OFF"}})",
         "/inverter/protocol: DIP 16 (\"ON OFF\") does not exist on rs485"},
        {R"({"inverter": {"brand": "Victron", "protocol": "growatt"}})",
         "/inverter/protocol: \"growatt\" (48 = \"ON ON\" = growatt_can) contradicts brand "
         "\"Victron\" (valid for "
         "Victron: 16 = \"ON OFF\" = sma_victron (variant victron)): remove /inverter/protocol "
         "to use the brand's, or remove /inverter/brand to keep this protocol"},
        {R"({"inverter": {"brand": "SRNE", "link": "can"}})",
         "/inverter/link: \"can\" contradicts brand \"SRNE\", which uses rs485 (valid: \"rs485\", "
         "or leave link out)"},
        {R"({"inverter": {"brand": "Growatt-SPF"}})",
         "/inverter/brand: \"Growatt-SPF\" exists for CAN and RS485: set /inverter/link to \"can\" "
         "or \"rs485\", or "
         "use brand \"growatt-spf-can\" or \"growatt-spf-485\""},
        {R"({"inverter": {"brand": "Victorn"}})",
         "/inverter/brand: unknown brand \"Victorn\" (closest: victron,"},
        {R"({"inverter": {"brand": 7}})",
         "/inverter/brand: must be a string (valid: growatt-spf-can,"},
        {R"({"inverter": {"protocol": 24}})",
         "/inverter/protocol: 24 is not a DIP protocol value (valid: a DIP value"},
        {R"({"inverter": {"protocol": "ON"}})",
         "/inverter/protocol: \"ON\" is not a protocol (valid: a DIP value"},
        {R"({"inverter": {"protocol": true}})", "/inverter/protocol: must be a number or a string"},
        {R"({"inverter": {"link": "can", "protocol": "srne"}})",
         "/inverter/protocol: \"srne\" is not a can protocol (valid on can: 0 = \"OFF OFF\" = "
         "luxpower, 16 = \"ON "
         "OFF\" = sma_victron, 32 = \"OFF ON\" = pylon, 48 = \"ON ON\" = growatt_can)"},
        {R"({"inverter": {"link": "rs485"}})",
         "/inverter/protocol: is required when /inverter/link is \"rs485\" (valid on rs485:"},
        {R"({"inverter": {"link": "modbus"}})",
         "/inverter/link: \"modbus\" is not a link (valid: \"can\", \"rs485\")"},
        {R"({"inverter": {"protocol": "luxpower", "variant": "x"}})",
         "/inverter/variant: protocol luxpower has no variants"},
        {R"({"inverter": {"protocol": 32, "variant": "victron"}})",
         "/inverter/variant: \"victron\" is not a variant of pylon (valid: \"pylon\", \"solark\", "
         "\"goodwe\")"},
        {R"({"inverter": {"brand": "victron", "variant": "sma"}})",
         "/inverter/variant: \"sma\" contradicts brand \"Victron\" (valid: \"victron\"; or remove "
         "/inverter/variant)"},
        {R"({"inverter": {"protocol": "victron", "variant": "sofar"}})",
         "/inverter/variant: \"sofar\" contradicts /inverter/protocol \"victron\" (valid: "
         "\"victron\"; or remove /inverter/variant)"},
        {R"({"inverter": {"brand": "victron", "protocol": "sma"}})",
         "/inverter/protocol: \"sma\" contradicts brand \"Victron\""},
        // The shipped config's old form plus a brand: says which key to drop.
        {R"({"inverter": {"link": "can", "protocol": 32, "brand": "victron"}})",
         "/inverter/protocol: \"32\" (32 = \"OFF ON\" = pylon) contradicts brand \"Victron\" "
         "(valid for Victron: 16 = \"ON OFF\" = sma_victron (variant victron)): remove "
         "/inverter/protocol to use the brand's, or remove /inverter/brand to keep this protocol"},
        {R"({"inverter": {"brand": "mpp sola", "protocol": 0}})",
         "/inverter/protocol: \"0\" (0 = \"OFF OFF\" = srne) contradicts brand \"MPP Sola\""},
        {R"({"inverter": {"name": "TOOLONGNAME"}})",
         "/inverter/name: \"TOOLONGNAME\" must be 1 to 8 printable ASCII characters"},
        {R"({"inverter": {"can": {"bitrate": 500}}})",
         "/inverter/can/bitrate: 500 is not a supported rate (valid: 125000, 250000, 500000, "
         "1000000)"},
        {R"({"inverter": {"can": {"interface": "averyveryverylongname"}}})",
         "/inverter/can/interface: is longer than 15 characters"},
        {R"({"inverter": {"can": {"speed": 1}}})",
         "/inverter/can/speed: unknown key (allowed: interface, bitrate, configure, restart_ms, "
         "period_ms, exact_dlc, poll_fallback_s)"},
        {R"({"inverter": {"can": {"configure": "yes"}}})",
         "/inverter/can/configure: must be true or false, found \"yes\""},
        {R"({"inverter": {"rs485": {"address": 300}}})",
         "/inverter/rs485/address: 300 is out of range (valid: integer 0 to 247)"},
        {R"({"inverter": {"rs485": {"turnaround_ms": 60}}})",
         "/inverter/rs485/turnaround_ms: 60 is out of range (valid: 0 to 50)"},
        {R"({"inverter": {"rs485": {"turnaround_ms": -1}}})",
         "/inverter/rs485/turnaround_ms: -1 is out of range (valid: 0 to 50)"},
        {R"({"inverter": {"rs485": {"turnaround_ms": "4"}}})",
         "/inverter/rs485/turnaround_ms: must be a number (valid: 0 to 50), found \"4\""},
        {R"({"inverter": {"rs485": {"pylon": {"group": 8}}}})",
         "/inverter/rs485/pylon/group: 8 is out of range (valid: integer 0 to 7)"},
        {R"({"inverter": {"rs485": {"pylon": {"ver": 37}}}})",
         "/inverter/rs485/pylon/ver: 37 is not a Pylon RS485 VER (valid: 32 = 0x20, 40 = 0x28)"},
        {R"({"inverter": {"rs485": {"voltronic": {"length": "nibbles"}}}})",
         "/inverter/rs485/voltronic/length: \"nibbles\" is not valid (valid: words, bytes, "
         "standard)"},
        {R"({"inverter": {"link": "rs485", "protocol": 32, "rs485": {"device": "/dev/ttyUSB0"}}})",
         "/inverter/rs485/device: \"/dev/ttyUSB0\" is also /bus/device"},
    });
}

TEST_CASE("invalid battery limits and policy name the path and the rule", "[config]") {
    check_rows({
        {R"({"battery": {"charge_voltage_v": 70}})",
         "/battery/charge_voltage_v: 70 is out of range (valid: 40 to 58.4)"},
        {R"({"battery": {"charge_voltage_v": "56"}})",
         "/battery/charge_voltage_v: must be a number (valid: 40 to 58.4), found \"56\""},
        {R"({"battery": {"charge_voltage_v": 49, "discharge_voltage_v": 50}})",
         "/battery/discharge_voltage_v: 50 must be less than /battery/charge_voltage_v (49)"},
        {R"({"battery": {"cell_charge_taper_start_mv": 3600, "cell_max_mv": 3600}})",
         "/battery/cell_charge_taper_start_mv: 3600 must be less than /battery/cell_max_mv (3600)"},
        {R"({"battery": {"cell_min_mv": 3100, "cell_discharge_taper_start_mv": 3050}})",
         "/battery/cell_discharge_taper_start_mv: 3050 must be greater than /battery/cell_min_mv "
         "(3100)"},
        {R"({"battery": {"force_charge_soc_pct": 20, "force_charge_release_soc_pct": 10}})",
         "/battery/force_charge_release_soc_pct: 10 must be greater than "
         "/battery/force_charge_soc_pct (20)"},
        {R"({"battery": {"stale_after_s": 60, "comms_loss_s": 30}})",
         "/battery/stale_after_s: 60 must not exceed /battery/comms_loss_s (30)"},
        {R"({"battery": {"min_packs": 0}})",
         "/battery/min_packs: 0 is out of range (valid: integer 1 to 16)"},
        {R"({"bus": {"addresses": [0, 1]}, "battery": {"min_packs": 3}})",
         "/battery/min_packs: 3 is more than the 2 pack(s) in /bus/addresses"},
        {R"({"battery": {"charge_temperature": [{"temp_c": 10, "factor": 1}, {"temp_c": 5, "factor": 0}]}})",
         "/battery/charge_temperature/1/temp_c: 5 must be greater than the previous point's 10"},
        {R"({"battery": {"charge_temperature": [{"temp_c": 10}]}})",
         "/battery/charge_temperature/0: needs both temp_c and factor"},
        {R"({"battery": {"discharge_temperature": [{"temp_c": 0, "factor": 1.5}]}})",
         "/battery/discharge_temperature/0/factor: 1.5 is out of range (valid: 0 to 1)"},
        {R"({"battery": {"discharge_temperature": [{"temp_c": 0, "factor": 1, "x": 2}]}})",
         "/battery/discharge_temperature/0/x: unknown key (allowed: temp_c, factor)"},
        {R"({"battery": {"charge_temperature": []}})",
         "/battery/charge_temperature: must be a list of"},
        {R"({"battery": {"on_comms_loss": "ignore"}})",
         "/battery/on_comms_loss: \"ignore\" is not valid (valid: zero, silence)"},
        {R"({"battery": {"charge_voltage_v": 58.4, "cell_max_mv": 3500}})",
         "/battery/charge_voltage_v: 58.4 V exceeds 16 x /battery/cell_max_mv (56 V)"},
        {R"({"battery": {"max_charge_current_a": 0}})",
         "/battery/max_charge_current_a: 0 is out of range (valid: 1 to 5000)"},
        {R"({"battery": {"full_charge_soc_pct": 40}})",
         "/battery/full_charge_soc_pct: 40 is out of range (valid: 50 to 100)"},
        {R"({"log": {"level": "verbose"}})",
         "/log/level: \"verbose\" is not valid (valid: trace, debug, info, warn, error)"},
        {R"({"log": {"summary_interval_s": 1e9}})",
         "/log/summary_interval_s: 1000000000.0 is out of range (valid: integer 0 to 86400)"},
        {R"({"status": {"path": "status.json"}})",
         "/status/path: \"status.json\" must be an absolute path"},
        {R"({"status": {"enabled": 1}})", "/status/enabled: must be true or false, found 1"},
    });
}

TEST_CASE("a JSON syntax error reports line and column", "[config]") {
    const char* text = "{\n  \"bus\": {\n    \"baud\" 9600\n  }\n}\n";
    // Line 3 is `    "baud" 9600`: the error is found at the end of the number, column 15.
    CHECK(error_of(text) ==
          "test.json:3:15: JSON syntax error: syntax error while parsing object separator - "
          "unexpected number "
          "literal; expected ':'");
    // Missing closing brace: reported just past the last character.
    CHECK_THAT(error_of("{\"bus\": {}"), Catch::StartsWith("test.json:1:11: JSON syntax error: "));
    // Trailing comma: the '}' on line 2, column 25.
    CHECK_THAT(error_of("{\n\"log\": {\"level\": \"info\",}\n}"),
               Catch::StartsWith(
                   "test.json:2:25: JSON syntax error: syntax error while parsing object key"));
}

TEST_CASE("a missing config file is an error naming the file", "[config]") {
    CHECK_THROWS_WITH(load_config_file("/nonexistent/packbridge.json"),
                      Catch::Contains("/nonexistent/packbridge.json: cannot open the config file"));
}
