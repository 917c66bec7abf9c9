// SPDX-License-Identifier: Apache-2.0
#include "packbridge/monitor/outbox.hpp"

namespace packbridge::monitor {

bool Outbox::put(Message m) {
    if (auto it = pending_.find(m.topic); it != pending_.end()) {
        it->second = std::move(m);
        return true;
    }
    if (order_.size() >= max_) return false;
    order_.push_back(m.topic);
    pending_.emplace(m.topic, std::move(m));
    return true;
}

std::optional<Message> Outbox::take() {
    if (order_.empty()) return std::nullopt;
    auto node = pending_.extract(order_.front());
    order_.pop_front();
    return std::move(node.mapped());
}

void Outbox::clear() {
    order_.clear();
    pending_.clear();
}

}  // namespace packbridge::monitor
