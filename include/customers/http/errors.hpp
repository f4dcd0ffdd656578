#pragma once
// Error responses in the contract's shape (API.md §7):
//   {"type":"invalid_request","message":"...","param":"limit",
//    "documentation_url":"https://protocol.chat/docs/errors/invalid_request"}
// `type` is invalid_request for every 4xx and api_error for every 5xx.

#include <chrono>
#include <string>
#include <string_view>

#include "customers/http/types.hpp"

namespace customers::http {

std::string_view error_type_for(status s) noexcept;

// The JSON body alone; `param` is omitted when empty.
std::string error_body(status s, std::string_view message, std::string_view param = {});

// A complete response: status, JSON body, Content-Type. Common headers
// (Date, Server, X-Request-Id, Connection) are added by the session.
response make_error(status s, std::string_view message, std::string_view param = {});

// 503 api_error with Retry-After: the store is unreachable or timed out.
response make_unavailable(std::string_view message,
                          std::chrono::seconds retry_after = std::chrono::seconds{1});

// 200/201/... with a JSON body.
response make_json(status s, std::string body);

}  // namespace customers::http
