// util::keep_running: a coroutine ended by an exception is run again (the
// accept loops of the server run under it), one that returns is not.

#include "customers/util/keep_running.hpp"

#include <stdexcept>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>
#include <boost/test/unit_test.hpp>

using namespace customers;
using namespace std::chrono_literals;

namespace {

// Runs keep_running on a fresh io_context; true if it completed normally.
bool run(std::function<boost::asio::awaitable<void>()> body, std::function<bool()> again) {
    boost::asio::io_context ioc;
    auto done = boost::asio::co_spawn(
        ioc, util::keep_running("test loop", std::move(body), std::move(again), 1ms),
        boost::asio::use_future);
    ioc.run();
    try {
        done.get();
        return true;
    } catch (...) {
        return false;
    }
}

}  // namespace

BOOST_AUTO_TEST_SUITE(keep_running)

BOOST_AUTO_TEST_CASE(a_failed_body_runs_again_until_it_returns) {
    int runs = 0;
    const bool completed = run(
        [&]() -> boost::asio::awaitable<void> {
            if (++runs < 3) throw std::runtime_error("accept failed badly");
            co_return;
        },
        [] { return true; });
    BOOST_TEST(completed);
    BOOST_TEST(runs == 3);
}

BOOST_AUTO_TEST_CASE(a_body_that_returns_is_not_run_again) {
    int runs = 0;
    BOOST_TEST(run(
        [&]() -> boost::asio::awaitable<void> {
            ++runs;
            co_return;
        },
        [] { return true; }));
    BOOST_TEST(runs == 1);
}

BOOST_AUTO_TEST_CASE(no_restart_once_again_says_no) {
    int runs = 0;
    const bool completed = run(
        [&]() -> boost::asio::awaitable<void> {
            ++runs;
            throw 42;  // not even a std::exception
            co_return;
        },
        [&] { return runs < 2; });
    BOOST_TEST(completed);
    BOOST_TEST(runs == 2);
}

BOOST_AUTO_TEST_SUITE_END()
