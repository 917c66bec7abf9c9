// SPDX-License-Identifier: Apache-2.0
#pragma once

// A streaming JSON writer into a caller's string. For the status document, which is written
// every second: building an nlohmann DOM first and dumping it cost ten times the text itself
// (docs/performance.md). The layout is nlohmann's dump(2): two-space indent, "key": value.
// The caller writes well-formed structure (keys only inside objects); strings are escaped here,
// and a byte above 0x7F is written as \u00XX, so any text a BMS sends stays valid JSON.

#include <array>
#include <charconv>
#include <concepts>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace packbridge::util {

class JsonWriter {
  public:
    static constexpr std::size_t kMaxDepth = 32;  // deeper nesting throws std::length_error

    // A key as the program spells it, checked when compiling to need no escape (printable ASCII
    // without '"' or '\\'), so writing it is a copy. Keys never come from a BMS: its text goes
    // in values, which are escaped.
    class Name {
      public:
        template <std::size_t N>
        consteval Name(const char (&text)[N])  // NOLINT: implicit, so w.key("voltage_mv") reads
            : text_(text, N - 1) {
            for (const char c : text_) {
                if (c < 0x20 || c > 0x7E || c == '"' || c == '\\')
                    throw "a JSON key must be printable ASCII without '\"' or '\\'";
            }
        }
        [[nodiscard]] constexpr std::string_view text() const { return text_; }

      private:
        std::string_view text_;
    };

    explicit JsonWriter(std::string& out) : out_(out) {}

    JsonWriter& begin_object() { return open('{'); }
    JsonWriter& end_object() { return close('}'); }
    JsonWriter& begin_array() { return open('['); }
    JsonWriter& end_array() { return close(']'); }
    JsonWriter& key(Name name);

    JsonWriter& value(std::string_view text);
    JsonWriter& value(const char* text) { return value(std::string_view(text)); }
    JsonWriter& value(const std::string& text) { return value(std::string_view(text)); }
    JsonWriter& value(bool b);
    JsonWriter& value(double d);
    JsonWriter& null();
    template <std::integral T>
    requires(!std::same_as<T, bool>) JsonWriter& value(T v) {
        before_value();
        char buf[24];
        const auto r = std::to_chars(buf, buf + sizeof buf, v);
        out_.append(buf, r.ptr);
        return *this;
    }
    template <class T>
    JsonWriter& value(const std::optional<T>& v) {
        return v ? value(*v) : null();
    }
    template <class T>
    JsonWriter& value(const std::vector<T>& list) {
        begin_array();
        for (const auto& item : list)
            value(item);
        return end_array();
    }

    // "name": value
    template <class T>
    JsonWriter& field(Name name, const T& v) {
        key(name);
        return value(v);
    }

  private:
    JsonWriter& open(char bracket);
    JsonWriter& close(char bracket);
    void before_value();
    void newline(bool comma);  // "," (when comma), newline, indent
    void write_string(std::string_view text);

    std::string& out_;
    std::array<bool, kMaxDepth> has_items_{};  // per open object/array: an item was written
    std::size_t depth_ = 0;
    bool after_key_ = false;
};

}  // namespace packbridge::util
