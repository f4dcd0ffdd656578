#pragma once
// The Lua scripts behind every multi-key write: each runs atomically in
// Redis, so a customer is created, changed or deleted whole or not at all.

#include "customers/redis/script.hpp"

namespace customers::store::scripts {

// KEYS: customer, and the buckets (keys::usernames etc.) of the username,
//       the external id (its prefix when there is none) and the
//       conversation id, index
// ARGV: id, username, external_id ("" for none), conversation id,
//       conversation value, then field, value, ... for HSET
// -> "OK", "username" or "external_id" (the value already taken)
const redis::script& create_customer();

// KEYS: customer, bucket of the new external id (the external id prefix
//       unless ext_op is s), index a0, a1, t0, t1
// ARGV: id, now, ext_op (k keep | n null | s set), ext, status_op (k | a | t),
//       flag_op (k | 0 | 1), display_op (k | n | s), display,
//       meta_op (k | n | s), meta, external id prefix, bucket count
// -> the HGETALL array after the change, nil when there is no such customer,
//    or the string "external_id" when the value belongs to another
const redis::script& update_customer();

// KEYS: customer, index a0, a1, t0, t1
// ARGV: id, usernames prefix, external ids prefix, conversations prefix,
//       bucket count   -> 1 when deleted, 0 when there was no such customer
const redis::script& delete_customer();

}  // namespace customers::store::scripts
