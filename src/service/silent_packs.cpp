// SPDX-License-Identifier: Apache-2.0
#include "packbridge/service/silent_packs.hpp"

#include <algorithm>

namespace packbridge::service {

void SilentPacks::silent(std::uint8_t address, TimePoint now) {
    if (address >= kMaxPacks || entries_[address].silent) return;
    entries_[address] = Entry{true, now, now + kFirstReminder, 0};
}

std::optional<Duration> SilentPacks::answered(std::uint8_t address, TimePoint now) {
    if (address >= kMaxPacks || !entries_[address].silent) return std::nullopt;
    const Duration silent_for = now - entries_[address].since;
    entries_[address] = Entry{};
    return silent_for;
}

bool SilentPacks::absorb_miss(std::uint8_t address) {
    if (!is_silent(address)) return false;
    ++entries_[address].unlogged;
    return true;
}

bool SilentPacks::is_silent(std::uint8_t address) const {
    return address < kMaxPacks && entries_[address].silent;
}

std::size_t SilentPacks::count() const {
    return static_cast<std::size_t>(
        std::count_if(entries_.begin(), entries_.end(), [](const Entry& e) { return e.silent; }));
}

std::optional<SilentPacks::Reminder> SilentPacks::due(TimePoint now) {
    const bool any_due = std::any_of(entries_.begin(), entries_.end(), [now](const Entry& e) {
        return e.silent && now >= e.next_reminder;
    });
    if (!any_due) return std::nullopt;
    // Addresses that went silent in the same sweep fall due seconds apart: remind of every
    // reminder due within kGather too, so a range of absent addresses gets one line, not one each.
    Reminder reminder;
    for (std::uint8_t a = 0; a < kMaxPacks; ++a) {
        auto& e = entries_[a];
        if (!e.silent || now + kGather < e.next_reminder) continue;
        reminder.addresses.push_back(a);
        reminder.unlogged += e.unlogged;
        reminder.silent_for = std::max(reminder.silent_for, now - e.since);
        e.unlogged = 0;
        e.next_reminder = now + kLaterReminders;
    }
    reminder.next_in = kLaterReminders;
    for (const auto& e : entries_) {
        if (e.silent) reminder.next_in = std::min(reminder.next_in, e.next_reminder - now);
    }
    return reminder;
}

std::string describe_addresses(const std::vector<std::uint8_t>& addresses) {
    std::vector<std::uint8_t> sorted = addresses;
    std::sort(sorted.begin(), sorted.end());
    std::string text;
    for (std::size_t i = 0; i < sorted.size();) {
        std::size_t j = i;
        while (j + 1 < sorted.size() && sorted[j + 1] == sorted[j] + 1)
            ++j;
        text += (text.empty() ? "" : ", ") + std::to_string(sorted[i]);
        if (j > i) text += "-" + std::to_string(sorted[j]);
        i = j + 1;
    }
    return text.empty() ? "none" : text;
}

std::string describe_duration(Duration d) {
    using std::chrono::duration_cast;
    const auto total_s = duration_cast<seconds>(d).count();
    if (total_s < 60) return std::to_string(total_s) + " s";
    const auto total_min = total_s / 60;
    if (total_min < 60) return std::to_string(total_min) + " min";
    const auto days = total_min / (24 * 60);
    const auto hours = (total_min / 60) % 24;
    const auto minutes = total_min % 60;
    std::string text;
    if (days > 0) text = std::to_string(days) + " d";
    if (hours > 0) text += (text.empty() ? "" : " ") + std::to_string(hours) + " h";
    if (days == 0 && minutes > 0) text += " " + std::to_string(minutes) + " min";
    return text;
}

}  // namespace packbridge::service
