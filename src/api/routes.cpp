#include "customers/api/routes.hpp"

#include <array>

#include "customers/api/customers.hpp"
#include "customers/api/health.hpp"
#include "customers/api/openapi.hpp"
#include "customers/api/v1.hpp"

namespace customers::api {
namespace {

using http::verb;

constexpr auto table = std::to_array<route>({
    {verb::get, "/healthz", &healthz},
    {verb::get, "/readyz", &readyz},
    {verb::get, "/openapi.json", &serve_openapi},
    {verb::get, "/metrics", &metrics},
    {verb::get, "/v1/customers", &gated<&list_customers>},
    {verb::post, "/v1/customers", &gated<&create_customer>},
    {verb::get, "/v1/customers/:id", &gated<&retrieve_customer>},
    {verb::patch, "/v1/customers/:id", &gated<&update_customer>},
    {verb::put, "/v1/customers/:id", &gated<&update_customer>},
    {verb::delete_, "/v1/customers/:id", &gated<&delete_customer>},
    {verb::get, "/v1/conversations/:id", &gated<&retrieve_conversation>},
});

}  // namespace

std::span<const route> routes() noexcept {
    return table;
}

boost::asio::awaitable<http::response> endpoints::handle(const http::request& req,
                                                         http::request_facts& facts) {
    return http::dispatch(routes(), req, facts, [this, &req](const http::routed_target& t) {
        return request_context{req, svc_, t.path, t.query, t.params};
    });
}

}  // namespace customers::api
