// The waiter queue of redis::connection: commands written and waiting, how
// replies reach them, and how a session ends for all of them at once.
#include <algorithm>
#include <utility>

#include <boost/asio/append.hpp>
#include <boost/asio/post.hpp>

#include "connection_impl.hpp"
#include "customers/redis/reply_policy.hpp"
#include "customers/util/log.hpp"

namespace customers::redis {

namespace asio = boost::asio;
using boost::system::error_code;

connection::impl::impl(asio::any_io_executor executor, connection_config config)
    : ex(std::move(executor)),
      cfg(std::move(config)),
      where(cfg.where.redacted()),
      socket(ex),
      resolver(ex),
      connect_timer(ex),
      backoff_timer(ex),
      wake_timer(ex),
      watchdog_timer(ex),
      join_timer(ex) {}

void connection::impl::record(clock::time_point sent, error_code ec,
                              std::span<const reply> replies) noexcept {
    metrics.round_trips.observe(clock::now() - sent);
    if (!ec) {
        for (const reply& r : replies)
            metrics.count(r.is_error() ? obs::redis_result::error : obs::redis_result::ok);
        return;
    }
    const auto result = ec == error::timeout          ? obs::redis_result::timeout
                        : ec == error::protocol_error ? obs::redis_result::error
                                                      : obs::redis_result::unavailable;
    metrics.count(result, replies.size());
}

void connection::impl::set_connected(bool up) noexcept {
    connected = up;
    metrics.connected.set(up ? 1 : 0);
}

error_code connection::impl::refusal() const noexcept {
    if (stopping) return error::shutting_down;
    if (!connected) return error::not_connected;  // also while draining
    return {};
}

void connection::impl::push_waiter(wait_handler handler, reply* out, std::size_t count,
                                   clock::time_point deadline) {
    waiters.push_back(waiter{std::move(handler), out, count, 0, deadline});
    ++unsent;
    // A retried command keeps its first deadline, which may come before the
    // one the watchdog sleeps until: let it look again.
    if (deadline < watchdog_timer.expiry()) watchdog_timer.cancel();
    // Only wake an idle writer: a busy one takes `pending` when its write
    // completes, so everything queued meanwhile shares the next write.
    if (writer_idle) wake_timer.cancel();
}

bool connection::impl::deliver(reply r) {
    if (waiters.size() == unsent) return false;  // a reply nobody asked for
    if (action_for(r) == reply_action::reconnect) start_draining(error_code_of(r));
    waiter& w = waiters.front();
    w.out[w.received++] = std::move(r);
    ++stats.replies;
    if (w.received == w.expected) {
        auto handler = std::move(w.handler);
        waiters.pop_front();
        complete(std::move(handler), {});
    }
    return true;
}

void connection::impl::start_draining(std::string_view code) {
    if (draining) return;
    // Not connected from now on: new commands fail fast (the caller answers
    // 503) instead of joining a session that is about to end. Those already
    // queued still go out; closing now would leave the written ones with an
    // ambiguous connection_lost, and a write among them may have succeeded.
    draining = true;
    drain_reason = code;
    ++stats.failovers;
    set_connected(false);
}

connection::impl::clock::time_point connection::impl::earliest_deadline() const noexcept {
    auto earliest = clock::time_point::max();
    for (const waiter& w : waiters) earliest = std::min(earliest, w.deadline);
    return earliest;
}

void connection::impl::complete(wait_handler handler, error_code ec) {
    // The handler's own associated executor is honoured; ex is the fallback.
    asio::post(ex, asio::append(std::move(handler), ec));
}

void connection::impl::fail_waiters(error sent, error unsent_reason) {
    // Detach the queue first: completing must not observe a half-failed one.
    auto failed = std::exchange(waiters, {});
    const std::size_t written = failed.size() - unsent;
    unsent = 0;
    pending.clear();
    for (std::size_t i = 0; i < failed.size(); ++i)
        complete(std::move(failed[i].handler), i < written ? sent : unsent_reason);
}

void connection::impl::fail_session(error reason, std::string_view detail) {
    if (!session_active) return;
    session_active = false;
    set_connected(false);
    if (reason == error::timeout) ++stats.timeouts;
    if (reason != error::shutting_down)
        log::warn("redis: connection to ", where, " lost: ", detail, "; reconnecting");

    error_code ignored;
    socket.close(ignored);  // aborts the reader's read and the writer's write
    wake_timer.cancel();
    watchdog_timer.cancel();
    fail_waiters(reason,
                 reason == error::shutting_down ? error::shutting_down : error::connection_lost);
}

void connection::impl::stop() {
    if (stopping) return;
    fail_session(error::shutting_down, "stopped");
    stopping = true;
    set_connected(false);
    fail_waiters(error::shutting_down, error::shutting_down);
    // Whatever step the run loop is in (resolve, connect, handshake, backoff)
    // is aborted, and the loop sees `stopping` and ends.
    error_code ignored;
    resolver.cancel();
    socket.close(ignored);
    connect_timer.cancel();
    backoff_timer.cancel();
}

}  // namespace customers::redis
