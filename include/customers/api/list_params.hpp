#pragma once
// The query string of GET /v1/customers into a store::list_query (API.md §5).

#include <optional>
#include <string_view>

#include "customers/domain/customer.hpp"
#include "customers/store/customer_store.hpp"

namespace customers::api {

std::optional<domain::input_error> parse_list_query(std::string_view query, store::list_query& out);

}  // namespace customers::api
