// redis::connection when things go wrong: Redis killed, paused, restarted;
// stop() with commands in flight; nothing listening; garbage on the wire.
// Timeouts are short (see redis_harness.hpp) so these run quickly.
#include <algorithm>
#include <array>
#include <string>
#include <string_view>
#include <vector>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/write.hpp>
#include <boost/test/unit_test.hpp>

#include "support/redis_harness.hpp"

namespace {
using namespace customers::test::redis_harness;
using customers::test::redis_server;
using customers::test::run_coro;

// A scripted stand-in for Redis: answers the handshake's ROLE (a primary)
// and PING, then answers the first command with `answer`, then waits for
// the client to hang up.
asio::awaitable<void> fake_redis(asio::ip::tcp::acceptor& acceptor, std::string answer) {
    auto socket = co_await acceptor.async_accept(asio::use_awaitable);
    std::array<char, 4096> buf;
    co_await socket.async_read_some(asio::buffer(buf), asio::use_awaitable);
    co_await asio::async_write(
        socket, asio::buffer(std::string_view("*3\r\n$6\r\nmaster\r\n:0\r\n*0\r\n+PONG\r\n")),
        asio::use_awaitable);
    co_await socket.async_read_some(asio::buffer(buf), asio::use_awaitable);
    co_await asio::async_write(socket, asio::buffer(answer), asio::use_awaitable);
    for (;;) {
        auto [ec, n] =
            co_await socket.async_read_some(asio::buffer(buf), asio::as_tuple(asio::use_awaitable));
        if (ec) co_return;
    }
}

}  // namespace

BOOST_AUTO_TEST_SUITE(redis_connection_failures)

BOOST_FIXTURE_TEST_CASE(redis_stopped_fails_commands_within_the_deadline, redis_fixture) {
    auto& c = io.open(server.url());
    run_coro(
        io.ioc,
        [](asio::io_context& ioc, redis::connection& c,
           redis_server& server) -> asio::awaitable<void> {
            // In flight when Redis dies: BLPOP blocks inside the server.
            auto blocked = spawn_exec(ioc, c, {"BLPOP", "empty-list", "10"});
            co_await sleep_for(50ms);
            BOOST_REQUIRE(!blocked->done);
            server.stop();
            // Queued before the connection has noticed.
            auto late = spawn_exec(ioc, c, {"GET", "k"});

            BOOST_REQUIRE(co_await eventually([&] { return blocked->done && late->done; }, 2s));
            BOOST_TEST(blocked->error() == code(redis::error::connection_lost));
            BOOST_TEST(blocked->elapsed.count() <= (command_timeout + margin).count());
            // Depending on which the loop saw first, the write or the hang-up.
            BOOST_TEST((late->error() == code(redis::error::connection_lost) ||
                        late->error() == code(redis::error::not_connected)),
                       "late: " << late->error());
            BOOST_TEST(late->elapsed.count() <= (command_timeout + margin).count());

            BOOST_TEST(co_await eventually([&] { return !c.connected(); }, 1s));
            // While disconnected: fail fast, no waiting for a deadline.
            const auto start = clock_type::now();
            auto r = co_await c.exec(redis::cmd("GET", "k"));
            BOOST_REQUIRE(!r.has_value());
            BOOST_TEST(r.error() == code(redis::error::not_connected));
            const std::vector<std::vector<std::string_view>> ping{{"PING"}};
            auto b = co_await c.exec_batch(ping);
            BOOST_REQUIRE(!b.has_value());
            BOOST_TEST(b.error() == code(redis::error::not_connected));
            BOOST_TEST(since(start).count() < 50);
        }(io.ioc, c, server));
}

BOOST_FIXTURE_TEST_CASE(paused_redis_times_out_then_recovers, redis_fixture) {
    auto& c = io.open(server.url());
    run_coro(io.ioc,
             [](asio::io_context& ioc, redis::connection& c,
                redis_server& server) -> asio::awaitable<void> {
                 server.pause();
                 std::vector<std::shared_ptr<outcome>> outcomes;
                 for (int i = 0; i < 5; ++i) outcomes.push_back(spawn_exec(ioc, c, {"GET", "k"}));
                 BOOST_REQUIRE(co_await eventually(
                     [&] { return std::ranges::all_of(outcomes, [](auto& o) { return o->done; }); },
                     3s));
                 for (const auto& o : outcomes) {
                     BOOST_TEST(o->error() == code(redis::error::timeout));
                     BOOST_TEST(o->elapsed.count() >=
                                command_timeout.count());  // not before the deadline...
                     BOOST_TEST(o->elapsed.count() <=
                                (command_timeout + margin).count());  // ...nor much after
                 }
                 BOOST_TEST(c.stats().timeouts >= 1u);
                 BOOST_TEST(!c.connected());

                 // Reconnects reach the kernel's backlog but get no PONG: no session.
                 co_await sleep_for(400ms);
                 BOOST_TEST(!c.connected());
                 auto r = co_await c.exec(redis::cmd("GET", "k"));
                 BOOST_TEST((!r.has_value() && r.error() == code(redis::error::not_connected)));

                 server.resume();
                 BOOST_REQUIRE(co_await eventually([&] { return c.connected(); }, 5s));
                 auto set = co_await c.exec(redis::cmd("SET", "k", "back"));
                 BOOST_REQUIRE(set.has_value());
                 BOOST_TEST(set->is_status("OK"));
                 BOOST_TEST(c.stats().connects >= 2u);
             }(io.ioc, c, server));
}

BOOST_FIXTURE_TEST_CASE(restarted_redis_recovers_and_reloads_scripts, redis_fixture) {
    const redis::script incrby("return redis.call('INCRBY', KEYS[1], ARGV[1])");
    auto& c = io.open(server.url(), {&incrby});
    BOOST_TEST(server.command({"SCRIPT", "EXISTS", incrby.sha1()}).elements.at(0).integer == 1);

    run_coro(
        io.ioc,
        [](redis::connection& c, redis_server& server,
           const redis::script& incrby) -> asio::awaitable<void> {
            const std::vector<std::string_view> keys{"total"}, args{"5"};
            auto first = co_await c.eval(incrby, keys, args);
            BOOST_REQUIRE(first.has_value());
            BOOST_TEST(first->integer == 5);

            server.stop();
            server.start();  // same port, empty dataset, empty script cache
            const auto start = clock_type::now();
            BOOST_REQUIRE(
                co_await eventually([&] { return c.connected() && c.stats().connects >= 2; }, 5s));
            BOOST_TEST_MESSAGE("reconnected after " << since(start).count() << " ms");

            // Loaded by the reconnect itself, before any EVALSHA could miss it.
            BOOST_TEST(server.command({"SCRIPT", "EXISTS", incrby.sha1()}).elements.at(0).integer ==
                       1);
            const auto commands_before = c.stats().commands;
            auto again = co_await c.eval(incrby, keys, args);
            BOOST_REQUIRE(again.has_value());
            BOOST_TEST(again->integer == 5);                         // a fresh dataset
            BOOST_TEST(c.stats().commands - commands_before == 1u);  // no NOSCRIPT round trip
        }(c, server, incrby));
}

BOOST_FIXTURE_TEST_CASE(stop_completes_waiters_and_destruction_is_clean, redis_fixture) {
    auto& c = io.open(server.url());
    server.pause();  // so the commands stay in flight
    std::vector<std::shared_ptr<outcome>> outcomes;
    for (int i = 0; i < 3; ++i) outcomes.push_back(spawn_exec(io.ioc, c, {"GET", "k"}));
    run_coro(io.ioc,
             [](redis::connection& c,
                std::vector<std::shared_ptr<outcome>> outcomes) -> asio::awaitable<void> {
                 co_await sleep_for(50ms);
                 for (const auto& o : outcomes) BOOST_REQUIRE(!o->done);
                 c.stop();
                 BOOST_TEST(!c.connected());
                 BOOST_REQUIRE(co_await eventually(
                     [&] { return std::ranges::all_of(outcomes, [](auto& o) { return o->done; }); },
                     1s));
                 for (const auto& o : outcomes) {
                     BOOST_TEST(o->error() == code(redis::error::shutting_down));
                     BOOST_TEST(o->elapsed.count() <
                                command_timeout.count());  // not left to the deadline
                 }
                 auto r = co_await c.exec(redis::cmd("GET", "k"));
                 BOOST_TEST((!r.has_value() && r.error() == code(redis::error::shutting_down)));
                 c.start();  // a stopped connection stays stopped
                 co_await sleep_for(100ms);
                 BOOST_TEST(!c.connected());
             }(c, outcomes));
    server.resume();
    io.destroy(c);  // checks that the context runs dry
}

BOOST_AUTO_TEST_CASE(unreachable_redis_fails_fast) {
    connections io;
    // Nothing listens there (it was free a moment ago).
    auto& c =
        io.open("redis://127.0.0.1:" + std::to_string(customers::test::free_port()), {}, false);
    run_coro(io.ioc, [](redis::connection& c) -> asio::awaitable<void> {
        co_await sleep_for(100ms);
        BOOST_TEST(!c.connected());
        const auto start = clock_type::now();
        auto r = co_await c.exec(redis::cmd("PING"));
        BOOST_REQUIRE(!r.has_value());
        BOOST_TEST(r.error() == code(redis::error::not_connected));
        BOOST_TEST(since(start).count() < 50);
        BOOST_TEST(c.stats().connects == 0u);
    }(c));
}

BOOST_AUTO_TEST_CASE(malformed_reply_is_a_protocol_error) {
    connections io;
    asio::ip::tcp::acceptor acceptor(io.ioc, {asio::ip::make_address("127.0.0.1"), 0});
    bool fake_done = false;
    asio::co_spawn(io.ioc, fake_redis(acceptor, "!not-resp\r\n"),
                   [&fake_done](std::exception_ptr) { fake_done = true; });

    auto& c = io.open("redis://127.0.0.1:" + std::to_string(acceptor.local_endpoint().port()));
    auto r = run_coro(
        io.ioc, [](redis::connection& c) -> asio::awaitable<boost::system::result<redis::reply>> {
            co_return co_await c.exec(redis::cmd("GET", "k"));
        }(c));
    BOOST_REQUIRE(!r.has_value());
    BOOST_TEST(r.error() == code(redis::error::protocol_error));
    BOOST_TEST(!c.connected());
    BOOST_TEST(run_coro(io.ioc, eventually([&fake_done] { return fake_done; }, 2s)));
    acceptor.close();
}

BOOST_AUTO_TEST_SUITE_END()
