#pragma once
// Request bodies of create and update, as JSON or as form data, decoded into
// one customer_input. Decoders judge syntax, types and which fields the
// operation may name; domain::validate() judges the values.

#include <optional>
#include <string_view>

#include "customers/domain/customer.hpp"

namespace customers::api {

enum class body_format { json, form, unsupported };

// From a Content-Type value: JSON for application/json (any parameters),
// form for application/x-www-form-urlencoded or no Content-Type (as curl -d
// sends), unsupported otherwise (415).
body_format format_of(std::string_view content_type) noexcept;

// A JSON object; duplicate keys, nesting beyond meta's object, wrong types and
// invalid UTF-8 are errors. An empty string is null for nullable fields.
std::optional<domain::input_error> decode_json(std::string_view body, domain::operation op,
                                               domain::customer_input& out);

// name=value pairs with meta[key]=value; "true"/"false" for is_flagged; an
// empty value is null for nullable fields; "meta=" clears meta.
std::optional<domain::input_error> decode_form(std::string_view body, domain::operation op,
                                               domain::customer_input& out);

}  // namespace customers::api
