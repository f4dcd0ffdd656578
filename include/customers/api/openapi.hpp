#pragma once
// GET /openapi.json: docs/openapi.yaml as JSON, embedded in the binary at
// build time (cmake/embed_openapi.py), so the server needs no file beside it.

#include <string_view>

#include <boost/asio/awaitable.hpp>

#include "customers/api/request_context.hpp"

namespace customers::api {

// The document, compact JSON (defined in the generated source).
std::string_view openapi_json() noexcept;
// Its entity tag, quoted: a digest of the JSON.
std::string_view openapi_etag() noexcept;

// 200 with the document, or 304 when If-None-Match names its ETag. No
// authentication; clients may cache it and revalidate.
boost::asio::awaitable<http::response> serve_openapi(request_context& ctx);

}  // namespace customers::api
