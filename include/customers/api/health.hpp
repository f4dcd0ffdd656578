#pragma once
// Probes for orchestrators: liveness never touches the store; readiness
// needs every thread's Redis connection up and Redis answering PING within
// the command deadline. And the metrics scrape.

#include <boost/asio/awaitable.hpp>

#include "customers/api/request_context.hpp"

namespace customers::api {

boost::asio::awaitable<http::response> healthz(request_context& ctx);
boost::asio::awaitable<http::response> readyz(request_context& ctx);
// The Prometheus exposition (no auth, like the probes: operators keep it
// off the public network).
boost::asio::awaitable<http::response> metrics(request_context& ctx);

}  // namespace customers::api
