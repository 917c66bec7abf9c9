// SPDX-License-Identifier: Apache-2.0
#pragma once

// The one place packbridge includes Boost.Asio. GCC 12 at -O2 reports -Wnull-dereference false
// positives inside Asio's scheduler (boost/asio/detail/impl/scheduler.ipp) when its code is
// inlined into ours; the warning is located in the Asio header, so silencing it around the
// include keeps -Werror for our own code. Include this instead of <boost/asio/...>.

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wnull-dereference"
#include <boost/asio/error.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/write.hpp>
#pragma GCC diagnostic pop
