#pragma once
// Runs one coroutine to completion on an io_context from a synchronous test
// body. Other work on the context (a connection's run loop, say) keeps going
// while it runs and stays queued afterwards; the context is not drained.

#include <chrono>
#include <exception>
#include <memory>
#include <optional>
#include <string>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/test/unit_test.hpp>

namespace customers::test {

namespace detail {

// Shared with the completion handler: after a timeout the coroutine may still
// finish later (e.g. while a fixture drains the context), so it must not
// write into the stack of a run_coro call that has already returned.
template <class T>
struct coro_state {
    bool done = false;
    std::exception_ptr error;
    std::optional<T> value;
};
template <>
struct coro_state<void> {
    bool done = false;
    std::exception_ptr error;
};

template <class State>
void run_until_done(boost::asio::io_context& ioc, const State& state,
                    std::chrono::milliseconds timeout) {
    ioc.restart();  // a previous run() may have left it stopped
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (!state->done) {
        if (ioc.run_one_until(deadline) == 0 && !state->done) {
            if (std::chrono::steady_clock::now() >= deadline)
                BOOST_FAIL("run_coro: the coroutine did not finish within " +
                           std::to_string(timeout.count()) + " ms");
            if (ioc.stopped()) BOOST_FAIL("run_coro: the io_context ran out of work");
        }
    }
    if (state->error) std::rethrow_exception(state->error);
}

}  // namespace detail

template <class T>
T run_coro(boost::asio::io_context& ioc, boost::asio::awaitable<T> coro,
           std::chrono::milliseconds timeout = std::chrono::seconds(10)) {
    auto state = std::make_shared<detail::coro_state<T>>();
    boost::asio::co_spawn(ioc, std::move(coro), [state](std::exception_ptr e, T value) {
        state->done = true;
        state->error = e;
        if (!e) state->value.emplace(std::move(value));
    });
    detail::run_until_done(ioc, state, timeout);
    return std::move(*state->value);
}

inline void run_coro(boost::asio::io_context& ioc, boost::asio::awaitable<void> coro,
                     std::chrono::milliseconds timeout = std::chrono::seconds(10)) {
    auto state = std::make_shared<detail::coro_state<void>>();
    boost::asio::co_spawn(ioc, std::move(coro), [state](std::exception_ptr e) {
        state->done = true;
        state->error = e;
    });
    detail::run_until_done(ioc, state, timeout);
}

}  // namespace customers::test
