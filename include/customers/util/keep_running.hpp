#pragma once
// Runs a long-lived coroutine again when an exception ends it. Spawned with
// asio::detached, such a coroutine would end silently: an accept loop that
// stopped that way would leave its thread serving its open connections but
// accepting no new ones, with nothing in the log.

#include <chrono>
#include <functional>
#include <string>

#include <boost/asio/awaitable.hpp>

namespace customers::util {

// Awaits `body()` until it returns normally. When an exception ends it and
// `again()` is still true, logs the failure as an error naming `what`,
// waits `pause` (a failure that repeats must not spin) and runs it again.
boost::asio::awaitable<void> keep_running(std::string what,
                                          std::function<boost::asio::awaitable<void>()> body,
                                          std::function<bool()> again,
                                          std::chrono::milliseconds pause);

}  // namespace customers::util
