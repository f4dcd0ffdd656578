#include "customers/api/health.hpp"

#include "customers/app/services.hpp"
#include "customers/http/errors.hpp"

namespace customers::api {

boost::asio::awaitable<http::response> healthz(http::request_context&) {
    co_return http::make_json(http::status::ok, R"({"status":"ok"})");
}

boost::asio::awaitable<http::response> readyz(http::request_context& ctx) {
    static constexpr std::string_view ping[] = {"PING"};
    auto pong = co_await ctx.svc.redis.exec(std::span<const std::string_view>(ping));
    if (pong && pong->is_status("PONG"))
        co_return http::make_json(http::status::ok, R"({"status":"ready"})");
    co_return http::make_unavailable("the data store is not reachable");
}

}  // namespace customers::api
