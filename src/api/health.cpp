#include "customers/api/health.hpp"

#include "customers/http/errors.hpp"
#include "customers/obs/exposition.hpp"

namespace customers::api {

boost::asio::awaitable<http::response> healthz(request_context&) {
    co_return http::make_json(http::status::ok, R"({"status":"ok"})");
}

boost::asio::awaitable<http::response> readyz(request_context& ctx) {
    // Whichever thread this probe landed on, requests on the others use
    // their own connections: all of them must be up.
    if (ctx.svc.metrics && !ctx.svc.metrics->every_redis_connected())
        co_return http::make_unavailable("the data store is not reachable from every thread");
    static constexpr std::string_view ping[] = {"PING"};
    auto pong = co_await ctx.svc.redis.exec(std::span<const std::string_view>(ping));
    if (pong && pong->is_status("PONG"))
        co_return http::make_json(http::status::ok, R"({"status":"ready"})");
    co_return http::make_unavailable("the data store is not reachable");
}

}  // namespace customers::api

namespace customers::api {

boost::asio::awaitable<http::response> metrics(request_context& ctx) {
    http::response r{http::status::ok, 11};
    r.set(boost::beast::http::field::content_type, obs::exposition_content_type);
    if (ctx.svc.metrics) r.body() = ctx.svc.metrics->render();
    co_return r;
}

}  // namespace customers::api
