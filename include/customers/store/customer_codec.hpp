#pragma once
// A customer <-> its Redis hash. Null and default values are not stored, so
// small hashes stay in Redis's compact listpack encoding:
//   u username  p phone_number  a avatar_url  d display_name  x external_id
//   v conversation_id  s "t" when terminated  T terminated_at  f "1" when
//   flagged  m meta as a JSON object  l last_active_at  L last_transaction_at
//   c created_at  U updated_at

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "customers/domain/customer.hpp"
#include "customers/redis/reply.hpp"

namespace customers::store {

using hash_fields = std::vector<std::pair<std::string_view, std::string>>;

// Field/value pairs of a new customer (its non-null fields; created_at only
// when it is not the id's time part, updated_at only when it differs from
// created_at: from_hash derives them back).
hash_fields to_hash(const domain::customer& c);

// From an HGETALL reply (flat field/value array), moving its strings out.
// nullopt when the reply is empty (no such customer) or not a customer hash.
std::optional<domain::customer> from_hash(std::string_view project, std::string_view id,
                                          redis::reply&& hgetall);

}  // namespace customers::store
