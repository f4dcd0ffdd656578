#pragma once
// What a request handler may use, per I/O thread: every member but the rate
// limiter lives on the same thread as the session calling the handler, so
// nothing else here is shared across threads or locked.

#include "customers/api/auth.hpp"
#include "customers/api/rate_limiter.hpp"
#include "customers/obs/registry.hpp"
#include "customers/redis/connection.hpp"
#include "customers/store/customer_store.hpp"
#include "customers/store/token_store.hpp"

namespace customers::api {

struct services {
    redis::connection& redis;
    store::customer_store& customers;
    store::token_store& tokens;
    auth_cache& auth;
    // The process-wide metrics, for GET /metrics and for readiness, which
    // reads every thread's Redis connection state (read-only, any thread).
    const obs::registry* metrics = nullptr;
    // Shared by every thread (it is thread-safe); null when the limit is off.
    rate_limiter* limiter = nullptr;
};

}  // namespace customers::api
