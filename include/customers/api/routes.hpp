#pragma once

#include <span>

#include "customers/http/router.hpp"

namespace customers::api {

// The server's route table.
std::span<const http::route> routes() noexcept;

}  // namespace customers::api
