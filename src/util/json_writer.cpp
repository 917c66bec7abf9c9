// SPDX-License-Identifier: Apache-2.0
#include "packbridge/util/json_writer.hpp"

#include <array>
#include <cmath>
#include <stdexcept>

namespace packbridge::util {

namespace {

// A comma, a newline and the deepest indent, appended in one piece: a status document has about
// a thousand lines a second, and three appends per line were a tenth of its cost.
constexpr std::size_t kMaxIndent = 2 * JsonWriter::kMaxDepth;
constexpr std::array<char, 2 + kMaxIndent> kCommaNewlineIndent = [] {
    std::array<char, 2 + kMaxIndent> a{};
    a.fill(' ');
    a[0] = ',';
    a[1] = '\n';
    return a;
}();

// Which bytes a JSON string can hold as they are: printable ASCII but '"' and '\\'. Anything
// else is escaped (control characters, and bytes above 0x7E, which a BMS may send in a model
// name, as \u00XX so the file stays valid UTF-8).
constexpr std::array<bool, 256> kPlain = [] {
    std::array<bool, 256> a{};
    for (unsigned c = 0x20; c <= 0x7E; ++c)
        a[c] = c != '"' && c != '\\';
    return a;
}();

}  // namespace

void JsonWriter::newline(bool comma) {
    const std::size_t skip = comma ? 0 : 1;
    out_.append(kCommaNewlineIndent.data() + skip, 2 + 2 * depth_ - skip);
}

void JsonWriter::before_value() {
    if (after_key_) {  // the key wrote the separator and the indent
        after_key_ = false;
        return;
    }
    if (depth_ == 0) return;  // the document's top value
    newline(has_items_[depth_ - 1]);
    has_items_[depth_ - 1] = true;
}

JsonWriter& JsonWriter::open(char bracket) {
    before_value();
    out_ += bracket;
    if (depth_ == kMaxDepth) throw std::length_error("JsonWriter: nested too deep");
    has_items_[depth_++] = false;
    return *this;
}

JsonWriter& JsonWriter::close(char bracket) {
    const bool had_items = has_items_[--depth_];
    if (had_items) newline(false);
    out_ += bracket;
    return *this;
}

JsonWriter& JsonWriter::key(Name name) {
    before_value();
    out_ += '"';
    out_ += name.text();
    out_.append("\": ", 3);
    after_key_ = true;
    return *this;
}

JsonWriter& JsonWriter::value(std::string_view text) {
    before_value();
    write_string(text);
    return *this;
}

void JsonWriter::write_string(std::string_view text) {
    out_ += '"';
    // Runs of characters that need no escape are appended whole.
    std::size_t run = 0;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const auto u = static_cast<unsigned char>(text[i]);
        if (kPlain[u]) continue;
        out_.append(text.data() + run, i - run);
        run = i + 1;
        switch (u) {
            case '"':
                out_ += "\\\"";
                break;
            case '\\':
                out_ += "\\\\";
                break;
            case '\n':
                out_ += "\\n";
                break;
            case '\r':
                out_ += "\\r";
                break;
            case '\t':
                out_ += "\\t";
                break;
            default: {
                static constexpr char kHex[] = "0123456789abcdef";
                const char escape[] = {'\\', 'u', '0', '0', kHex[u >> 4], kHex[u & 0xF]};
                out_.append(escape, sizeof escape);
            }
        }
    }
    out_.append(text.data() + run, text.size() - run);
    out_ += '"';
}

JsonWriter& JsonWriter::value(bool b) {
    before_value();
    out_ += b ? "true" : "false";
    return *this;
}

JsonWriter& JsonWriter::value(double d) {
    // JSON has no NaN or infinity: like nlohmann, write null.
    if (!std::isfinite(d)) return null();
    before_value();
    char buf[32];
    const auto r = std::to_chars(buf, buf + sizeof buf, d);  // shortest that reads back exactly
    const std::string_view text(buf, static_cast<std::size_t>(r.ptr - buf));
    out_ += text;
    // Keep it a floating-point number for readers that tell 2 from 2.0.
    if (text.find_first_of(".e") == std::string_view::npos) out_ += ".0";
    return *this;
}

JsonWriter& JsonWriter::null() {
    before_value();
    out_ += "null";
    return *this;
}

}  // namespace packbridge::util
