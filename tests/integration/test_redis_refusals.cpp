// redis::connection when Redis refuses a command without running it: BUSY
// while a script runs past busy-reply-threshold. An endless script held by
// the test (and ended with SCRIPT KILL) makes the refusal last exactly as
// long as the test wants, with no timing involved.
#include <string>
#include <thread>

#include <boost/test/unit_test.hpp>

#include "customers/redis/reply_policy.hpp"
#include "support/redis_harness.hpp"

namespace {
using namespace customers::test::redis_harness;
using customers::test::redis_server;
using customers::test::run_coro;

struct busy_fixture {
    redis_server server{{"--busy-reply-threshold", "10"}};
    connections io;
    std::thread script;

    ~busy_fixture() {
        if (!script.joinable()) return;
        try {
            end_script();
        } catch (...) {
        }
    }

    // Returns once Redis answers BUSY to everyone else.
    void start_endless_script() {
        // The synchronous client gives up after its 1 s timeout; the script
        // runs on in Redis until SCRIPT KILL.
        script = std::thread([this] {
            try {
                server.command({"EVAL", "while true do end", "0"});
            } catch (const std::exception&) {
            }
        });
        for (int i = 0; i < 500; ++i) {
            const auto probe = server.command({"GET", "probe"});
            if (redis::error_code_of(probe) == "BUSY") return;
            std::this_thread::sleep_for(10ms);
        }
        BOOST_FAIL("Redis never answered BUSY");
    }

    void end_script() {
        BOOST_REQUIRE(server.command({"SCRIPT", "KILL"}).is_status("OK"));
        script.join();
    }
};

}  // namespace

BOOST_AUTO_TEST_SUITE(redis_refusals)

BOOST_FIXTURE_TEST_CASE(busy_commands_are_sent_again_until_the_script_ends, busy_fixture) {
    auto cfg = fast_config(server.url());
    cfg.command_timeout = 30s;  // the refusal, not the deadline, is under test
    auto& c = io.open(cfg);
    start_endless_script();

    auto single = spawn_exec(io.ioc, c, {"SET", "k", "v"});
    auto batch = std::make_shared<boost::system::result<std::vector<redis::reply>>>();
    bool batch_done = false;
    asio::co_spawn(
        io.ioc,
        [](redis::connection& c, auto out, bool& done) -> asio::awaitable<void> {
            const std::vector<std::vector<std::string_view>> cmds{{"INCR", "n"}, {"GET", "n"}};
            *out = co_await c.exec_batch(cmds);
            done = true;
        }(c, batch, batch_done),
        asio::detached);

    run_coro(io.ioc, eventually([&c] { return c.stats().retries >= 6; }, 10s), 15s);
    BOOST_REQUIRE(c.stats().retries >= 6u);
    BOOST_TEST(!single->done);
    BOOST_TEST(!batch_done);

    end_script();
    BOOST_REQUIRE(run_coro(io.ioc, eventually([&] { return single->done && batch_done; }, 10s)));
    BOOST_REQUIRE(single->result.has_value());
    BOOST_TEST(single->result->is_status("OK"));
    BOOST_REQUIRE(batch->has_value());
    BOOST_TEST((**batch)[0].integer == 1);  // run once, though refused many times
    BOOST_TEST((**batch)[1].str == "1");
    BOOST_TEST(server.command({"GET", "k"}).str == "v");
    BOOST_TEST(c.connected());
    BOOST_TEST(c.stats().timeouts == 0u);
    BOOST_TEST(c.stats().failovers == 0u);
}

BOOST_FIXTURE_TEST_CASE(busy_past_the_deadline_returns_the_refusal, busy_fixture) {
    auto& c = io.open(server.url());  // command_timeout: 300 ms
    start_endless_script();
    auto r = run_coro(
        io.ioc, [](redis::connection& c) -> asio::awaitable<boost::system::result<redis::reply>> {
            co_return co_await c.exec(redis::cmd("GET", "k"));
        }(c));
    // The caller gets Redis' answer (the store turns it into a 503), within
    // the deadline: no timeout, and the connection stays.
    BOOST_REQUIRE(r.has_value());
    BOOST_TEST(redis::error_code_of(*r) == "BUSY");
    BOOST_TEST(c.stats().retries >= 1u);
    BOOST_TEST(c.stats().timeouts == 0u);
    BOOST_TEST(c.connected());

    end_script();
    r = run_coro(io.ioc,
                 [](redis::connection& c) -> asio::awaitable<boost::system::result<redis::reply>> {
                     co_return co_await c.exec(redis::cmd("GET", "k"));
                 }(c));
    BOOST_REQUIRE(r.has_value());
    BOOST_TEST(r->is_nil());
}

BOOST_AUTO_TEST_SUITE_END()
