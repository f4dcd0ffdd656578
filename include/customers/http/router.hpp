#pragma once
// A route table: {method, pattern, handler} rows, matched segment by segment,
// and dispatch(), the step from a parsed request to its row's handler.
// A pattern segment ":name" captures one non-empty path segment. No route
// whose pattern fits the path: 404. Patterns fit but none with the method:
// 405, with the fitting methods for the Allow header. A HEAD request is
// served by the GET row of its path when the table has no HEAD row for it
// (RFC 9110 §9.3.2: the session sends the head of the GET response, its
// Content-Length included, without the body), so HEAD is allowed wherever
// GET is.
//
// Rows are generic in the context their handler gets: the layer that owns
// the handlers (api/) decides what that holds beside the request.

#include <array>
#include <cstddef>
#include <exception>
#include <iterator>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include <boost/asio/awaitable.hpp>

#include "customers/http/handler.hpp"
#include "customers/http/types.hpp"

namespace customers::http {

inline constexpr std::size_t max_path_params = 2;
using path_params = std::array<std::string_view, max_path_params>;

template <class Context>
struct route {
    verb method;
    std::string_view pattern;  // e.g. "/v1/customers/:id"
    boost::asio::awaitable<response> (*handler)(Context&);
};

// A request target as its handler reads it.
struct routed_target {
    std::string_view path;   // the target without the query
    std::string_view query;  // after '?', may be empty
    path_params params{};    // ":name" captures, in order
};

enum class route_outcome { found, not_found, method_not_allowed };

template <class Row>
struct route_match {
    using outcome = route_outcome;
    outcome result = outcome::not_found;
    const Row* matched = nullptr;  // found: the row to run (for HEAD, maybe a GET row)
    const Row* fitting = nullptr;  // found or 405: the first row whose pattern fits the path
    path_params params{};
    std::string allow;  // method_not_allowed: "GET, HEAD, POST"
};

// Whether `path` fits `pattern`; fills the captures when it does.
bool pattern_matches(std::string_view pattern, std::string_view path, path_params& params) noexcept;

// Splits a request target into path and query at the first '?'.
void split_target(std::string_view target, std::string_view& path,
                  std::string_view& query) noexcept;

namespace detail {
// Adds `method` to an Allow list unless listed; HEAD follows GET.
void add_allowed(std::string& allow, verb method);
response not_found(std::string_view path);
response method_not_allowed(std::string_view method, const std::string& allow);
// Logs the exception a handler let escape and answers 500.
response handler_failed(std::string_view pattern, const std::exception& e);
}  // namespace detail

// `table`: a std::array or std::span of route rows.
template <class Table>
auto match_route(const Table& table, verb method, std::string_view path) {
    using row_type = std::remove_cvref_t<decltype(*std::data(table))>;
    route_match<row_type> m;
    const row_type* get_row = nullptr;  // for HEAD, unless a HEAD row fits too
    path_params get_params{};
    for (const row_type& r : table) {
        path_params params{};
        if (!pattern_matches(r.pattern, path, params)) continue;
        if (!m.fitting) m.fitting = &r;
        if (r.method == method) {
            m.result = route_outcome::found;
            m.matched = &r;
            m.params = params;
            m.allow.clear();
            return m;
        }
        if (method == verb::head && r.method == verb::get && !get_row) {
            get_row = &r;
            get_params = params;
        }
        detail::add_allowed(m.allow, r.method);
    }
    if (get_row) {
        m.result = route_outcome::found;
        m.matched = get_row;
        m.params = get_params;
        m.allow.clear();
    } else if (m.fitting) {
        m.result = route_outcome::method_not_allowed;
    }
    return m;
}

// The pattern of each row, in table order (obs::route_labels).
template <class Table>
std::vector<std::string_view> route_patterns(const Table& table) {
    std::vector<std::string_view> patterns;
    for (const auto& r : table) patterns.push_back(r.pattern);
    return patterns;
}

// Routes one parsed request to its row's handler: 404 and 405 from the
// table, 500 for an exception escaping a handler (a bug: expected failures
// are values; logged, and the connection keeps serving). `table` is a span
// (or an array) of route<Context>; `make_context(routed_target)` builds the
// handler's Context, whose `project_id` member (std::string) names the
// authenticated caller's project, copied into `facts` for the access log.
template <class Table, class MakeContext>
boost::asio::awaitable<response> dispatch(Table table, const request& req, request_facts& facts,
                                          MakeContext make_context) {
    routed_target target;
    split_target(req.target(), target.path, target.query);
    const auto m = match_route(table, req.method(), target.path);
    if (const auto* row = m.matched ? m.matched : m.fitting)
        facts.route = static_cast<std::size_t>(row - std::data(table));
    if (m.result == route_outcome::not_found) co_return detail::not_found(target.path);
    if (m.result == route_outcome::method_not_allowed)
        co_return detail::method_not_allowed(req.method_string(), m.allow);
    target.params = m.params;
    auto ctx = make_context(target);
    std::optional<response> res;
    try {
        res = co_await m.matched->handler(ctx);
    } catch (const std::exception& e) {
        res = detail::handler_failed(m.matched->pattern, e);
    }
    facts.project_id = std::move(ctx.project_id);
    co_return std::move(*res);
}

}  // namespace customers::http
