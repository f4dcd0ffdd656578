#pragma once
// Shared by the redis::connection integration tests: short timeouts, polling
// helpers, background commands whose outcome is recorded, and an io_context
// whose teardown checks that stop() ends every coroutine.

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/test/unit_test.hpp>

#include "customers/redis/connection.hpp"
#include "support/redis_server.hpp"
#include "support/run_coro.hpp"
#include "support/timing.hpp"

namespace customers::test::redis_harness {

namespace asio = boost::asio;
namespace redis = customers::redis;
using std::chrono::milliseconds;
using clock_type = std::chrono::steady_clock;
using namespace std::chrono_literals;

inline constexpr milliseconds command_timeout = 300ms * timing_scale;
// scheduling slack on a loaded, sanitized build
inline constexpr milliseconds margin = 400ms * timing_scale;

inline redis::connection_config fast_config(const std::string& url) {
    redis::connection_config cfg;
    cfg.where = redis::parse_url(url).value();
    cfg.command_timeout = command_timeout;
    cfg.connect_timeout = 300ms;
    cfg.reconnect_min = 20ms;
    cfg.reconnect_max = 200ms;
    return cfg;
}

// error_code is printable in BOOST_TEST messages; the bare enum is not.
inline boost::system::error_code code(redis::error e) {
    return make_error_code(e);
}

inline milliseconds since(clock_type::time_point start) {
    return std::chrono::duration_cast<milliseconds>(clock_type::now() - start);
}

inline asio::awaitable<void> sleep_for(milliseconds d) {
    asio::steady_timer timer(co_await asio::this_coro::executor, d);
    co_await timer.async_wait(asio::use_awaitable);
}

// Polls `pred` until it holds (true) or `timeout` passes (false).
inline asio::awaitable<bool> eventually(std::function<bool()> pred, milliseconds timeout) {
    const auto deadline = clock_type::now() + timeout;
    while (!pred()) {
        if (clock_type::now() >= deadline) co_return false;
        co_await sleep_for(5ms);
    }
    co_return true;
}

// How one background command ended.
struct outcome {
    bool done = false;
    boost::system::result<redis::reply> result = redis::reply{};
    milliseconds elapsed{};
    boost::system::error_code error() const {
        return result ? boost::system::error_code{} : result.error();
    }
};

inline std::shared_ptr<outcome> spawn_exec(asio::io_context& ioc, redis::connection& c,
                                           std::vector<std::string> args) {
    auto o = std::make_shared<outcome>();
    asio::co_spawn(
        ioc,
        [](redis::connection& c, std::vector<std::string> args,
           std::shared_ptr<outcome> o) -> asio::awaitable<void> {
            const std::vector<std::string_view> views(args.begin(), args.end());
            const auto start = clock_type::now();
            o->result = co_await c.exec(views);
            o->elapsed = since(start);
            o->done = true;
        }(c, std::move(args), o),
        asio::detached);
    return o;
}

// The io_context and the connections under test. Teardown is part of the
// test: stop() must complete every waiter and end every coroutine, so the
// context runs dry, and destruction after that must be clean (ASan).
class connections {
  public:
    asio::io_context ioc;

    ~connections() {
        for (auto& c : list_) c->stop();
        drain();  // waiters resume (shutting_down) while their connection still exists
        list_.clear();
        drain();
    }

    redis::connection& open(const std::string& url, std::vector<const redis::script*> scripts = {},
                            bool wait_connected = true) {
        return open(fast_config(url), std::move(scripts), wait_connected);
    }

    redis::connection& open(const redis::connection_config& cfg,
                            std::vector<const redis::script*> scripts = {},
                            bool wait_connected = true) {
        const std::string url = cfg.where.host;  // for the failure message
        list_.push_back(std::make_unique<redis::connection>(ioc.get_executor(), cfg));
        redis::connection& c = *list_.back();
        for (const auto* s : scripts) c.add_script(*s);
        c.start();
        if (wait_connected)
            BOOST_REQUIRE_MESSAGE(run_coro(ioc, eventually([&c] { return c.connected(); }, 5s)),
                                  "no connection to " << url);
        return c;
    }

    // Stops and destroys one connection, then runs the context until idle.
    void destroy(redis::connection& c) {
        c.stop();
        drain();
        std::erase_if(list_, [&c](const auto& p) { return p.get() == &c; });
        drain();
    }

  private:
    void drain() {
        ioc.restart();
        ioc.run_for(5s);
        BOOST_CHECK_MESSAGE(ioc.stopped(), "work still pending 5 s after stop()");
    }

    std::vector<std::unique_ptr<redis::connection>> list_;
};

struct redis_fixture {
    redis_server server;  // declared first: outlives the connections
    connections io;
};

inline asio::awaitable<std::string> get_string(redis::connection& c, std::string key) {
    auto r = co_await c.exec(redis::cmd("GET", key));
    BOOST_REQUIRE(r.has_value());
    co_return r->is_nil() ? std::string("(nil)") : r->str;
}

}  // namespace customers::test::redis_harness
