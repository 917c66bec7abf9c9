// SPDX-License-Identifier: Apache-2.0
#pragma once

// The status file: what the daemon knows, as JSON, rewritten atomically every cycle and read
// by `packbridge status`. Rendering is pure (monotonic times become ages relative to `now`);
// only write_atomic() touches the file system.

#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "packbridge/battery.hpp"
#include "packbridge/clock.hpp"
#include "packbridge/pack_reading.hpp"
#include "packbridge/result.hpp"

namespace packbridge::status {

inline constexpr int kSchemaVersion = 1;

// The inverter side as the service sees it. `state` is a short word: "up" (frames going out and
// the inverter heard recently), "waiting" (sending, inverter not heard yet), "silent" (output
// stopped by on_comms_loss=silence), "down" (link error), "dry-run".
struct InverterLink {
    std::string link;      // "can" | "rs485"
    std::string protocol;  // "pylon", "growatt_rs485", ...
    std::string state = "down";
    std::optional<Duration> since_heard;  // time since the inverter last sent anything
    std::uint64_t frames_sent = 0;
    std::uint64_t frames_received = 0;
    std::uint64_t errors = 0;
    std::string detail;  // last error or remark, "" when none
};

// The pack bus as a whole (PollerStats), since the poller started (a reload that changes the bus
// settings starts a new one).
struct BusCounters {
    std::uint64_t requests_sent = 0;
    std::uint64_t sweeps = 0;            // master sweeps, or host cycles heard in listen mode
    std::uint64_t foreign_requests = 0;  // requests we did not send: another master
    std::uint64_t unattributed = 0;      // replies to no request of ours
    std::uint64_t noise_bytes = 0;       // bytes outside any frame
};

struct Snapshot {
    TimePoint now{};  // monotonic time of the snapshot: ages are computed against it
    Battery battery;
    std::map<std::uint8_t, PackHealth> packs;         // every known pack by address
    std::map<std::uint8_t, TimePoint> reading_at;     // when each pack's latest reading arrived
    std::map<std::uint8_t, PackIdentity> identities;  // what each pack said it is (once read)
    std::string bus_mode;                             // "master" | "listen" | "auto (probing)" ...
    std::string bus_device;                           // the pack bus serial device
    int pid = 0;                                      // the daemon's process id (scan checks it)
    BusCounters bus;
    InverterLink inverter;
    std::string version;  // packbridge version string
};

// The status document (schema kSchemaVersion) as text, into `out` (its capacity is reused).
void write_text(const Snapshot& snapshot, std::string& out);
[[nodiscard]] std::string to_text(const Snapshot& snapshot);
// The same document parsed, for the outputs that read fields (MQTT, /metrics, the web page).
[[nodiscard]] nlohmann::json to_json(const Snapshot& snapshot);

// Writes `content` to `path` so that a reader never sees a half-written file: a temporary file
// in the same directory, then rename(2) over the target. The file is mode 0644 whatever the
// umask (readable by `packbridge status` without sudo). Errors name the path and the OS's reason.
Result<void> write_atomic(const std::string& path, std::string_view content);

}  // namespace packbridge::status
