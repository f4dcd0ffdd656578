// The run loop of redis::connection: connect, handshake, then a reader, a
// writer and a deadline watchdog until the session fails; back off; repeat
// until stop().
#include <algorithm>
#include <exception>
#include <string>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/local/stream_protocol.hpp>
#include <boost/asio/write.hpp>

#include <sys/un.h>

#include "connection_impl.hpp"
#include "customers/redis/reply_policy.hpp"
#include "customers/util/log.hpp"
#include "customers/util/use_tuple.hpp"

namespace customers::redis {

namespace asio = boost::asio;
using boost::system::error_code;

namespace {

void rethrow_unexpected(std::exception_ptr e) {
    if (e) std::rethrow_exception(e);
}

}  // namespace

connection::impl::helper_guard::~helper_guard() {
    if (--self.helpers_running == 0) self.join_timer.cancel();
}

asio::awaitable<void> connection::impl::run(std::shared_ptr<impl>) {
    auto delay = cfg.reconnect_min;
    while (!stopping) {
        if (co_await connect()) {
            delay = cfg.reconnect_min;  // reset: this endpoint works
            co_await serve();
        }
        if (stopping) break;
        backoff_timer.expires_after(delay);
        co_await backoff_timer.async_wait(util::use_tuple);
        delay = std::min(std::max(delay * 2, std::chrono::milliseconds{1}), cfg.reconnect_max);
    }
    error_code ignored;
    socket.close(ignored);
    log::debug("redis: connection to ", where, " stopped");
}

asio::awaitable<bool> connection::impl::connect() {
    error_code ignored;
    socket.close(ignored);
    dec.reset();  // drop any partial reply of the previous session
    arm_connect_deadline();
    std::string failure = co_await open_socket();
    if (failure.empty() && !stopping && !connect_timed_out) failure = co_await handshake();
    connecting = false;
    connect_timer.cancel();

    if (stopping) co_return false;
    if (connect_timed_out) {
        ++stats.timeouts;
        failure = "no answer within " + std::to_string(cfg.connect_timeout.count()) + " ms";
    }
    if (!failure.empty()) {
        // Once per distinct failure, not at every backoff step of an outage.
        if (failure != last_failure)
            log::warn("redis: cannot connect to ", where, ": ", failure, "; retrying");
        else
            log::debug("redis: cannot connect to ", where, ": ", failure);
        last_failure = std::move(failure);
        ++stats.failed_connects;
        socket.close(ignored);
        co_return false;
    }
    last_failure.clear();
    ++stats.connects;
    log::info("redis: connected to ", where);
    co_return true;
}

void connection::impl::arm_connect_deadline() {
    connecting = true;
    connect_timed_out = false;
    const auto attempt = ++connect_attempt;
    connect_timer.expires_after(cfg.connect_timeout);
    // Closing the socket (or cancelling the resolver) aborts whichever step
    // is in progress. The attempt number guards against a timer that fired
    // just as the attempt finished and so could not be cancelled any more.
    connect_timer.async_wait([self = shared_from_this(), attempt](error_code ec) {
        if (ec || !self->connecting || attempt != self->connect_attempt) return;
        self->connect_timed_out = true;
        self->resolver.cancel();
        error_code ignored;
        self->socket.close(ignored);
    });
}

asio::awaitable<std::string> connection::impl::open_socket() {
    const endpoint& ep = cfg.where;
    if (ep.transport == endpoint::kind::unix_socket) {
        // asio throws on a path that does not fit; report it instead.
        if (ep.path.size() >= sizeof(sockaddr_un{}.sun_path)) co_return "socket path too long";
        auto [ec] = co_await socket.async_connect(asio::local::stream_protocol::endpoint(ep.path),
                                                  util::use_tuple);
        co_return ec ? ec.message() : std::string();
    }

    auto [resolve_ec, results] =
        co_await resolver.async_resolve(ep.host, std::to_string(ep.port),
                                        asio::ip::tcp::resolver::numeric_service, util::use_tuple);
    if (resolve_ec) co_return "cannot resolve " + ep.host + ": " + resolve_ec.message();
    error_code last = asio::error::host_not_found;
    for (const auto& entry : results) {
        if (stopping || connect_timed_out) break;
        error_code ignored;
        socket.close(ignored);
        // async_connect opens the socket with the endpoint's family.
        auto [ec] = co_await socket.async_connect(entry.endpoint(), util::use_tuple);
        if (!ec) {
            // Pipelined writes are already batched; don't let Nagle hold them.
            socket.set_option(asio::ip::tcp::no_delay(true), ignored);
            co_return std::string();
        }
        last = ec;
    }
    co_return last.message();
}

asio::awaitable<std::string> connection::impl::handshake() {
    // Each command with what its reply means, so the two cannot drift apart.
    struct step {
        enum class kind { auth, select, role, load, ping } what;
        std::vector<std::string_view> command;
        const script* loads = nullptr;
    };
    const endpoint& ep = cfg.where;
    const std::string db = std::to_string(ep.db);
    std::vector<step> steps;
    if (!ep.password.empty()) {
        if (ep.username.empty())
            steps.push_back({step::kind::auth, {"AUTH", ep.password}});
        else
            steps.push_back({step::kind::auth, {"AUTH", ep.username, ep.password}});
    }
    if (ep.db != 0) steps.push_back({step::kind::select, {"SELECT", db}});
    // Before the scripts: a replica is refused before anything else is
    // judged (one with replica-serve-stale-data off refuses SCRIPT LOAD too).
    steps.push_back({step::kind::role, {"ROLE"}});
    for (const script* s : scripts)
        steps.push_back({step::kind::load, {"SCRIPT", "LOAD", s->source()}, s});
    // Always last: proves the server answers (a stopped Redis still accepts
    // TCP connections into its backlog) and that we may run commands.
    steps.push_back({step::kind::ping, {"PING"}});

    std::string out;
    for (const auto& st : steps) encode_command(out, st.command);
    auto [write_ec, written] =
        co_await asio::async_write(socket, asio::buffer(out), util::use_tuple);
    if (write_ec) co_return "write failed: " + write_ec.message();

    std::vector<reply> replies;
    while (replies.size() < steps.size()) {
        auto next = dec.next();
        if (!next) co_return "protocol error: " + dec.last_error();
        if (*next) {
            replies.push_back(std::move(**next));
            continue;
        }
        auto [read_ec, n] =
            co_await socket.async_read_some(asio::buffer(read_buffer), util::use_tuple);
        if (read_ec) co_return "read failed: " + read_ec.message();
        dec.feed({read_buffer.data(), n});
    }

    for (std::size_t i = 0; i < steps.size(); ++i) {
        const reply& r = replies[i];
        switch (steps[i].what) {
            case step::kind::auth:
                if (r.is_error()) co_return "AUTH: " + r.str;
                break;
            case step::kind::select:
                if (r.is_error()) co_return "SELECT " + db + ": " + r.str;
                break;
            case step::kind::role:
                if (auto refused = role_refusal(r); !refused.empty()) co_return refused;
                if (r.is_error()) log::debug("redis: ROLE not answered by ", where, ": ", r.str);
                break;
            case step::kind::load:
                // Not fatal: a script that does not compile must not keep the
                // connection down; eval() hands its compile error to the caller.
                if (r.is_error())
                    log::error("redis: SCRIPT LOAD of ", steps[i].loads->sha1(),
                               " failed: ", r.str);
                else if (r.str != steps[i].loads->sha1())
                    log::error("redis: SCRIPT LOAD returned ", r.str, ", expected ",
                               steps[i].loads->sha1());
                break;
            case step::kind::ping:
                if (!r.is_status("PONG"))
                    co_return "PING: " + (r.is_error() ? r.str : std::string("unexpected reply"));
                break;
        }
    }
    co_return std::string();
}

asio::awaitable<void> connection::impl::serve() {
    session_active = true;
    draining = false;
    set_connected(true);
    helpers_running = 2;
    asio::co_spawn(ex, writer(shared_from_this()), rethrow_unexpected);
    asio::co_spawn(ex, watchdog(shared_from_this()), rethrow_unexpected);
    co_await reader();  // returns once the session has failed
    while (helpers_running > 0) {
        join_timer.expires_at(clock::time_point::max());
        co_await join_timer.async_wait(util::use_tuple);
    }
}

asio::awaitable<void> connection::impl::reader() {
    for (;;) {
        // Decode before the first read too: bytes that arrived with the
        // handshake's last reply are already in the decoder.
        for (;;) {
            auto next = dec.next();
            if (!next) {
                fail_session(error::protocol_error, "protocol error: " + dec.last_error());
                co_return;
            }
            if (!*next) break;  // need more bytes
            if (!deliver(std::move(**next))) {
                fail_session(error::protocol_error, "a reply arrived with no command waiting");
                co_return;
            }
            if (drained()) {
                fail_session(error::connection_lost, "the server answered " + drain_reason +
                                                         ": it is not the primary any more");
                co_return;
            }
        }
        auto [ec, n] = co_await socket.async_read_some(asio::buffer(read_buffer), util::use_tuple);
        if (!session_active) co_return;  // torn down elsewhere; the socket is closed
        if (ec) {
            fail_session(error::connection_lost,
                         ec == asio::error::eof ? "closed by the server" : ec.message());
            co_return;
        }
        dec.feed({read_buffer.data(), n});
    }
}

asio::awaitable<void> connection::impl::writer(std::shared_ptr<impl>) {
    helper_guard guard{*this};
    while (session_active) {
        if (pending.empty()) {
            writer_idle = true;
            wake_timer.expires_at(clock::time_point::max());
            co_await wake_timer.async_wait(util::use_tuple);  // push_waiter() cancels it
            writer_idle = false;
            continue;
        }
        // Everything queued so far goes out in this one write; what is queued
        // while it is in progress accumulates in `pending` for the next.
        writing.swap(pending);
        unsent = 0;
        ++stats.writes;
        auto [ec, n] = co_await asio::async_write(socket, asio::buffer(writing), util::use_tuple);
        writing.clear();  // keeps its capacity for the next swap
        if (ec) {
            fail_session(error::connection_lost, "write failed: " + ec.message());
            co_return;
        }
    }
}

asio::awaitable<void> connection::impl::watchdog(std::shared_ptr<impl>) {
    helper_guard guard{*this};
    // One timer for all commands, set to the earliest deadline. Deadlines
    // mostly grow in FIFO order, but a retried command keeps the deadline of
    // its first attempt.
    while (session_active) {
        const auto now = clock::now();
        const auto earliest = earliest_deadline();
        if (earliest <= now) {
            fail_session(error::timeout,
                         "no reply within " + std::to_string(cfg.command_timeout.count()) + " ms");
            co_return;
        }
        // Idle: any command queued from now on has a deadline after this.
        watchdog_timer.expires_at(waiters.empty() ? now + cfg.command_timeout : earliest);
        co_await watchdog_timer.async_wait(util::use_tuple);
    }
}

}  // namespace customers::redis
