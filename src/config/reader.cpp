// SPDX-License-Identifier: Apache-2.0
#include "config/reader.hpp"

#include <cmath>
#include <sstream>

namespace packbridge::config_detail {

void fail(const Context& ctx, std::string_view path, std::string_view what) {
    std::string msg =
        ctx.source + ": " + std::string(path.empty() ? "/" : path) + ": " + std::string(what);
    throw ConfigError(msg);
}

std::string format_number(double v) {
    std::ostringstream os;
    os << v;
    return os.str();
}

std::string describe_json(const nlohmann::json& v) {
    auto s = v.dump();
    if (s.size() > 40) s = s.substr(0, 37) + "...";
    return s;
}

Section::Section(const Context& ctx, const nlohmann::json* object, std::string where,
                 const std::vector<std::string_view>& allowed)
    : ctx_(ctx), object_(object), path_(std::move(where)) {
    if (object_ == nullptr) return;
    if (!object_->is_object())
        config_detail::fail(ctx_, path_, "must be an object, found " + describe_json(*object_));
    for (const auto& [key, value] : object_->items()) {
        bool known = false;
        for (auto a : allowed)
            known = known || a == key;
        if (known) continue;
        std::string list;
        for (auto a : allowed)
            list += (list.empty() ? "" : ", ") + std::string(a);
        config_detail::fail(ctx_, path(key), "unknown key (allowed: " + list + ")");
    }
}

const nlohmann::json* Section::raw(std::string_view key) const {
    if (object_ == nullptr) return nullptr;
    const auto it = object_->find(std::string(key));
    return it == object_->end() ? nullptr : &*it;
}

void Section::fail(std::string_view key, std::string_view what) const {
    config_detail::fail(ctx_, path(key), what);
}

void Section::mark_given(std::string_view key) const {
    if (ctx_.origins != nullptr) ctx_.origins->given.insert(path(key));
}

Section Section::child(std::string_view key, const std::vector<std::string_view>& allowed) const {
    return Section(ctx_, raw(key), path(key), allowed);
}

void Section::read_bool(std::string_view key, bool& out) const {
    const auto* v = raw(key);
    if (v == nullptr) return;
    if (!v->is_boolean()) fail(key, "must be true or false, found " + describe_json(*v));
    out = v->get<bool>();
    mark_given(key);
}

void Section::read_string(std::string_view key, std::string& out, std::size_t max_len) const {
    const auto* v = raw(key);
    if (v == nullptr) return;
    if (!v->is_string()) fail(key, "must be a string, found " + describe_json(*v));
    const auto& s = v->get_ref<const std::string&>();
    if (s.empty()) fail(key, "must not be empty");
    if (s.size() > max_len) fail(key, "is longer than " + std::to_string(max_len) + " characters");
    out = s;
    mark_given(key);
}

void Section::read_uint(std::string_view key, std::uint32_t& out, std::uint32_t lo,
                        std::uint32_t hi) const {
    const auto* v = raw(key);
    if (v == nullptr) return;
    const std::string range =
        "(valid: integer " + std::to_string(lo) + " to " + std::to_string(hi) + ")";
    if (!v->is_number()) fail(key, "must be a number " + range + ", found " + describe_json(*v));
    if (v->is_number_float()) {
        const double d = v->get<double>();
        if (std::floor(d) != d) fail(key, describe_json(*v) + " is not an integer " + range);
    }
    const double d = v->get<double>();
    if (d < static_cast<double>(lo) || d > static_cast<double>(hi))
        fail(key, describe_json(*v) + " is out of range " + range);
    out = static_cast<std::uint32_t>(d);
    mark_given(key);
}

void Section::read_int(std::string_view key, std::int64_t& out, std::int64_t lo,
                       std::int64_t hi) const {
    const auto* v = raw(key);
    if (v == nullptr) return;
    const std::string range =
        "(valid: integer " + std::to_string(lo) + " to " + std::to_string(hi) + ")";
    if (!v->is_number_integer())
        fail(key, "must be an integer " + range + ", found " + describe_json(*v));
    const auto n = v->get<std::int64_t>();
    if (n < lo || n > hi) fail(key, describe_json(*v) + " is out of range " + range);
    out = n;
    mark_given(key);
}

void Section::read_double(std::string_view key, double& out, double lo, double hi) const {
    const auto* v = raw(key);
    if (v == nullptr) return;
    const std::string range = "(valid: " + format_number(lo) + " to " + format_number(hi) + ")";
    if (!v->is_number()) fail(key, "must be a number " + range + ", found " + describe_json(*v));
    const double d = v->get<double>();
    if (!(d >= lo && d <= hi)) fail(key, describe_json(*v) + " is out of range " + range);
    out = d;
    mark_given(key);
}

void Section::read_optional_double(std::string_view key, std::optional<double>& out, double lo,
                                   double hi) const {
    const auto* v = raw(key);
    if (v == nullptr) return;
    if (v->is_null()) {
        out.reset();
        mark_given(key);
        return;
    }
    double d = 0;
    read_double(key, d, lo, hi);
    out = d;
}

void Section::read_uint_choice(std::string_view key, std::uint32_t& out,
                               std::initializer_list<std::uint32_t> values) const {
    const auto* v = raw(key);
    if (v == nullptr) return;
    std::string list;
    for (auto x : values)
        list += (list.empty() ? "" : ", ") + std::to_string(x);
    if (!v->is_number_integer() || v->is_number_float())
        fail(key, "must be an integer (valid: " + list + "), found " + describe_json(*v));
    const auto n = v->get<std::int64_t>();
    for (auto x : values) {
        if (n == static_cast<std::int64_t>(x)) {
            out = x;
            mark_given(key);
            return;
        }
    }
    fail(key, std::to_string(n) + " is not a supported rate (valid: " + list + ")");
}

}  // namespace packbridge::config_detail
