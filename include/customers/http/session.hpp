#pragma once
// One HTTP/1.1 connection: read a request (idle, header and body deadlines,
// header and body limits), dispatch it through the route table, write the
// response, repeat while keep-alive. Pipelined requests are answered in
// order because each is read from the connection's buffer only after the
// previous response is written.

#include <span>

#include <boost/asio/awaitable.hpp>
#include <boost/beast/core/tcp_stream.hpp>

#include "customers/app/config.hpp"
#include "customers/http/connection_limit.hpp"
#include "customers/http/connection_tracker.hpp"
#include "customers/http/request_observer.hpp"
#include "customers/http/router.hpp"

namespace customers::http {

struct session_context {
    const app::http_config& limits;
    std::span<const route> routes;
    app::services& svc;
    connection_tracker& tracker;
    request_observer* observer = nullptr;  // metrics and access log; null: none
    // Shared by every thread's acceptor; null: no limit (tests of dispatch).
    connection_limit* connections = nullptr;
};

boost::asio::awaitable<void> run_session(boost::beast::tcp_stream stream, session_context& ctx);

// Routes one parsed request to its handler (404/405 from the table, 500 for
// an exception escaping a handler). No common headers yet.
boost::asio::awaitable<response> dispatch(const request& req, session_context& ctx);

// What dispatch() learnt for the metrics and the access log.
struct dispatch_facts {
    const route* route_row = nullptr;  // the row whose pattern fitted the path (404: none)
    std::string project_id;            // the authenticated caller's project, if any
};
boost::asio::awaitable<response> dispatch(const request& req, session_context& ctx,
                                          dispatch_facts& facts);

}  // namespace customers::http
