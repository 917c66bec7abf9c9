// SPDX-License-Identifier: Apache-2.0
#include "packbridge/service/timers.hpp"

#include <memory>

#include "packbridge/asio.hpp"

namespace packbridge::service {

namespace {

class AsioOneShot final : public OneShot {
  public:
    explicit AsioOneShot(boost::asio::io_context& io) : timer_(io) {}

    void start(TimePoint at, std::function<void()> fire) override {
        ++generation_;
        timer_.expires_at(at);
        // The generation guards against a handler that was already queued when we re-armed.
        timer_.async_wait(
            [this, gen = generation_, fire = std::move(fire)](const boost::system::error_code& ec) {
                if (!ec && gen == generation_) {
                    fire();
                }
            });
    }
    void cancel() override {
        ++generation_;
        timer_.cancel();
    }

  private:
    boost::asio::steady_timer timer_;
    std::uint64_t generation_ = 0;
};

}  // namespace

std::unique_ptr<OneShot> AsioTimers::make_timer() {
    return std::make_unique<AsioOneShot>(io_);
}

}  // namespace packbridge::service
