// SPDX-License-Identifier: Apache-2.0
#include "packbridge/util/json_writer.hpp"

#include <cmath>
#include <stdexcept>

namespace packbridge::util {

void JsonWriter::newline() {
    out_ += '\n';
    out_.append(2 * depth_, ' ');
}

void JsonWriter::before_value() {
    if (after_key_) {  // the key wrote the separator and the indent
        after_key_ = false;
        return;
    }
    if (depth_ == 0) return;  // the document's top value
    if (has_items_[depth_ - 1]) out_ += ',';
    has_items_[depth_ - 1] = true;
    newline();
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
    if (had_items) newline();
    out_ += bracket;
    return *this;
}

JsonWriter& JsonWriter::key(std::string_view name) {
    before_value();
    write_string(name);
    out_ += ": ";
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
        if (u >= 0x20 && u <= 0x7E && u != '"' && u != '\\') continue;
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
