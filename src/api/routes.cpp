#include "customers/api/routes.hpp"

#include <array>

#include "customers/api/health.hpp"

namespace customers::api {
namespace {

using http::verb;

constexpr std::array table{
    http::route{verb::get, "/healthz", &healthz},
    http::route{verb::get, "/readyz", &readyz},
};

}  // namespace

std::span<const http::route> routes() noexcept {
    return table;
}

}  // namespace customers::api
