// SPDX-License-Identifier: Apache-2.0
#include "packbridge/util/fixed_point.hpp"

#include <catch2/catch.hpp>

using packbridge::fixed_point;

TEST_CASE("fixed-point text rounds half away from zero to the decimals asked for",
          "[fixed_point]") {
    CHECK(fixed_point(52100, 3, 2) == "52.10");
    CHECK(fixed_point(52105, 3, 2) == "52.11");
    CHECK(fixed_point(-52105, 3, 2) == "-52.11");
    CHECK(fixed_point(3405, 3, 3) == "3.405");
    CHECK(fixed_point(-15, 1, 1) == "-1.5");
    CHECK(fixed_point(9999, 2, 0) == "100");
}

TEST_CASE("a value that rounds to zero is shown without a minus sign", "[fixed_point]") {
    CHECK(fixed_point(-5, 3, 1) == "0.0");
    CHECK(fixed_point(-49, 3, 1) == "0.0");
    CHECK(fixed_point(-50, 3, 1) == "-0.1");
}
