// SPDX-License-Identifier: Apache-2.0
// The shared ASCII frame layer against the worked examples of pack-protocol.md sections 1.8-1.9.
#include "packbridge/protocol/ascii/ascii_frame.hpp"

#include <catch2/catch.hpp>

using namespace packbridge;
using namespace packbridge::protocol;

TEST_CASE("LENGTH fields match every worked example of the LCHKSUM table", "[ascii]") {
    struct Row {
        std::uint16_t lenid;
        std::uint16_t length;
    };
    const Row rows[] = {{0x000, 0x0000}, {0x002, 0xE002}, {0x012, 0xD012}, {0x04C, 0x004C},
                        {0x04E, 0xE04E}, {0x07A, 0xF07A}, {0x07C, 0xD07C}, {0x096, 0x1096},
                        {0x128, 0x5128}, {0x5B8, 0x85B8}};
    for (const auto& r : rows) {
        INFO("LENID " << r.lenid);
        CHECK(ascii::length_field(r.lenid) == r.length);
    }
}

TEST_CASE("CHKSUM of the worked examples", "[ascii]") {
    CHECK(ascii::frame_checksum("25014642E00201") == 0xFD30);
    CHECK(ascii::frame_checksum("250246900000") == 0xFDA4);
    CHECK(ascii::frame_checksum("1203400356ABCEFE") == 0xFC72);
}

TEST_CASE("a 0x42 request for pack 1 encodes byte-exact", "[ascii]") {
    ascii::Frame f{0x25, 0x01, 0x46, 0x42, {0x01}, false};
    CHECK(ascii::encode(f) == "~25014642E00201FD30\r");
}

TEST_CASE("encode then decode gives the same frame back", "[ascii]") {
    ascii::Frame f{0x20, 0x02, 0x46, 0x00, {0x01, 0x02, 0xFE, 0x80}, false};
    auto decoded = ascii::decode(ascii::encode(f));
    REQUIRE(decoded.ok());
    CHECK(*decoded == f);
}

TEST_CASE("decode names the failed check with expected and found values", "[ascii]") {
    auto bad_sum = ascii::decode("~25014642E00201FD31\r");
    REQUIRE_FALSE(bad_sum.ok());
    CHECK(bad_sum.error().code == Errc::checksum);
    CHECK(bad_sum.error().detail == "CHKSUM expected FD30, found FD31");

    auto bad_lchk = ascii::decode("~25014642F00201FD2F\r");
    REQUIRE_FALSE(bad_lchk.ok());
    CHECK(bad_lchk.error().code == Errc::length_checksum);

    auto short_frame = ascii::decode("~250146");
    REQUIRE_FALSE(short_frame.ok());
    CHECK(short_frame.error().code == Errc::truncated);

    auto not_hex = ascii::decode("~25014642E002G1FD30\r");
    REQUIRE_FALSE(not_hex.ok());
    CHECK(not_hex.error().code == Errc::bad_format);
}

TEST_CASE("lowercase hex is accepted with the checksum over the characters as received",
          "[ascii]") {
    // Same frame as the F-01 request but lowercase: the character sum differs, so the checksum too.
    std::string body = "25014642e00201";
    std::string frame = "~" + body;
    ascii::append_hex16(frame, ascii::frame_checksum(body));
    auto decoded = ascii::decode(frame + "\r");
    REQUIRE(decoded.ok());
    CHECK(decoded->cid2 == 0x42);
    CHECK(decoded->info == std::vector<std::uint8_t>{0x01});
}

TEST_CASE("an Enjie-style LENID counted in bytes is accepted and flagged", "[ascii]") {
    auto decoded = ascii::decode("~20004642F00100FD37\r");
    REQUIRE(decoded.ok());
    CHECK(decoded->lenid_in_bytes);
    CHECK(decoded->info == std::vector<std::uint8_t>{0x00});
}
