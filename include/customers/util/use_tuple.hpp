#pragma once
// The completion token for awaiting I/O in every layer:
//   auto [ec, n] = co_await stream.async_read_some(buf, util::use_tuple);
// Failures come back as an error_code value rather than an exception:
// expected failures are values here, and a thrown exception on the I/O path
// costs about 100 times more.

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace customers::util {

inline constexpr auto use_tuple = boost::asio::as_tuple(boost::asio::use_awaitable);

}  // namespace customers::util
