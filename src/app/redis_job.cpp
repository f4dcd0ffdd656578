#include "customers/app/redis_job.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

#include "customers/util/use_tuple.hpp"

namespace customers::app {
namespace {

namespace asio = boost::asio;

asio::awaitable<int> when_connected(redis::connection& redis, redis_job job,
                                    std::chrono::milliseconds wait_for_connect) {
    asio::steady_timer timer(co_await asio::this_coro::executor);
    const auto deadline = std::chrono::steady_clock::now() + wait_for_connect;
    while (!redis.connected() && std::chrono::steady_clock::now() < deadline) {
        timer.expires_after(std::chrono::milliseconds(20));
        co_await timer.async_wait(util::use_tuple);
    }
    co_return co_await job(redis);
}

}  // namespace

int run_redis_job(const config& cfg, std::chrono::milliseconds command_timeout, redis_job job) {
    auto ep = redis::parse_url(cfg.redis.url);  // validated with the configuration
    asio::io_context ioc{1};
    redis::connection redis(ioc.get_executor(), {*ep, command_timeout, cfg.redis.connect_timeout,
                                                 cfg.redis.reconnect_min, cfg.redis.reconnect_max});
    redis.start();
    int code = 1;
    asio::co_spawn(ioc, when_connected(redis, std::move(job), cfg.redis.connect_timeout * 3),
                   [&](std::exception_ptr e, int rc) {
                       code = e ? 1 : rc;
                       redis.stop();
                   });
    ioc.run();
    return code;
}

}  // namespace customers::app
