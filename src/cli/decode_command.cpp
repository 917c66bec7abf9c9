// SPDX-License-Identifier: Apache-2.0
#include "cli/decode_command.hpp"

#include <cstdio>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <vector>

#include "cli/command_line.hpp"
#include "cli/common.hpp"
#include "packbridge/protocol/ascii/ascii_frame.hpp"
#include "packbridge/protocol/pack/pace.hpp"

namespace packbridge::cli {
namespace {

using nlohmann::json;
namespace ascii = protocol::ascii;
namespace pace = protocol::pace;

std::string hex_byte(std::uint8_t b) {
    char buf[8];
    std::snprintf(buf, sizeof buf, "0x%02X", b);
    return buf;
}

const char* command_name(std::uint8_t cid2) {
    switch (cid2) {
        case 0x42:
            return "analog values";
        case 0x44:
            return "alarm and status";
        case 0x47:
            return "system parameters";
        case 0x4F:
            return "protocol version";
        case 0x51:
            return "manufacturer info";
        case 0x90:
            return "pack count";
        case 0x92:
            return "charge/discharge management info";
        case 0x93:
            return "serial number";
        case 0x96:
            return "software version";
        case 0xA6:
            return "capacity";
        case 0xB1:
            return "date and time";
        case 0xC1:
            return "firmware version";
        case 0xC2:
            return "production info";
        default:
            return "other command";
    }
}

json analog_json(const PackAnalog& a) {
    json j;
    if (a.absent()) {
        j["absent"] = true;  // an empty slot of a multi-pack reply, not a pack at 0 V
        return j;
    }
    j["cells_mv"] = a.cell_mv;
    j["cell_temps_dc"] = a.cell_temp_dc;
    if (a.mosfet_temp_dc) j["mosfet_temp_dc"] = *a.mosfet_temp_dc;
    if (a.ambient_temp_dc) j["ambient_temp_dc"] = *a.ambient_temp_dc;
    j["current_ma"] = a.current_ma;
    j["voltage_mv"] = a.voltage_mv;
    j["remaining_mah"] = a.remaining_mah;
    j["full_mah"] = a.full_mah;
    j["design_mah"] = a.design_mah;
    j["cycles"] = a.cycles;
    if (a.soc_pct) j["soc_pct"] = *a.soc_pct;
    if (a.soh_pct) j["soh_pct"] = *a.soh_pct;
    return j;
}

json status_json(const PackStatus& s) {
    return json{{"warnings", alarm_names(s.warnings)},
                {"protections", alarm_names(s.protections)},
                {"charge_mosfet_on", s.charge_mosfet_on},
                {"discharge_mosfet_on", s.discharge_mosfet_on},
                {"charging", s.charging},
                {"discharging", s.discharging},
                {"fully_charged", s.fully_charged},
                {"balancing_mask", s.balancing_mask}};
}

json identity_json(const PackIdentity& id) {
    json j;
    if (!id.firmware.empty()) j["firmware"] = id.firmware;
    if (!id.serial.empty()) j["serial"] = id.serial;
    if (!id.manufacturer.empty()) j["manufacturer"] = id.manufacturer;
    return j;
}

// Decodes an OK reply as the answer to `cid2`; false (with "error") when it does not fit.
bool decode_reply_body(const ascii::Frame& f, std::uint8_t cid2, json& j) {
    switch (cid2) {
        case pace::kCidAnalog: {
            auto records = pace::decode_analog_all(f);
            if (!records) {
                j["error"] = records.error().detail;
                return false;
            }
            json arr = json::array();
            for (const auto& r : *records)
                arr.push_back(analog_json(r));
            j["packs"] = arr;
            return true;
        }
        case pace::kCidStatus: {
            auto s = pace::decode_status(f);
            if (!s) {
                j["error"] = s.error().detail;
                return false;
            }
            j["status"] = status_json(*s);
            return true;
        }
        case pace::kCidFirmware:
        case pace::kCidSerial:
        case pace::kCidManufacturer: {
            auto id = pace::decode_identity(f, cid2);
            if (!id) {
                j["error"] = id.error().detail;
                return false;
            }
            j["identity"] = identity_json(*id);
            return true;
        }
        default:
            j["info"] = ascii::to_hex(f.info);
            return true;
    }
}

class Decoder {
  public:
    explicit Decoder(std::optional<std::uint8_t> as) : as_(as) {}

    // One input line -> one JSON object; false when the frame is invalid.
    bool decode_line(const std::string& line, std::ostream& out) {
        std::string text = line;
        const auto soi = text.find('~');
        json j;
        if (soi == std::string::npos) {
            j["input"] = text;
            j["valid"] = false;
            j["error"] = "no start of frame '~' in the input";
            out << j.dump() << "\n";
            return false;
        }
        text.erase(0, soi);
        // Logs show the terminator as a real CR, as the two characters "\r", or not at all.
        while (!text.empty() && (text.back() == '\r' || text.back() == '\n' || text.back() == ' '))
            text.pop_back();
        if (text.size() >= 2 && text.compare(text.size() - 2, 2, "\\r") == 0)
            text.resize(text.size() - 2);
        j["input"] = text;
        auto frame = ascii::decode(text);
        if (!frame) {
            j["valid"] = false;
            j["error"] = frame.error().detail;
            out << j.dump() << "\n";
            return false;
        }
        const ascii::Frame& f = *frame;
        j["valid"] = true;
        j["ver"] = hex_byte(f.ver);
        j["adr"] = f.adr;
        j["cid1"] = hex_byte(f.cid1);
        j["info_bytes"] = f.info.size();
        if (f.lenid_in_bytes) j["lenid_in_bytes"] = true;
        if (pace::is_request(f)) {
            j["type"] = "request";
            j["cid2"] = hex_byte(f.cid2);
            j["command"] = command_name(f.cid2);
            if (!f.info.empty()) j["info"] = ascii::to_hex(f.info);
            last_request_[f.adr] = f.cid2;
            last_any_ = f.cid2;
            out << j.dump() << "\n";
            return true;
        }
        j["type"] = "reply";
        j["rtn"] = hex_byte(f.cid2);
        j["rtn_meaning"] = pace::rtn_meaning(f.cid2);
        if (f.cid2 != 0) {
            if (!f.info.empty()) j["info"] = ascii::to_hex(f.info);
            out << j.dump() << "\n";
            return true;
        }
        decode_ok_reply(f, j);
        out << j.dump() << "\n";
        return true;
    }

  private:
    void decode_ok_reply(const ascii::Frame& f, json& j) {
        std::optional<std::uint8_t> cid2 = as_;
        std::string basis = "--as";
        if (!cid2) {
            // A multi-pack master answers ADR 1 requests for any pack: match by address first,
            // then fall back to the last request of all.
            if (auto it = last_request_.find(f.adr); it != last_request_.end()) {
                cid2 = it->second;
                basis = "request to this address";
            } else if (last_any_) {
                cid2 = last_any_;
                basis = "last request";
            }
        }
        if (cid2) {
            j["answers"] = hex_byte(*cid2);
            j["answers_basis"] = basis;
            if (!decode_reply_body(f, *cid2, j)) j["decoded"] = false;
            return;
        }
        if (f.info.empty()) {
            j["answers_basis"] = "empty reply (0x4F version or end of records)";
            return;
        }
        // No request seen: the layouts are distinct enough to try in order of frequency.
        for (std::uint8_t guess : {pace::kCidAnalog, pace::kCidStatus}) {
            json attempt;
            if (decode_reply_body(f, guess, attempt)) {
                j.update(attempt);
                j["answers"] = hex_byte(guess);
                j["answers_basis"] = "guessed from the layout (no request in the input; use --as)";
                return;
            }
        }
        j["info"] = ascii::to_hex(f.info);
        j["answers_basis"] = "unknown (no request in the input and no layout fits; use --as)";
    }

    std::optional<std::uint8_t> as_;
    std::map<std::uint8_t, std::uint8_t> last_request_;
    std::optional<std::uint8_t> last_any_;
};

}  // namespace

int decode_command(std::span<const std::string> args, std::istream& in, std::ostream& out,
                   std::ostream& err) {
    DecodeArgs parsed;
    if (auto exit = parse_decode(args, parsed, out, err)) return *exit;
    const auto& frames = parsed.frames;
    Decoder decoder(parsed.as);
    bool all_valid = true;
    if (!frames.empty()) {
        for (const auto& f : frames)
            all_valid = decoder.decode_line(f, out) && all_valid;
    } else {
        std::string line;
        while (std::getline(in, line)) {
            if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
            if (line.front() == '#') continue;
            all_valid = decoder.decode_line(line, out) && all_valid;
        }
    }
    return all_valid ? kExitOk : kExitFailure;
}

int decode_command(std::span<const std::string> args, std::ostream& out, std::ostream& err) {
    return decode_command(args, std::cin, out, err);
}

}  // namespace packbridge::cli
