#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/beast/core/tcp_stream.hpp>

namespace customers::http {

// Half-closes, then reads and discards what the client is still sending for
// a moment (at most 500 ms and 1 MiB), so the kernel does not answer unread
// data with a reset that would destroy the response just written (as
// nginx's lingering close). The caller closes the socket afterwards.
boost::asio::awaitable<void> lingering_close(boost::beast::tcp_stream& stream);

}  // namespace customers::http
