#include "customers/util/keep_running.hpp"

#include <exception>

#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>

#include "customers/util/exception_message.hpp"
#include "customers/util/log.hpp"
#include "customers/util/use_tuple.hpp"

namespace customers::util {

boost::asio::awaitable<void> keep_running(std::string what,
                                          std::function<boost::asio::awaitable<void>()> body,
                                          std::function<bool()> again,
                                          std::chrono::milliseconds pause) {
    boost::asio::steady_timer timer(co_await boost::asio::this_coro::executor);
    for (;;) {
        std::string failure;
        try {
            co_await body();
            co_return;
        } catch (...) {
            failure = exception_message(std::current_exception());
        }
        if (!again()) co_return;
        log::error(what, " ended by an exception: ", failure, "; restarting it in ", pause.count(),
                   " ms");
        timer.expires_after(pause);
        co_await timer.async_wait(use_tuple);
        if (!again()) co_return;
    }
}

}  // namespace customers::util
