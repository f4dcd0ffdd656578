#pragma once
// One HTTP/1.1 connection: read a request (idle, header and body deadlines,
// header and body limits), hand it to the request handler, write the
// response, repeat while keep-alive. Pipelined requests are answered in
// order because each is read from the connection's buffer only after the
// previous response is written.

#include <boost/asio/awaitable.hpp>
#include <boost/beast/core/tcp_stream.hpp>

#include "customers/http/config.hpp"
#include "customers/http/connection_limit.hpp"
#include "customers/http/connection_tracker.hpp"
#include "customers/http/handler.hpp"
#include "customers/http/request_observer.hpp"

namespace customers::http {

struct session_context {
    const config& limits;
    request_handler& handler;
    connection_tracker& tracker;
    request_observer* observer = nullptr;  // metrics and access log; null: none
    // Shared by every thread's acceptor; null: no limit.
    connection_limit* connections = nullptr;
};

boost::asio::awaitable<void> run_session(boost::beast::tcp_stream stream, session_context& ctx);

}  // namespace customers::http
