#pragma once
// The `token` and `check` subcommands do one job against Redis and exit:
// a one-off connection made from the configuration, a bounded wait for it to
// connect, then the job, whose result is the process' exit code.

#include <chrono>
#include <functional>

#include <boost/asio/awaitable.hpp>

#include "customers/app/config.hpp"
#include "customers/redis/connection.hpp"

namespace customers::app {

using redis_job = std::function<boost::asio::awaitable<int>(redis::connection&)>;

// Runs `job` on a connection to cfg.redis.url whose commands get
// `command_timeout`; returns the job's result, or 1 if it threw. The job
// starts once connected or after 3 x connect_timeout, whichever is first
// (a job that finds Redis down reports that itself).
int run_redis_job(const config& cfg, std::chrono::milliseconds command_timeout, redis_job job);

}  // namespace customers::app
