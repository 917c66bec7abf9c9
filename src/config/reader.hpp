// SPDX-License-Identifier: Apache-2.0
#pragma once

// Strict, path-aware reading of one JSON object of the config. Every accessor checks type and
// range and records the path as given; every failure throws ConfigError naming the path.

#include <cstdint>
#include <initializer_list>
#include <nlohmann/json.hpp>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

#include "packbridge/config/load.hpp"

namespace packbridge::config_detail {

struct Context {
    std::string source;
    ConfigOrigins* origins = nullptr;
};

[[noreturn]] void fail(const Context& ctx, std::string_view path, std::string_view what);
std::string format_number(double v);
std::string describe_json(const nlohmann::json& v);  // the value as the user wrote it, short

class Section {
  public:
    // `allowed` = every key this object may hold; anything else is an error listing them, in
    // this order.
    Section(const Context& ctx, const nlohmann::json* object, std::string where,
            const std::vector<std::string_view>& allowed);

    [[nodiscard]] const std::string& path() const { return path_; }
    [[nodiscard]] std::string path(std::string_view key) const {
        return path_ + "/" + std::string(key);
    }
    [[nodiscard]] const Context& context() const { return ctx_; }
    // The raw value, or nullptr when absent (null counts as absent only where a reader says so).
    [[nodiscard]] const nlohmann::json* raw(std::string_view key) const;
    [[noreturn]] void fail(std::string_view key, std::string_view what) const;
    void mark_given(std::string_view key) const;

    // A nested object; absent = empty (all defaults).
    [[nodiscard]] Section child(std::string_view key,
                                const std::vector<std::string_view>& allowed) const;

    void read_bool(std::string_view key, bool& out) const;
    // Non-empty string of at most max_len characters.
    void read_string(std::string_view key, std::string& out, std::size_t max_len = 4096) const;
    void read_uint(std::string_view key, std::uint32_t& out, std::uint32_t lo,
                   std::uint32_t hi) const;
    void read_int(std::string_view key, std::int64_t& out, std::int64_t lo, std::int64_t hi) const;
    void read_double(std::string_view key, double& out, double lo, double hi) const;
    void read_optional_double(std::string_view key, std::optional<double>& out, double lo,
                              double hi) const;
    // An integer that must be one of `values` (baud rates, bitrates).
    void read_uint_choice(std::string_view key, std::uint32_t& out,
                          std::initializer_list<std::uint32_t> values) const;

    template <class E>
    void read_enum(std::string_view key, E& out,
                   std::initializer_list<std::pair<std::string_view, E>> names) const {
        const auto* v = raw(key);
        if (v == nullptr) return;
        std::string list;
        for (const auto& [name, value] : names)
            list += (list.empty() ? "" : ", ") + std::string(name);
        if (!v->is_string()) fail(key, "must be a string (valid: " + list + ")");
        const auto& s = v->get_ref<const std::string&>();
        for (const auto& [name, value] : names) {
            if (s == name) {
                out = value;
                mark_given(key);
                return;
            }
        }
        fail(key, "\"" + s + "\" is not valid (valid: " + list + ")");
    }

  private:
    const Context& ctx_;
    const nlohmann::json* object_;
    std::string path_;
};

// One plain setting of a section: its key, the member it sets and, for a number, its valid range
// (whole numbers for an integer member; unused for a bool). A section lists its plain settings
// once, in a table of these, which gives both what read_fields reads and the keys allowed_keys
// allows; settings that need more than a range (enums, lists, curves) are read by hand.
template <class Config>
struct Field {
    std::string_view key;
    std::variant<double Config::*, std::optional<double> Config::*, std::uint32_t Config::*,
                 bool Config::*>
        member;
    double lo = 0;
    double hi = 0;
};

// Reads every row of `fields`, in their order, with the Section reader of the member's type, so
// a table-read setting says exactly what a hand-read one says.
template <class Config>
void read_fields(const Section& s, std::type_identity_t<std::span<const Field<Config>>> fields,
                 Config& out) {
    for (const auto& f : fields) {
        std::visit(
            [&](auto member) {
                auto& value = out.*member;
                using T = std::remove_reference_t<decltype(value)>;
                if constexpr (std::is_same_v<T, double>) {
                    s.read_double(f.key, value, f.lo, f.hi);
                } else if constexpr (std::is_same_v<T, std::optional<double>>) {
                    s.read_optional_double(f.key, value, f.lo, f.hi);
                } else if constexpr (std::is_same_v<T, std::uint32_t>) {
                    s.read_uint(f.key, value, static_cast<std::uint32_t>(f.lo),
                                static_cast<std::uint32_t>(f.hi));
                } else {
                    static_assert(std::is_same_v<T, bool>);
                    s.read_bool(f.key, value);
                }
            },
            f.member);
    }
}

// Every key of a section: the keys it reads by hand before its table (an array of Field), the
// table's, then those it reads after it. Give them in the order they are read in: "unknown key
// (allowed: ...)" lists them in this order.
template <class Table>
std::vector<std::string_view> allowed_keys(std::initializer_list<std::string_view> before,
                                           const Table& fields,
                                           std::initializer_list<std::string_view> after = {}) {
    std::vector<std::string_view> keys(before);
    for (const auto& f : fields)
        keys.push_back(f.key);
    keys.insert(keys.end(), after);
    return keys;
}

}  // namespace packbridge::config_detail
