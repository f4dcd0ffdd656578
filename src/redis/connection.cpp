// The public face of redis::connection and the waiter queue: how a command
// gets from a caller's coroutine into the write buffer and its reply back.
#include "customers/redis/connection.hpp"

#include <array>
#include <charconv>
#include <exception>
#include <stdexcept>
#include <utility>

#include <boost/asio/append.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/post.hpp>

#include "connection_impl.hpp"
#include "customers/util/log.hpp"
#include "customers/util/use_tuple.hpp"

namespace customers::redis {

namespace asio = boost::asio;
using boost::system::error_code;

namespace {

using util::use_tuple;

asio::awaitable<boost::system::result<reply>> exec_owned(connection& c,
                                                         std::vector<std::string> args) {
    const std::vector<std::string_view> views(args.begin(), args.end());
    co_return co_await c.exec(std::span<const std::string_view>(views));
}

// Checked before anything is queued, in the caller's coroutine: an exception
// thrown inside an async_initiate initiation would not reach the caller.
void require_arguments(std::span<const std::string_view> args) {
    if (args.empty()) throw std::invalid_argument("redis: empty command");
}

bool is_noscript(const reply& r) {
    return r.is_error() && r.str.starts_with("NOSCRIPT");
}

}  // namespace

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

// Not a coroutine itself: it returns the awaitable operation, saving a
// coroutine frame per command.
template <typename Encode>
auto connection::impl::async_submit(reply* out, std::size_t count, std::size_t commands,
                                    Encode encode) {
    return asio::async_initiate<decltype(use_tuple), void(error_code)>(
        [this, out, count, commands, encode = std::move(encode)](auto handler) mutable {
            // Checked again at the moment of queueing: the encoded bytes and
            // the waiter go in together or not at all.
            if (auto ec = refusal()) return complete(std::move(handler), ec);
            encode(pending);
            stats.commands += commands;
            push_waiter(std::move(handler), out, count);
        },
        use_tuple);
}

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
    if (!connected) return error::not_connected;
    return {};
}

void connection::impl::push_waiter(wait_handler handler, reply* out, std::size_t count) {
    waiters.push_back(
        waiter{std::move(handler), out, count, 0, clock::now() + cfg.command_timeout});
    ++unsent;
    // Only wake an idle writer: a busy one takes `pending` when its write
    // completes, so everything queued meanwhile shares the next write.
    if (writer_idle) wake_timer.cancel();
}

bool connection::impl::deliver(reply r) {
    if (waiters.size() == unsent) return false;  // a reply nobody asked for
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

connection::connection(asio::any_io_executor ex, connection_config cfg)
    : impl_(std::make_shared<impl>(std::move(ex), std::move(cfg))) {}

connection::~connection() {
    // Completes every waiter, which breaks the cycle waiter -> suspended
    // exec() frame -> impl. The run loop lets go of impl when it ends.
    impl_->stop();
}

void connection::start() {
    if (impl_->started || impl_->stopping) return;
    impl_->started = true;
    asio::co_spawn(impl_->ex, impl_->run(impl_), [](std::exception_ptr e) {
        // Only a bug or bad_alloc gets here (the I/O path reports errors as
        // values); let io_context::run() report it rather than hide it.
        if (e) std::rethrow_exception(e);
    });
}

void connection::stop() {
    impl_->stop();
}

void connection::add_script(const script& s) {
    for (const script* known : impl_->scripts)
        if (known->sha1() == s.sha1()) return;
    impl_->scripts.push_back(&s);
}

bool connection::connected() const noexcept {
    return impl_->connected;
}

const connection_stats& connection::stats() const noexcept {
    return impl_->stats;
}

const obs::redis_metrics& connection::metrics() const noexcept {
    return impl_->metrics;
}

asio::awaitable<boost::system::result<reply>> connection::exec(
    std::initializer_list<std::string_view> args) {
    // The list's array dies with the caller's full expression, and the
    // awaitable is lazy: copy now, into the frame of exec_owned().
    return exec_owned(*this, std::vector<std::string>(args.begin(), args.end()));
}

asio::awaitable<boost::system::result<reply>> connection::exec(
    std::span<const std::string_view> args) {
    auto self = impl_;  // the connection object may go away while we wait
    require_arguments(args);
    if (auto ec = self->refusal()) {  // fail fast, without a post
        self->metrics.count(obs::redis_result::unavailable);
        co_return ec;
    }
    reply r;
    const auto sent = impl::clock::now();
    auto [ec] = co_await self->async_submit(
        &r, 1, 1, [args](std::string& out) { encode_command(out, args); });
    self->record(sent, ec, std::span<const reply>(&r, 1));
    if (ec) co_return ec;
    co_return std::move(r);
}

asio::awaitable<boost::system::result<std::vector<reply>>> connection::exec_batch(
    std::span<const std::vector<std::string_view>> commands) {
    auto self = impl_;
    if (commands.empty()) co_return std::vector<reply>{};
    for (const auto& c : commands) require_arguments(c);
    if (auto ec = self->refusal()) {
        self->metrics.count(obs::redis_result::unavailable, commands.size());
        co_return ec;
    }
    std::vector<reply> replies(commands.size());
    const auto sent = impl::clock::now();
    // One waiter for the whole batch: its replies arrive back to back.
    auto [ec] = co_await self->async_submit(replies.data(), replies.size(), commands.size(),
                                            [commands](std::string& out) {
                                                for (const auto& c : commands)
                                                    encode_command(out, c);
                                            });
    self->record(sent, ec, replies);
    if (ec) co_return ec;
    co_return std::move(replies);
}

asio::awaitable<boost::system::result<reply>> connection::eval(
    const script& s, std::span<const std::string_view> keys,
    std::span<const std::string_view> args) {
    std::array<char, 24> numkeys_buf{};
    const auto numkeys_end =
        std::to_chars(numkeys_buf.data(), numkeys_buf.data() + numkeys_buf.size(), keys.size()).ptr;
    std::vector<std::string_view> evalsha;
    evalsha.reserve(3 + keys.size() + args.size());
    evalsha.push_back("EVALSHA");
    evalsha.push_back(s.sha1());
    evalsha.emplace_back(numkeys_buf.data(), numkeys_end);
    evalsha.insert(evalsha.end(), keys.begin(), keys.end());
    evalsha.insert(evalsha.end(), args.begin(), args.end());

    auto first = co_await exec(evalsha);
    if (!first || !is_noscript(*first)) co_return first;

    // Redis restarted or its script cache was flushed since we connected.
    // Load and retry in one round trip; if the load itself fails (a syntax
    // error), its reply explains more than a second NOSCRIPT would.
    log::info("redis: NOSCRIPT for ", s.sha1(), "; loading the script again");
    const std::array<std::vector<std::string_view>, 2> retry{
        std::vector<std::string_view>{"SCRIPT", "LOAD", s.source()}, evalsha};
    auto replies = co_await exec_batch(retry);
    if (!replies) co_return replies.error();
    if ((*replies)[0].is_error()) co_return std::move((*replies)[0]);
    co_return std::move((*replies)[1]);
}

}  // namespace customers::redis
