#pragma once
// The customer object as JSON, every key of API.md §3 always present, in the
// order of its table.

#include <string>

#include "customers/domain/customer.hpp"

namespace customers::api {

void append_customer_json(std::string& out, const domain::customer& c);
std::string customer_json(const domain::customer& c);

// {"has_more":...,"data":[...]}
std::string customer_list_json(bool has_more, const std::vector<domain::customer>& page);

// {"id":...,"customer_id":...,"created_at":...}
std::string conversation_json(std::string_view id, std::string_view customer_id,
                              std::int64_t created_at);

}  // namespace customers::api
