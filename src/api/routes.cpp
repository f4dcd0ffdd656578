#include "customers/api/routes.hpp"

#include <array>

#include "customers/api/customers.hpp"
#include "customers/api/health.hpp"
#include "customers/api/openapi.hpp"
#include "customers/api/v1.hpp"

namespace customers::api {
namespace {

using http::verb;

constexpr std::array table{
    http::route{verb::get, "/healthz", &healthz},
    http::route{verb::get, "/readyz", &readyz},
    http::route{verb::get, "/openapi.json", &serve_openapi},
    http::route{verb::get, "/metrics", &metrics},
    http::route{verb::get, "/v1/customers", &gated<&list_customers>},
    http::route{verb::post, "/v1/customers", &gated<&create_customer>},
    http::route{verb::get, "/v1/customers/:id", &gated<&retrieve_customer>},
    http::route{verb::patch, "/v1/customers/:id", &gated<&update_customer>},
    http::route{verb::put, "/v1/customers/:id", &gated<&update_customer>},
    http::route{verb::delete_, "/v1/customers/:id", &gated<&delete_customer>},
    http::route{verb::get, "/v1/conversations/:id", &gated<&retrieve_conversation>},
};

}  // namespace

std::span<const http::route> routes() noexcept {
    return table;
}

}  // namespace customers::api
