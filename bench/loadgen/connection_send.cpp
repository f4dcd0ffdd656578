// The sending half of a connection: what to send when (closed loop: keep
// `pipeline` requests in flight; open loop: each request at its intended
// time), and getting the bytes to the kernel.
//
// Writes go straight to the kernel with a non-blocking write_some: on
// loopback it takes the whole batch nearly every time, which saves the
// completion round trip through the scheduler that async_write would cost
// per request. Only the remainder of a short write goes to write_rest().

#include <algorithm>
#include <cmath>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>

#include "loadgen/engine.hpp"

namespace loadgen::detail {
namespace {
constexpr auto use_tuple = asio::as_tuple(asio::use_awaitable);
}

time_point connection::due(std::uint64_t i) const {
    return first_due_ +
           std::chrono::nanoseconds(static_cast<std::int64_t>(static_cast<double>(i) * period_ns_));
}

void connection::fill() {
    if (!connected_ || stopping_ || rs_.stop_requested.load(std::memory_order_relaxed)) return;
    const auto now = clock::now();
    if (!open_loop_) {
        // Closed loop: latency counts from now, the actual send.
        while (!flights_.full())
            if (!add_request(now, now)) return;
        return;
    }
    // Open loop: everything due goes out now, up to the pipeline depth; its
    // latency counts from when it was due, however late that is now.
    while (!flights_.full()) {
        const auto t = due(next_);
        if (t > now || !add_request(t, now)) return;
        ++next_;
    }
}

bool connection::add_request(time_point start, time_point now) {
    bool head = false;
    if (!rs_.factory.append(out_, w_.rng, head)) {
        if (!rs_.ids_exhausted.exchange(true)) rs_.stop_early(true);
        return false;
    }
    flights_.push({start, now, head});
    return true;
}

void connection::flush() {
    if (writing_ || out_.empty() || !connected_) return;
    boost::system::error_code ec;
    const auto n = sock_.write_some(asio::buffer(out_), ec);
    if (ec && ec != asio::error::would_block && ec != asio::error::try_again) {
        abort(loss::io);
        return;
    }
    out_.erase(0, ec ? 0 : n);
    if (out_.empty()) return;
    writing_ = true;
    asio::co_spawn(w_.ioc, write_rest(), asio::detached);
}

asio::awaitable<void> connection::write_rest() {
    while (connected_ && !out_.empty()) {
        sending_.swap(out_);
        out_.clear();
        auto [ec, n] = co_await asio::async_write(sock_, asio::buffer(sending_), use_tuple);
        sending_.clear();
        if (ec) {
            if (connected_) abort(loss::io);
            break;
        }
    }
    writing_ = false;
}

void connection::wake_pacer() {
    if (open_loop_ && pacer_parked_ && connected_ && !flights_.full()) {
        pacer_parked_ = false;
        pacer_.cancel();
    }
}

asio::awaitable<void> connection::pace() {
    while (!stopping_) {
        fill();
        flush();
        // With a free slot, sleep until the next request is due; otherwise
        // until serve() or connect() frees one (wake_pacer()).
        const bool can_send =
            connected_ && !flights_.full() && !rs_.stop_requested.load(std::memory_order_relaxed);
        pacer_parked_ = !can_send;
        pacer_.expires_at(can_send ? due(next_) : time_point::max());
        co_await pacer_.async_wait(use_tuple);
    }
}

std::uint64_t connection::unfinished(time_point end) const {
    if (!w_.measuring(end)) return 0;
    std::uint64_t n = flights_.size();
    if (open_loop_ && due(next_) <= end) {
        // Due by `end`, inside the window, but never sent: indexes
        // [max(next_, first measured), last due].
        const auto index_at = [&](time_point t) {
            return std::chrono::duration<double, std::nano>(t - first_due_).count() / period_ns_;
        };
        const auto last = static_cast<std::uint64_t>(std::max(0.0, index_at(end)));
        const auto first = std::max(next_, static_cast<std::uint64_t>(std::max(
                                               0.0, std::ceil(index_at(rs_.measure_from)))));
        if (last >= first) n += last - first + 1;
    }
    return n;
}

}  // namespace loadgen::detail
