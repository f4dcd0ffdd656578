#pragma once
// Private state of redis::connection, shared by connection.cpp (the public
// API, submitting and retrying commands), connection_queue.cpp (the waiter
// queue) and connection_run.cpp (connect, handshake, reader, writer,
// watchdog, reconnect). Everything here runs on one executor, so nothing is
// locked.

#include <array>
#include <chrono>
#include <cstddef>
#include <deque>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include <boost/asio/any_completion_handler.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/generic/stream_protocol.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>

#include "customers/redis/codec.hpp"
#include "customers/redis/connection.hpp"

namespace customers::redis {

struct connection::impl : std::enable_shared_from_this<connection::impl> {
    using clock = std::chrono::steady_clock;
    using wait_handler = boost::asio::any_completion_handler<void(boost::system::error_code)>;

    // One exec() or exec_batch() call waiting for `expected` replies. They are
    // stored straight into the caller's coroutine frame (`out`), which stays
    // alive as long as `handler` does: the handler owns the suspended frame.
    struct waiter {
        wait_handler handler;
        reply* out;
        std::size_t expected;
        std::size_t received;
        clock::time_point deadline;
    };

    impl(boost::asio::any_io_executor executor, connection_config config);

    // Tells serve() when the writer and the watchdog have both ended, so the
    // socket is never reopened under an operation of the previous session.
    struct helper_guard {
        impl& self;
        ~helper_guard();
    };

    // --- connection.cpp: submitting commands ----------------------------
    // Queues the commands `encode` appends to `pending` and suspends until
    // `count` replies are stored in out[0..count) or the waiter fails.
    template <typename Encode>
    auto async_submit(reply* out, std::size_t count, clock::time_point deadline, Encode encode);
    // Sends out.size() commands (encode(buffer, first) appends commands
    // [first, out.size())) and stores their replies in `out`; sends a
    // retryable tail again (reply_policy.hpp) while the deadline allows.
    template <typename Encode>
    boost::asio::awaitable<boost::system::error_code> submit_with_retries(std::span<reply> out,
                                                                          Encode encode);

    // --- connection_queue.cpp: the waiter queue -------------------------
    // Why a command cannot be queued right now (empty: it can).
    boost::system::error_code refusal() const noexcept;
    void push_waiter(wait_handler handler, reply* out, std::size_t count,
                     clock::time_point deadline);
    // Hands one reply to the oldest written waiter; false if there is none.
    // A reply saying the server is not the primary starts draining.
    bool deliver(reply r);
    // No new commands; the session ends once the ones in flight are answered.
    void start_draining(std::string_view code);
    // The session has drained: end it (the run loop reconnects).
    bool drained() const noexcept { return draining && waiters.empty(); }
    // The earliest deadline among the waiters (retries make them unordered).
    clock::time_point earliest_deadline() const noexcept;
    // Completes through a post, never inline: resuming the caller from
    // inside the reader's loop would let it re-enter the queue mid-update.
    void complete(wait_handler handler, boost::system::error_code ec);
    // Fails every waiter: written ones with `sent`, the rest with `unsent`.
    void fail_waiters(error sent, error unsent);
    // Ends the live session (idempotent): closes the socket, wakes the
    // helpers, fails all waiters. The run loop then reconnects.
    void fail_session(error reason, std::string_view detail);
    // Counts a round trip that was queued at `sent`: its duration, and each
    // command's result (the replies when ec is clear).
    void record(clock::time_point sent, boost::system::error_code ec,
                std::span<const reply> replies) noexcept;
    // Every change of `connected` goes through here, for the gauge.
    void set_connected(bool up) noexcept;
    void stop();

    // --- connection_run.cpp: the run loop -------------------------------
    // `keep_alive` holds this object for as long as the coroutine runs.
    boost::asio::awaitable<void> run(std::shared_ptr<impl> keep_alive);
    boost::asio::awaitable<bool> connect();
    boost::asio::awaitable<std::string> open_socket();
    boost::asio::awaitable<std::string> handshake();
    void arm_connect_deadline();
    boost::asio::awaitable<void> serve();
    boost::asio::awaitable<void> reader();
    boost::asio::awaitable<void> writer(std::shared_ptr<impl> keep_alive);
    boost::asio::awaitable<void> watchdog(std::shared_ptr<impl> keep_alive);

    boost::asio::any_io_executor ex;
    connection_config cfg;
    std::string where;         // cfg.where.redacted(), for logs
    std::string last_failure;  // of the previous connect attempt, to log changes only

    boost::asio::generic::stream_protocol::socket socket;
    boost::asio::ip::tcp::resolver resolver;
    boost::asio::steady_timer connect_timer;   // connect + handshake deadline
    boost::asio::steady_timer backoff_timer;   // pause between reconnects
    boost::asio::steady_timer wake_timer;      // condition variable: bytes to write
    boost::asio::steady_timer watchdog_timer;  // deadline of the oldest waiter
    boost::asio::steady_timer join_timer;      // condition variable: helpers ended

    decoder dec;
    std::array<char, 64 * 1024> read_buffer;
    std::string pending;  // encoded commands not yet handed to async_write
    std::string writing;  // the buffer of the async_write in progress
    std::deque<waiter> waiters;
    std::size_t unsent = 0;  // trailing waiters whose bytes are still in `pending`
    std::vector<const script*> scripts;

    bool started = false;
    bool stopping = false;
    bool connected = false;       // handshake done and session healthy
    bool session_active = false;  // reader/writer/watchdog should keep going
    bool writer_idle = false;     // the writer waits on wake_timer
    bool draining = false;        // the server is no longer the primary: finish, reconnect
    std::string drain_reason;     // the error code that started draining
    bool connecting = false;
    bool connect_timed_out = false;
    std::uint64_t connect_attempt = 0;
    int helpers_running = 0;  // writer + watchdog of the current session
    connection_stats stats;
    obs::redis_metrics metrics;  // written here, read by the metrics scrape
};

}  // namespace customers::redis
