#pragma once
// A route table: {method, pattern, handler} rows, matched segment by segment.
// A pattern segment ":name" captures one non-empty path segment. No route
// whose pattern fits the path: 404. Patterns fit but none with the method:
// 405, with the fitting methods for the Allow header.

#include <array>
#include <cstddef>
#include <span>
#include <string>
#include <string_view>

#include <boost/asio/awaitable.hpp>

#include "customers/http/types.hpp"

namespace customers::app {
struct services;
}

namespace customers::http {

inline constexpr std::size_t max_path_params = 2;

struct request_context {
    const request& req;
    app::services& svc;
    std::string_view path;                                   // target without the query
    std::string_view query;                                  // after '?', may be empty
    std::array<std::string_view, max_path_params> params{};  // ":name" captures, in order
    std::string project_id{};  // set by authentication, for the access log
};

using handler_fn = boost::asio::awaitable<response> (*)(request_context&);

struct route {
    verb method;
    std::string_view pattern;  // e.g. "/v1/customers/:id"
    handler_fn handler;
};

struct route_match {
    enum class outcome { found, not_found, method_not_allowed };
    outcome result = outcome::not_found;
    const route* matched = nullptr;
    const route* fitting = nullptr;  // found or 405: the first row whose pattern fits the path
    std::array<std::string_view, max_path_params> params{};
    std::string allow;  // method_not_allowed: "GET, POST"
};

// Whether `path` fits `pattern`; fills the captures when it does.
bool pattern_matches(std::string_view pattern, std::string_view path,
                     std::array<std::string_view, max_path_params>& params) noexcept;

route_match match_route(std::span<const route> table, verb method, std::string_view path);

// Splits a request target into path and query at the first '?'.
void split_target(std::string_view target, std::string_view& path,
                  std::string_view& query) noexcept;

}  // namespace customers::http
