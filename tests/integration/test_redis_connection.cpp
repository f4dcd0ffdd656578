// redis::connection against a real redis-server (one per test, on a free
// port): round trips, pipelining, batches, scripts, AUTH/SELECT, unix sockets.
#include <string>
#include <string_view>
#include <vector>

#include <boost/test/unit_test.hpp>

#include "support/redis_harness.hpp"

namespace {
using namespace customers::test::redis_harness;
using customers::test::redis_server;
using customers::test::run_coro;
}  // namespace

BOOST_AUTO_TEST_SUITE(redis_connection)

BOOST_FIXTURE_TEST_CASE(set_get_roundtrip, redis_fixture) {
    auto& c = io.open(server.url());
    run_coro(io.ioc, [](redis::connection& c) -> asio::awaitable<void> {
        auto set = co_await c.exec(redis::cmd("SET", "greeting", "hello"));
        BOOST_REQUIRE(set.has_value());
        BOOST_TEST(set->is_status("OK"));

        const std::vector<std::string_view> get_args{"GET", "greeting"};
        auto get = co_await c.exec(get_args);
        BOOST_REQUIRE(get.has_value());
        BOOST_TEST((get->kind == redis::reply::type::string));
        BOOST_TEST(get->str == "hello");

        auto missing = co_await c.exec(redis::cmd("GET", "no-such-key"));
        BOOST_REQUIRE(missing.has_value());
        BOOST_TEST(missing->is_nil());

        // A Redis error is a reply, not a transport failure.
        auto wrong = co_await c.exec(redis::cmd("INCR", "greeting"));
        BOOST_REQUIRE(wrong.has_value());
        BOOST_TEST(wrong->is_error());
        BOOST_TEST(c.connected());
    }(c));
    BOOST_TEST(c.stats().connects == 1u);
    BOOST_TEST(c.stats().commands == 4u);
    BOOST_TEST(c.stats().replies == 4u);
    BOOST_TEST(c.stats().timeouts == 0u);
}

BOOST_FIXTURE_TEST_CASE(initializer_list_overload_copies_its_arguments, redis_fixture) {
    auto& c = io.open(server.url());
    // Not awaited within the full expression: the list and the strings are
    // gone before the command is encoded (ASan would flag a dangling read).
    auto op = c.exec({"SET", std::string("early-") + "key", std::string(100, 'v')});
    auto r = run_coro(io.ioc, std::move(op));
    BOOST_REQUIRE(r.has_value());
    BOOST_TEST(r->is_status("OK"));
    BOOST_TEST(server.command({"GET", "early-key"}).str == std::string(100, 'v'));
}

BOOST_FIXTURE_TEST_CASE(ten_thousand_concurrent_commands_are_pipelined, redis_fixture) {
    // About pipelining, not deadlines: 30,000 commands in flight can take
    // longer than the harness' 300 ms deadline on a loaded sanitizer build.
    auto cfg = fast_config(server.url());
    cfg.command_timeout = 20s;
    auto& c = io.open(cfg);
    constexpr int n = 10'000;
    struct tally {
        int done = 0;
        int wrong = 0;
    };
    auto t = std::make_shared<tally>();
    for (int i = 0; i < n; ++i) {
        asio::co_spawn(
            io.ioc,
            [](redis::connection& c, int i, std::shared_ptr<tally> t) -> asio::awaitable<void> {
                const std::string key = "key:" + std::to_string(i), value = std::to_string(i * 7);
                auto incr = co_await c.exec(redis::cmd("INCR", "counter"));
                auto set = co_await c.exec(redis::cmd("SET", key, value));
                auto get = co_await c.exec(redis::cmd("GET", key));
                const bool ok = incr && incr->kind == redis::reply::type::integer && set &&
                                set->is_status("OK") && get && get->str == value;
                if (!ok) ++t->wrong;
                ++t->done;
            }(c, i, t),
            asio::detached);
    }
    BOOST_REQUIRE(run_coro(io.ioc, eventually([t] { return t->done == n; }, 60s), 65s));
    BOOST_TEST(t->wrong == 0);
    BOOST_TEST(run_coro(io.ioc, get_string(c, "counter")) == std::to_string(n));

    const auto& s = c.stats();
    BOOST_TEST(s.commands == 3u * n + 1);
    BOOST_TEST(s.replies == s.commands);
    BOOST_TEST_MESSAGE("commands " << s.commands << ", writes " << s.writes);
    BOOST_TEST(s.writes * 10 < s.commands);  // many commands per write
    BOOST_TEST(s.timeouts == 0u);
}

BOOST_FIXTURE_TEST_CASE(exec_batch_returns_replies_in_order, redis_fixture) {
    auto& c = io.open(server.url());
    run_coro(io.ioc, [](redis::connection& c) -> asio::awaitable<void> {
        const std::vector<std::vector<std::string_view>> batch{
            {"SET", "n", "10"}, {"INCR", "n"},
            {"GET", "n"},       {"LPUSH", "n", "x"},  // WRONGTYPE: an error reply in the middle
            {"GET", "absent"},  {"INCRBY", "n", "5"}};
        const auto writes_before = c.stats().writes;
        auto replies = co_await c.exec_batch(batch);
        BOOST_REQUIRE(replies.has_value());
        BOOST_REQUIRE_EQUAL(replies->size(), batch.size());
        const auto& r = *replies;
        BOOST_TEST(r[0].is_status("OK"));
        BOOST_TEST(r[1].integer == 11);
        BOOST_TEST(r[2].str == "11");
        BOOST_TEST(r[3].is_error());
        BOOST_TEST(r[3].str.starts_with("WRONGTYPE"));
        BOOST_TEST(r[4].is_nil());
        BOOST_TEST(r[5].integer == 16);
        BOOST_TEST(c.stats().writes - writes_before == 1u);  // the batch went out in one write

        auto none = co_await c.exec_batch({});
        BOOST_REQUIRE(none.has_value());
        BOOST_TEST(none->empty());

        // An empty command would get no reply from Redis: refused up front,
        // and the connection stays usable.
        const std::vector<std::vector<std::string_view>> with_empty{{"PING"}, {}};
        BOOST_CHECK_THROW(co_await c.exec_batch(with_empty), std::invalid_argument);
        BOOST_CHECK_THROW(co_await c.exec(std::span<const std::string_view>()),
                          std::invalid_argument);
        auto pong = co_await c.exec(redis::cmd("PING"));
        BOOST_REQUIRE(pong.has_value());
        BOOST_TEST(pong->is_status("PONG"));
    }(c));
}

BOOST_FIXTURE_TEST_CASE(noscript_after_script_flush_is_handled, redis_fixture) {
    const redis::script registered("return ARGV[1] .. '!'");
    const redis::script unregistered("return #KEYS");
    const redis::script broken("return +");
    auto& c = io.open(server.url(), {&registered});

    run_coro(
        io.ioc,
        [](redis::connection& c, redis_server& server, const redis::script& registered,
           const redis::script& unregistered,
           const redis::script& broken) -> asio::awaitable<void> {
            const std::vector<std::string_view> args{"hi"};
            auto r = co_await c.eval(registered, {}, args);
            BOOST_REQUIRE(r.has_value());
            BOOST_TEST(r->str == "hi!");

            BOOST_TEST(server.command({"SCRIPT", "FLUSH"}).is_status("OK"));
            BOOST_TEST(
                server.command({"SCRIPT", "EXISTS", registered.sha1()}).elements.at(0).integer ==
                0);
            const auto commands_before = c.stats().commands;
            r = co_await c.eval(registered, {}, args);
            BOOST_REQUIRE(r.has_value());
            BOOST_TEST(r->str == "hi!");
            // EVALSHA (NOSCRIPT), then SCRIPT LOAD + EVALSHA.
            BOOST_TEST(c.stats().commands - commands_before == 3u);
            BOOST_TEST(
                server.command({"SCRIPT", "EXISTS", registered.sha1()}).elements.at(0).integer ==
                1);

            // Never registered: loaded on first use.
            const std::vector<std::string_view> keys{"a", "b", "c"};
            r = co_await c.eval(unregistered, keys, {});
            BOOST_REQUIRE(r.has_value());
            BOOST_TEST(r->integer == 3);

            // Does not compile: the SCRIPT LOAD error comes back, once.
            r = co_await c.eval(broken, {}, {});
            BOOST_REQUIRE(r.has_value());
            BOOST_TEST(r->is_error());
            BOOST_TEST_MESSAGE("broken script: " << r->str);
            BOOST_TEST(c.connected());
        }(c, server, registered, unregistered, broken));
}

BOOST_AUTO_TEST_CASE(auth_and_select) {
    redis_server server({"--requirepass", "s3cret"});
    connections io;
    const std::string host = "127.0.0.1:" + std::to_string(server.port());

    auto& by_password = io.open("redis://:s3cret@" + host + "/3");
    auto& by_user = io.open("redis://default:s3cret@" + host + "/5");
    run_coro(io.ioc, [](redis::connection& a, redis::connection& b) -> asio::awaitable<void> {
        auto r = co_await a.exec(redis::cmd("SET", "where", "three"));
        BOOST_REQUIRE(r.has_value());
        BOOST_TEST(r->is_status("OK"));
        r = co_await b.exec(redis::cmd("SET", "where", "five"));
        BOOST_REQUIRE(r.has_value());
        BOOST_TEST(r->is_status("OK"));
    }(by_password, by_user));
    BOOST_TEST(server.command({"GET", "where"}, 3).str == "three");
    BOOST_TEST(server.command({"GET", "where"}, 5).str == "five");
    BOOST_TEST(server.command({"GET", "where"}, 0).is_nil());

    // Wrong password, or none: never connected, and commands fail fast.
    auto& wrong = io.open("redis://:nope@" + host, {}, false);
    auto& anonymous = io.open("redis://" + host, {}, false);
    run_coro(io.ioc,
             [](redis::connection& wrong, redis::connection& anonymous) -> asio::awaitable<void> {
                 co_await sleep_for(300ms);
                 BOOST_TEST(!wrong.connected());
                 BOOST_TEST(!anonymous.connected());
                 BOOST_TEST(wrong.stats().connects == 0u);
                 BOOST_TEST(anonymous.stats().connects == 0u);
                 auto r = co_await wrong.exec(redis::cmd("PING"));
                 BOOST_TEST((!r.has_value() && r.error() == code(redis::error::not_connected)));
             }(wrong, anonymous));
}

BOOST_FIXTURE_TEST_CASE(unix_socket_url, redis_fixture) {
    auto& c = io.open(server.unix_url() + "?db=2");
    BOOST_TEST(c.stats().connects == 1u);
    run_coro(io.ioc, [](redis::connection& c) -> asio::awaitable<void> {
        auto r = co_await c.exec(redis::cmd("SET", "via", "unix"));
        BOOST_REQUIRE(r.has_value());
        BOOST_TEST(r->is_status("OK"));
        BOOST_TEST(co_await get_string(c, "via") == "unix");
    }(c));
    BOOST_TEST(server.command({"GET", "via"}, 2).str == "unix");
    BOOST_TEST(server.command({"GET", "via"}, 0).is_nil());
}

BOOST_AUTO_TEST_SUITE_END()
