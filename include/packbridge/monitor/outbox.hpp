// SPDX-License-Identifier: Apache-2.0
#pragma once

// What waits to be handed to the broker. One entry per topic: a newer message for a topic
// replaces an unsent older one in place (a state nobody received is worth nothing once a newer
// one exists), so a slow or absent broker costs at most one message per topic, never a backlog.

#include <cstddef>
#include <deque>
#include <map>
#include <optional>
#include <string>

#include "packbridge/monitor/payloads.hpp"

namespace packbridge::monitor {

class Outbox {
  public:
    // Topics are bounded by design (16 packs x a few dozen); this is a guard against a bug.
    explicit Outbox(std::size_t max_topics = 4096) : max_(max_topics) {}

    // Queues `m`, replacing an unsent message of the same topic (keeping its place in line).
    // Returns false when the outbox is full and `m` was dropped.
    bool put(Message m);
    // The oldest queued message, removed.
    std::optional<Message> take();
    void clear();
    [[nodiscard]] std::size_t size() const { return order_.size(); }
    [[nodiscard]] bool empty() const { return order_.empty(); }

  private:
    std::size_t max_;
    std::deque<std::string> order_;           // topics, oldest first
    std::map<std::string, Message> pending_;  // topic -> newest message
};

}  // namespace packbridge::monitor
