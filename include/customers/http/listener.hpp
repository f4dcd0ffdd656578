#pragma once
// One acceptor per I/O thread, all bound to the same address with
// SO_REUSEPORT: the kernel spreads new connections over the threads, and a
// connection stays on the thread that accepted it for its whole life.

#include <cstdint>
#include <string>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

#include "customers/http/session.hpp"

namespace customers::http {

// Opens, binds (SO_REUSEADDR + SO_REUSEPORT) and listens. Throws
// boost::system::system_error when the address cannot be bound.
boost::asio::ip::tcp::acceptor open_listener(boost::asio::io_context& ioc, const std::string& host,
                                             std::uint16_t port);

// Accepts until the acceptor is closed; each connection runs run_session().
boost::asio::awaitable<void> accept_loop(boost::asio::ip::tcp::acceptor& acceptor,
                                         session_context& ctx);

}  // namespace customers::http
