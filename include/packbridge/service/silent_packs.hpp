// SPDX-License-Identifier: Apache-2.0
#pragma once

// Keeps the journal quiet about packs that do not answer. A silent pack is news when it goes
// silent and when it answers again; in between it is polled (re-probed) every
// bus.reprobe_interval_s, and a line for each unanswered poll would bury everything else (16
// configured addresses with 4 packs present used to write 12 lines a minute, forever). So: the
// transition is logged by the poller, then one reminder after 1 h, then one a day, and what was
// left unsaid in between is counted in the reminder. Pure: time is passed in.

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "packbridge/clock.hpp"
#include "packbridge/pack_reading.hpp"

namespace packbridge::service {

class SilentPacks {
  public:
    struct Reminder {
        std::vector<std::uint8_t> addresses;  // silent addresses whose reminder is due now
        Duration silent_for{};                // the longest silence among them
        std::uint64_t unlogged = 0;           // unanswered polls of them since the last line
        Duration next_in{};                   // until the next reminder of any silent address
    };

    static constexpr Duration kFirstReminder = std::chrono::hours(1);
    static constexpr Duration kLaterReminders = std::chrono::hours(24);
    // Reminders due this close together are given as one.
    static constexpr Duration kGather = std::chrono::minutes(5);

    // `address` went silent at `now` (went offline, or a configured address that never answered).
    // The caller logs that transition; nothing happens when it is silent already.
    void silent(std::uint8_t address, TimePoint now);
    // `address` answers again: how long it was silent, or nullopt when it was not silent.
    std::optional<Duration> answered(std::uint8_t address, TimePoint now);
    // One more unanswered poll of `address`: true (and counted for the reminder) when it is
    // silent, so the caller logs nothing; false when the miss is the caller's to report.
    bool absorb_miss(std::uint8_t address);
    [[nodiscard]] bool is_silent(std::uint8_t address) const;
    [[nodiscard]] std::size_t count() const;

    // The reminders due at `now` (and within kGather of it), all in one: a range of absent
    // addresses went silent together and is reminded of together. Each reported address's next
    // reminder moves a day on.
    std::optional<Reminder> due(TimePoint now);

  private:
    struct Entry {
        bool silent = false;
        TimePoint since{};
        TimePoint next_reminder{};
        std::uint64_t unlogged = 0;
    };
    std::array<Entry, kMaxPacks> entries_{};
};

// "4-15", "0-3, 8", "none": addresses in ascending order as ranges.
std::string describe_addresses(const std::vector<std::uint8_t>& addresses);
// "45 s", "12 min", "1 h", "2 h 5 min", "3 d": a duration as a journal reader wants it.
std::string describe_duration(Duration d);

}  // namespace packbridge::service
