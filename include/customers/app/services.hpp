#pragma once
// What a request handler may use, per I/O thread: every member lives on the
// same thread as the session calling the handler, so nothing here is shared
// across threads or locked.

#include "customers/app/config.hpp"
#include "customers/redis/connection.hpp"

namespace customers::app {

struct services {
    const config& cfg;
    redis::connection& redis;
};

}  // namespace customers::app
