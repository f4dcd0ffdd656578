#pragma once
// What a request handler may use, per I/O thread: every member lives on the
// same thread as the session calling the handler, so nothing here is shared
// across threads or locked.

#include "customers/api/auth.hpp"
#include "customers/app/config.hpp"
#include "customers/obs/registry.hpp"
#include "customers/redis/connection.hpp"
#include "customers/store/customer_store.hpp"
#include "customers/store/token_store.hpp"

namespace customers::app {

struct services {
    const config& cfg;
    redis::connection& redis;
    store::customer_store& customers;
    store::token_store& tokens;
    api::auth_cache& auth;
    // The process-wide metrics, for GET /metrics (read-only, any thread).
    const obs::registry* metrics = nullptr;
};

}  // namespace customers::app
