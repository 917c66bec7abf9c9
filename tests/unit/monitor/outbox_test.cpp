// SPDX-License-Identifier: Apache-2.0
#include "packbridge/monitor/outbox.hpp"

#include <catch2/catch.hpp>

using packbridge::monitor::Message;
using packbridge::monitor::Outbox;

TEST_CASE("the outbox keeps one message per topic: the newest, in the first one's place",
          "[monitor]") {
    Outbox box;
    CHECK(box.put({"a/state", "1", false}));
    CHECK(box.put({"b/state", "1", false}));
    CHECK(box.put({"a/state", "2", false}));
    CHECK(box.put({"a/state", "3", true}));
    CHECK(box.size() == 2);
    CHECK(box.take() == Message{"a/state", "3", true});
    CHECK(box.take() == Message{"b/state", "1", false});
    CHECK_FALSE(box.take());
}

TEST_CASE("a full outbox refuses new topics and still replaces queued ones", "[monitor]") {
    Outbox box(2);
    CHECK(box.put({"a", "1", false}));
    CHECK(box.put({"b", "1", false}));
    CHECK_FALSE(box.put({"c", "1", false}));
    CHECK(box.put({"b", "2", false}));
    CHECK(box.size() == 2);
    box.take();
    CHECK(box.take()->payload == "2");
    box.clear();
    CHECK(box.empty());
}
