#pragma once
// The customer object of API.md §3 and the typed input that create and
// update requests decode into.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "customers/domain/input_error.hpp"

namespace customers::domain {

using meta_map = std::vector<std::pair<std::string, std::string>>;  // in the client's order

struct customer {
    std::string id;
    std::string project_id;
    std::optional<std::string> external_id;
    std::string username;
    std::string phone_number;
    std::optional<std::string> avatar_url;
    std::optional<std::string> display_name;
    std::string conversation_id;
    bool terminated = false;  // status "terminated", else "active"
    std::optional<std::int64_t> terminated_at;
    bool is_flagged = false;
    // meta as a serialized JSON object of strings. The server writes it from
    // validated input (meta_json()), so reads emit it verbatim, unparsed.
    std::string meta = "{}";
    std::optional<std::int64_t> last_active_at;
    std::optional<std::int64_t> last_transaction_at;
    std::int64_t created_at = 0;
    std::int64_t updated_at = 0;
};

inline std::string_view status_name(bool terminated) noexcept {
    return terminated ? "terminated" : "active";
}

// {"key":"value",...} in the client's order; "{}" when empty.
std::string meta_json(const meta_map& meta);

// A decoded create or update body. An outer nullopt: the field was not sent.
// For nullable fields an inner nullopt: sent as null (or as an empty form
// value), which clears it.
struct customer_input {
    std::optional<std::string> username;
    std::optional<std::string> phone_number;
    std::optional<std::optional<std::string>> avatar_url;
    std::optional<std::optional<std::string>> display_name;
    std::optional<std::optional<std::string>> external_id;
    std::optional<bool> is_flagged;
    std::optional<meta_map> meta;
    std::optional<bool> terminated;  // "status"
};

enum class operation { create, update };

// How a request may mention each field of the customer object.
enum class field_kind {
    text,           // string
    nullable_text,  // string or null
    boolean,
    meta,
    status,
};
struct field_rule {
    std::string_view name;
    field_kind kind;
    bool on_create;
    bool on_update;
};

// The rule for a body field, or nullptr when the customer has no such field.
const field_rule* find_field(std::string_view name) noexcept;

// An error when `op` may not set the field ("username cannot be changed",
// "status cannot be set on create", "unknown field foo").
std::optional<input_error> check_field_allowed(std::string_view name, operation op);

// external_id's rule: 1 to 128 printable ASCII characters. validate() applies
// it to bodies and the list applies it to its filter, so both say the same.
std::optional<input_error> check_external_id(std::string_view v);

// meta's key limit. The JSON decoder stops at the first key too many (the
// work of checking keys for duplicates grows with their square), with the
// error validate() gives.
inline constexpr std::size_t max_meta_keys = 50;
input_error too_many_meta_keys();

// Every value rule of API.md §3 and, for create, the required fields. The
// one place where input is judged; decoders only check syntax and types.
std::optional<input_error> validate(const customer_input& in, operation op);

}  // namespace customers::domain
