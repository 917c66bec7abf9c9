// SPDX-License-Identifier: Apache-2.0
#pragma once

// The config file the lifecycle tests run the daemon with, with the knobs they change on reload.

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>

namespace packbridge::testing {

struct TestConfig {
    std::string device;                      // the simulator's pty
    std::string charge_voltage_v = "56.0";   // battery section (text: "70" makes it invalid)
    std::uint32_t period_ms = 250;           // inverter section
    std::uint32_t request_timeout_ms = 500;  // bus section
    std::filesystem::path status;            // status file
};

inline void write_config(const std::filesystem::path& path, const TestConfig& c) {
    // Written beside and renamed, as an editor or config manager would: a SIGHUP never reads a
    // half-written file.
    const auto tmp = path.string() + ".tmp";
    {
        std::ofstream out(tmp);
        out << R"({"bus": {"device": ")" << c.device
            << R"(", "addresses": "0-1", "mode": "master", "request_timeout_ms": )"
            << c.request_timeout_ms << R"(},
  "inverter": {"brand": "deye", "can": {"interface": "-", "period_ms": )"
            << c.period_ms << R"(}},
  "battery": {"min_packs": 2, "charge_voltage_v": )"
            << c.charge_voltage_v << R"(},
  "status": {"path": ")"
            << c.status.string() << R"("}, "log": {"summary_interval_s": 60}})";
    }
    std::filesystem::rename(tmp, path);
}

}  // namespace packbridge::testing
