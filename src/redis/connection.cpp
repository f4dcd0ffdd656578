// The public face of redis::connection: how a command gets from a caller's
// coroutine into the write buffer and its reply back, sent again while Redis
// refuses it without running it.
#include "customers/redis/connection.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <exception>
#include <stdexcept>
#include <utility>

#include <boost/asio/async_result.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/steady_timer.hpp>

#include "connection_impl.hpp"
#include "customers/redis/reply_policy.hpp"
#include "customers/util/log.hpp"
#include "customers/util/use_tuple.hpp"

namespace customers::redis {

namespace asio = boost::asio;
using boost::system::error_code;

namespace {

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

// Not a coroutine itself: it returns the awaitable operation, saving a
// coroutine frame per command.
template <typename Encode>
auto connection::impl::async_submit(reply* out, std::size_t count, clock::time_point deadline,
                                    Encode encode) {
    return asio::async_initiate<decltype(util::use_tuple), void(error_code)>(
        [this, out, count, deadline, encode = std::move(encode)](auto handler) mutable {
            // Checked again at the moment of queueing: the encoded bytes and
            // the waiter go in together or not at all.
            if (auto ec = refusal()) return complete(std::move(handler), ec);
            encode(pending);
            stats.commands += count;
            push_waiter(std::move(handler), out, count, deadline);
        },
        util::use_tuple);
}

template <typename Encode>
asio::awaitable<error_code> connection::impl::submit_with_retries(std::span<reply> out,
                                                                  Encode encode) {
    // One deadline for the command, however often it is refused.
    const auto deadline = clock::now() + cfg.command_timeout;
    auto backoff = cfg.retry_backoff_min;
    std::size_t first = 0;  // the first command still to be (re)sent
    for (;;) {
        const std::span<reply> rest = out.subspan(first);
        if (auto ec = refusal()) {  // fail fast, without a post
            metrics.count(obs::redis_result::unavailable, rest.size());
            co_return ec;
        }
        const auto sent = clock::now();
        auto [ec] = co_await async_submit(rest.data(), rest.size(), deadline,
                                          [&encode, first](std::string& o) { encode(o, first); });
        record(sent, ec, rest);
        if (ec) co_return ec;
        const std::size_t retry_from = first + retryable_tail(rest);
        // Out of time: the refusal (BUSY...) is the answer the caller gets.
        if (retry_from == out.size() || clock::now() + backoff >= deadline) co_return error_code{};
        stats.retries += out.size() - retry_from;
        asio::steady_timer pause(ex, backoff);
        co_await pause.async_wait(util::use_tuple);
        first = retry_from;
        backoff = std::min(backoff * 2, cfg.retry_backoff_max);
    }
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
    reply r;
    const error_code ec = co_await self->submit_with_retries(
        std::span<reply>(&r, 1),
        [args](std::string& out, std::size_t) { encode_command(out, args); });
    if (ec) co_return ec;
    co_return std::move(r);
}

asio::awaitable<boost::system::result<std::vector<reply>>> connection::exec_batch(
    std::span<const std::vector<std::string_view>> commands) {
    auto self = impl_;
    if (commands.empty()) co_return std::vector<reply>{};
    for (const auto& c : commands) require_arguments(c);
    // One waiter for the whole batch: its replies arrive back to back.
    std::vector<reply> replies(commands.size());
    const error_code ec = co_await self->submit_with_retries(
        std::span<reply>(replies), [commands](std::string& out, std::size_t first) {
            for (const auto& c : commands.subspan(first)) encode_command(out, c);
        });
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
