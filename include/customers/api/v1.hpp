#pragma once
// The gate in front of every /v1 endpoint: bearer authentication (401), then
// the per-token rate limit (429), then the endpoint itself. When the limit
// is on, every response to an authenticated request carries
//   RateLimit-Policy: <rps>;w=1;burst=<burst>
//   RateLimit: limit=<burst>, remaining=<n>, reset=<seconds>
// Endpoints outside /v1 (health, readiness, metrics) do not pass the gate.

#include <string>

#include <boost/asio/awaitable.hpp>

#include "customers/api/request_context.hpp"

namespace customers::api {

// An endpoint behind the gate: it gets the caller's project.
using v1_handler = boost::asio::awaitable<http::response> (*)(request_context&,
                                                              const std::string& project);

boost::asio::awaitable<http::response> through_gate(request_context& ctx, v1_handler h);

// The route table's handler for endpoint H.
template <v1_handler H>
boost::asio::awaitable<http::response> gated(request_context& ctx) {
    return through_gate(ctx, H);
}

}  // namespace customers::api
