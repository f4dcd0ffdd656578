#pragma once
// One long-lived, pipelined Redis connection, used from coroutines on a
// single executor (one per I/O thread; not thread-safe by design).
//
// Asio does the socket I/O; hiredis is the RESP codec (redisFormatCommandArgv
// to encode, redisReader to decode). Commands issued during one turn of the
// event loop are appended to one buffer and go out in one write; replies are
// matched to waiters in order. A run loop owns connect, AUTH/SELECT, SCRIPT
// LOAD, and reconnect with exponential backoff. While disconnected, exec()
// fails fast with error::not_connected. When the oldest in-flight command
// passes its deadline the connection is torn down: every waiter completes
// with error::timeout and the run loop reconnects.
//
// The connection wants the primary: a server whose ROLE is replica is refused
// at connect time (and retried with backoff), since reads from a replica lag
// the writes this process just made, and writes fail there anyway. A server
// that stops being the primary while connected answers READONLY/MASTERDOWN:
// that reply is delivered, the commands already in flight get their replies,
// then the connection reconnects, resolving the address again (it may point
// at the new primary now). Commands the server refused without running them
// (LOADING, BUSY, TRYAGAIN) are sent again after a short backoff while their
// deadline allows; a command that may have run is never sent twice. See
// reply_policy.hpp.

#include <array>
#include <chrono>
#include <cstdint>
#include <initializer_list>
#include <memory>
#include <span>
#include <string_view>
#include <vector>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/system/result.hpp>

#include "customers/obs/redis_metrics.hpp"
#include "customers/redis/error.hpp"
#include "customers/redis/reply.hpp"
#include "customers/redis/script.hpp"
#include "customers/redis/url.hpp"

namespace customers::redis {

struct connection_config {
    endpoint where;
    std::chrono::milliseconds command_timeout{1'000};
    std::chrono::milliseconds connect_timeout{1'000};
    std::chrono::milliseconds reconnect_min{50};
    std::chrono::milliseconds reconnect_max{2'000};
    // Pause before sending a refused (LOADING, BUSY, TRYAGAIN) command again,
    // doubled after each refusal up to the max, within the command deadline.
    std::chrono::milliseconds retry_backoff_min{5};
    std::chrono::milliseconds retry_backoff_max{100};
};

struct connection_stats {
    std::uint64_t commands = 0;         // commands written
    std::uint64_t writes = 0;           // socket write operations
    std::uint64_t replies = 0;          // replies matched to commands
    std::uint64_t connects = 0;         // successful (re)connects
    std::uint64_t timeouts = 0;         // connections torn down by a deadline
    std::uint64_t failed_connects = 0;  // connect attempts that did not give a session
    std::uint64_t retries = 0;          // commands sent again after LOADING/BUSY/TRYAGAIN
    std::uint64_t failovers = 0;        // sessions ended by READONLY/MASTERDOWN (not the primary)
};

// Command arguments as a std::array, for exec():
//     co_await conn.exec(redis::cmd("HGETALL", key));
// GCC 12 rejects a braced list inside a co_await expression ("array used as
// initializer"), so `co_await conn.exec({"GET", key})` does not compile there.
// The views refer to the arguments, which live until the end of the full
// expression that contains the co_await.
template <typename... Args>
std::array<std::string_view, sizeof...(Args)> cmd(const Args&... args) {
    return {std::string_view(args)...};
}

class connection {
  public:
    connection(boost::asio::any_io_executor ex, connection_config cfg);
    ~connection();
    connection(const connection&) = delete;
    connection& operator=(const connection&) = delete;

    // Starts the run loop (connect, reconnect). Returns at once.
    void start();
    // Stops the run loop and fails every waiter with error::shutting_down.
    void stop();

    // Loaded on every (re)connect. The script must outlive the connection.
    void add_script(const script& s);

    bool connected() const noexcept;
    const connection_stats& stats() const noexcept;
    // Commands by result, round-trip latency, connected: for the metrics
    // scrape, from any thread.
    const obs::redis_metrics& metrics() const noexcept;

    // One command; the arguments are copied (encoded) before this suspends.
    // The initializer_list overload copies its arguments at once, so its
    // awaitable may be awaited later (it cannot be used inside a co_await
    // expression with GCC 12; see cmd()).
    boost::asio::awaitable<boost::system::result<reply>> exec(
        std::initializer_list<std::string_view> args);
    boost::asio::awaitable<boost::system::result<reply>> exec(
        std::span<const std::string_view> args);

    // Several commands written together; replies in the same order. Fails as
    // a whole on a transport error.
    boost::asio::awaitable<boost::system::result<std::vector<reply>>> exec_batch(
        std::span<const std::vector<std::string_view>> commands);

    // EVALSHA; after a NOSCRIPT reply, SCRIPT LOAD and EVALSHA once more.
    boost::asio::awaitable<boost::system::result<reply>> eval(
        const script& s, std::span<const std::string_view> keys,
        std::span<const std::string_view> args);

  private:
    struct impl;
    std::shared_ptr<impl> impl_;  // shared with the run loop's coroutines
};

}  // namespace customers::redis
