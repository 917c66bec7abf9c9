// SPDX-License-Identifier: Apache-2.0
// The streaming writer the status document is written with, read back by nlohmann.
#include "packbridge/util/json_writer.hpp"

#include <catch2/catch.hpp>
#include <cmath>
#include <nlohmann/json.hpp>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

using packbridge::util::JsonWriter;

TEST_CASE("The writer lays a document out as nlohmann's dump(2) does, in the order written",
          "[json]") {
    std::string out;
    JsonWriter w(out);
    w.begin_object();
    w.field("b", 1).field("a", std::vector<int>{1, 2});
    w.key("empty").begin_object().end_object();
    w.key("none").begin_array().end_array();
    w.field("unknown", std::optional<int>{});
    w.end_object();
    CHECK(out ==
          "{\n  \"b\": 1,\n  \"a\": [\n    1,\n    2\n  ],\n  \"empty\": {},\n  \"none\": [],\n"
          "  \"unknown\": null\n}");
    CHECK(nlohmann::json::parse(out)["a"] == nlohmann::json::array({1, 2}));
}

TEST_CASE("Nested as deep as it allows, every level is laid out as dump(2) lays it out", "[json]") {
    // Arrays keep their order through nlohmann, so its dump(2) must equal the text exactly:
    // commas, newlines and indents at every depth (the writer appends them from one table).
    std::string out;
    JsonWriter w(out);
    for (std::size_t depth = 0; depth < JsonWriter::kMaxDepth; ++depth) {
        w.begin_array().value(depth);
        if (depth % 3 == 0) w.begin_object().field("k", "v").end_object();
    }
    for (std::size_t depth = 0; depth < JsonWriter::kMaxDepth; ++depth)
        w.value(true).end_array();
    CHECK(out == nlohmann::json::parse(out).dump(2));
    CHECK(out.find("\n" + std::string(2 * JsonWriter::kMaxDepth, ' ') + "31,") !=
          std::string::npos);

    std::string deeper;
    JsonWriter too_deep(deeper);
    for (std::size_t depth = 0; depth < JsonWriter::kMaxDepth; ++depth)
        too_deep.begin_array();
    CHECK_THROWS_AS(too_deep.begin_object(), std::length_error);
}

TEST_CASE("Any bytes a pack sends come out as valid JSON that reads back", "[json]") {
    const std::string text = std::string("US3000\"C\\\n\t") + '\x01' + '\xFF' + "end";
    std::string out;
    JsonWriter(out).value(text);
    const auto back = nlohmann::json::parse(out).get<std::string>();
    // Printable ASCII and the escapes come back as sent; 0xFF is read as U+00FF.
    CHECK(back == std::string("US3000\"C\\\n\t") + '\x01' + "\xC3\xBF" + "end");
}

TEST_CASE("Numbers keep their kind: integers, floating point that reads back exactly, no NaN",
          "[json]") {
    std::string out;
    JsonWriter w(out);
    w.begin_array();
    w.value(std::uint64_t{18446744073709551615ULL}).value(std::int16_t{-40});
    w.value(2.0).value(0.001).value(1234.567).value(std::nan("")).value(true);
    w.end_array();
    const auto j = nlohmann::json::parse(out);
    CHECK(j[0].get<std::uint64_t>() == 18446744073709551615ULL);
    CHECK(j[1].get<int>() == -40);
    CHECK(j[2].is_number_float());
    CHECK(j[2].get<double>() == 2.0);
    CHECK(j[3].get<double>() == 0.001);
    CHECK(j[4].get<double>() == 1234.567);
    CHECK(j[5].is_null());
    CHECK(j[6] == true);
}
