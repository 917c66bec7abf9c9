// SPDX-License-Identifier: Apache-2.0
#include "packbridge/monitor/history.hpp"

#include <algorithm>
#include <charconv>
#include <limits>

namespace packbridge::monitor {
namespace {

using nlohmann::json;

// A number at a JSON pointer, 0 when absent or null (a bank in its safe state has no cells).
template <class T>
T number_at(const json& doc, const char* pointer) {
    const json::json_pointer p(pointer);
    if (!doc.contains(p)) return T{};
    const json& v = doc.at(p);
    if (!v.is_number()) return T{};
    const auto wide = v.get<std::int64_t>();
    return static_cast<T>(std::clamp<std::int64_t>(wide, std::numeric_limits<T>::min(),
                                                   std::numeric_limits<T>::max()));
}

void append_number(std::string& out, std::int64_t v) {
    char buf[24];
    const auto r = std::to_chars(buf, buf + sizeof buf, v);
    out.append(buf, r.ptr);
}

}  // namespace

History::History(std::uint32_t interval_s, std::size_t capacity)
    : interval_s_(std::max<std::uint32_t>(interval_s, 1)),
      ring_(std::max<std::size_t>(capacity, 1)) {}

bool History::add(std::uint32_t t, const json& status) {
    if (any_ && t < last_t_ + interval_s_) return false;
    HistorySample s;
    s.t = t;
    s.voltage_mv = number_at<std::int32_t>(status, "/battery/voltage_mv");
    s.current_ma = number_at<std::int32_t>(status, "/battery/current_ma");
    s.ccl_ma = number_at<std::int32_t>(status, "/battery/limits/ccl/value_ma");
    s.dcl_ma = number_at<std::int32_t>(status, "/battery/limits/dcl/value_ma");
    s.soc_centi = number_at<std::int16_t>(status, "/battery/soc_centi");
    s.temp_max_dc = number_at<std::int16_t>(status, "/battery/temperature/max_dc");
    s.cell_min_mv = number_at<std::uint16_t>(status, "/battery/cells/min_mv");
    s.cell_max_mv = number_at<std::uint16_t>(status, "/battery/cells/max_mv");
    s.packs_counted = number_at<std::uint8_t>(status, "/battery/packs_counted");
    s.safe_state = status.contains(json::json_pointer("/battery/safe_state")) &&
                           status.at(json::json_pointer("/battery/safe_state")).is_boolean() &&
                           status.at(json::json_pointer("/battery/safe_state")).get<bool>()
                       ? 1
                       : 0;
    ring_[next_] = s;
    next_ = (next_ + 1) % ring_.size();
    size_ = std::min(size_ + 1, ring_.size());
    any_ = true;
    last_t_ = t;
    return true;
}

std::vector<HistorySample> History::samples() const {
    std::vector<HistorySample> out;
    out.reserve(size_);
    const std::size_t first = (next_ + ring_.size() - size_) % ring_.size();
    for (std::size_t i = 0; i < size_; ++i)
        out.push_back(ring_[(first + i) % ring_.size()]);
    return out;
}

std::string History::render(std::int64_t since, std::uint32_t now, std::uint32_t run) const {
    const std::size_t first = (next_ + ring_.size() - size_) % ring_.size();
    // The samples newer than `since`: the ring is in time order, so they are its tail.
    std::size_t skip = 0;
    while (skip < size_ &&
           static_cast<std::int64_t>(ring_[(first + skip) % ring_.size()].t) <= since)
        ++skip;
    const auto column = [&](std::string& out, const char* name, auto field) {
        out += ",\"";
        out += name;
        out += "\":[";
        for (std::size_t i = skip; i < size_; ++i) {
            if (i != skip) out += ',';
            append_number(out, field(ring_[(first + i) % ring_.size()]));
        }
        out += ']';
    };
    std::string out;
    out.reserve(64 + (size_ - skip) * 60);
    out += "{\"run\":";
    append_number(out, run);
    out += ",\"now\":";
    append_number(out, now);
    out += ",\"interval_s\":";
    append_number(out, interval_s_);
    out += ",\"capacity\":";
    append_number(out, static_cast<std::int64_t>(ring_.size()));
    column(out, "t", [](const HistorySample& s) { return std::int64_t{s.t}; });
    column(out, "soc_centi", [](const HistorySample& s) { return std::int64_t{s.soc_centi}; });
    column(out, "voltage_mv", [](const HistorySample& s) { return std::int64_t{s.voltage_mv}; });
    column(out, "current_ma", [](const HistorySample& s) { return std::int64_t{s.current_ma}; });
    column(out, "ccl_ma", [](const HistorySample& s) { return std::int64_t{s.ccl_ma}; });
    column(out, "dcl_ma", [](const HistorySample& s) { return std::int64_t{s.dcl_ma}; });
    column(out, "cell_min_mv", [](const HistorySample& s) { return std::int64_t{s.cell_min_mv}; });
    column(out, "cell_max_mv", [](const HistorySample& s) { return std::int64_t{s.cell_max_mv}; });
    column(out, "temp_max_dc", [](const HistorySample& s) { return std::int64_t{s.temp_max_dc}; });
    column(out, "packs_counted",
           [](const HistorySample& s) { return std::int64_t{s.packs_counted}; });
    column(out, "safe_state", [](const HistorySample& s) { return std::int64_t{s.safe_state}; });
    out += "}\n";
    return out;
}

}  // namespace packbridge::monitor
