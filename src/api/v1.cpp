#include "customers/api/v1.hpp"

#include <variant>

#include "customers/api/auth.hpp"
#include "customers/api/rate_limiter.hpp"
#include "customers/http/errors.hpp"

namespace customers::api {
namespace {

namespace asio = boost::asio;
namespace bhttp = boost::beast::http;
using http::response;
using http::status;

response unauthorized(std::string_view message) {
    response r = http::make_error(status::unauthorized, message);
    r.set(bhttp::field::www_authenticate, R"(Bearer realm="customers")");
    return r;
}

// The caller, or the 401/503 to answer instead. Messages never quote the
// token: they end up in client logs.
asio::awaitable<std::variant<caller, response>> authenticate(request_context& ctx) {
    const auto header = ctx.req[bhttp::field::authorization];
    const std::string_view token = bearer_token(header);
    if (token.empty())
        co_return unauthorized(header.empty()
                                   ? "missing bearer token: send Authorization: Bearer <token>"
                                   : "malformed Authorization header: expected Bearer <token>");
    auto who = co_await ctx.svc.auth.identify(token, ctx.svc.tokens);
    if (who) co_return std::move(*who);
    if (who.error() == store::error::not_found) co_return unauthorized("invalid bearer token");
    co_return http::make_unavailable("the data store is unavailable; retry shortly");
}

response too_many_requests(const rate_limiter::decision& d, const rate_limiter& limiter) {
    response r =
        http::make_error(status::too_many_requests,
                         "too many requests for this token: at most " +
                             std::to_string(limiter.requests_per_second()) +
                             " per second with bursts of " + std::to_string(limiter.burst()) +
                             "; retry after " + std::to_string(d.retry_after_s) + " s");
    r.set(bhttp::field::retry_after, std::to_string(d.retry_after_s));
    return r;
}

}  // namespace

asio::awaitable<response> through_gate(request_context& ctx, v1_handler h) {
    auto who = co_await authenticate(ctx);
    if (auto* denied = std::get_if<response>(&who)) co_return std::move(*denied);
    const caller& c = std::get<caller>(who);
    ctx.project_id = c.project;  // for the access log

    rate_limiter* limiter = ctx.svc.limiter;
    if (!limiter) co_return co_await h(ctx, c.project);
    const rate_limiter::decision d = limiter->acquire(c.token_digest);
    response r;
    if (d.allowed)
        r = co_await h(ctx, c.project);
    else
        r = too_many_requests(d, *limiter);
    r.set("RateLimit-Policy", limiter->policy());
    r.set("RateLimit", limiter->header_value(d));
    co_return r;
}

}  // namespace customers::api
