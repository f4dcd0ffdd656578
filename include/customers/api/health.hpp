#pragma once
// Probes for orchestrators: liveness never touches the store; readiness
// follows whether Redis answers PING within the command deadline. And the
// metrics scrape.

#include <boost/asio/awaitable.hpp>

#include "customers/http/router.hpp"

namespace customers::api {

boost::asio::awaitable<http::response> healthz(http::request_context& ctx);
boost::asio::awaitable<http::response> readyz(http::request_context& ctx);
// The Prometheus exposition (no auth, like the probes: operators keep it
// off the public network).
boost::asio::awaitable<http::response> metrics(http::request_context& ctx);

}  // namespace customers::api
