// SPDX-License-Identifier: Apache-2.0
// The CAN frame helpers every codec's summary line goes through.
#include "packbridge/protocol/inverter/can/can_frame.hpp"

#include <catch2/catch.hpp>
#include <string>

using namespace packbridge::protocol;

TEST_CASE("A frame the codec does not know is named by its id, eight hex digits when extended",
          "[can]") {
    CHECK(describe_unknown(make_frame(0x35C)) == "id 35C");
    CanFrame extended = make_frame(0x1871A0B1);
    extended.extended = true;
    CHECK(describe_unknown(extended) == "id 1871A0B1");
}

TEST_CASE("A summary longer than the formatter's stack buffer comes out whole", "[can]") {
    const std::string long_name(600, 'x');
    const std::string text = format_text("name \"%s\" %u", long_name.c_str(), 42U);
    CHECK(text == "name \"" + long_name + "\" 42");
    CHECK(format_text("SOC %u %%", 87U) == "SOC 87 %");
}

TEST_CASE("candump text is the id, a hash and the data bytes up to the DLC", "[can]") {
    CanFrame f = make_frame(0x351, 3);
    f.data = {0x30, 0x02, 0xE8, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF};
    CHECK(to_candump(f) == "351#3002E8");
}
