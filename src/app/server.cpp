#include "customers/app/server.hpp"

#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <optional>
#include <thread>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>

#include "customers/api/rate_limiter.hpp"
#include "customers/api/routes.hpp"
#include "customers/api/services.hpp"
#include "customers/app/open_files.hpp"
#include "customers/http/listener.hpp"
#include "customers/util/exception_message.hpp"
#include "customers/util/keep_running.hpp"
#include "customers/util/log.hpp"
#include "customers/util/use_tuple.hpp"

namespace customers::app {
namespace asio = boost::asio;

namespace {
// Completion of the server's own long-lived coroutines (accept loops,
// drains). They handle what they expect; an exception reaching here is a
// bug that leaves the server in an unknown state, so the process ends
// loudly rather than running on without, say, a thread's listener.
void fail_loudly(std::exception_ptr e) {
    if (!e) return;
    log::error("fatal: a server task failed: ", util::exception_message(e));
    std::abort();
}

redis::connection_config redis_settings(const config& c) {
    auto ep = redis::parse_url(c.redis.url);
    if (!ep) throw config_error("redis.url", ep.error().message);
    return {*ep, c.redis.command_timeout, c.redis.connect_timeout, c.redis.reconnect_min,
            c.redis.reconnect_max};
}
}  // namespace

struct server::worker {
    // Run by exactly one thread, and every I/O object of the worker is used
    // from that thread only: the reactor needs no locking (posting from
    // other threads, as shutdown() does, stays safe).
    asio::io_context ioc{BOOST_ASIO_CONCURRENCY_HINT_UNSAFE_IO};
    redis::connection redis;
    store::customer_store customers{redis};
    store::token_store tokens{redis};
    api::auth_cache auth;
    api::services svc;
    api::endpoints endpoints{svc};
    http::connection_tracker tracker;
    obs::http_metrics http_metrics;
    http::request_observer observer;
    asio::ip::tcp::acceptor acceptor;
    http::session_context sessions;
    std::optional<asio::signal_set> signals;

    worker(const config& c, std::uint16_t port, obs::registry& metrics, obs::access_log* access,
           http::connection_limit& connections, api::rate_limiter* limiter)
        : redis(ioc.get_executor(), redis_settings(c)),
          svc{redis, customers, tokens, auth, &metrics, limiter},
          http_metrics(metrics.routes().size()),
          observer(metrics.routes(), http_metrics, access ? &access->make_writer() : nullptr),
          acceptor(http::open_listener(ioc, c.listen_host, port)),
          sessions{c.http, endpoints, tracker, &observer, &connections} {
        store::customer_store::register_scripts(redis);
        tracker.report_to(&http_metrics.connections_active);
        metrics.add_thread(http_metrics, redis.metrics());
    }

    asio::awaitable<void> drain(std::chrono::milliseconds timeout) {
        boost::system::error_code ignored;
        acceptor.close(ignored);
        tracker.begin_shutdown();
        asio::steady_timer tick(ioc);
        const auto deadline = std::chrono::steady_clock::now() + timeout;
        while (tracker.size() > 0 && std::chrono::steady_clock::now() < deadline) {
            tick.expires_after(std::chrono::milliseconds(10));
            co_await tick.async_wait(util::use_tuple);
        }
        if (tracker.size() > 0) {
            log::warn("shutdown: closing ", tracker.size(), " connection(s) still busy after ",
                      timeout.count(), " ms");
            tracker.close_all();
        }
        // Last: handlers still waiting on Redis complete with an error now.
        redis.stop();
        // A second signal could end the process at once until here; now
        // nothing is left to wait for and run() may return.
        if (signals) signals->cancel(ignored);
    }
};

namespace {
// Access lines are info-level events: on unless configured off or the log
// level is above info.
bool access_log_on(const config& c) {
    const auto level = log::parse_level(c.log_level);
    return c.access_log && level && *level <= log::level::info;
}
}  // namespace

server::server(config cfg, obs::access_log::line_sink access_sink)
    : cfg_(std::move(cfg)), metrics_(obs::route_labels(http::route_patterns(api::routes()))) {
    const std::uint64_t open_files = raise_open_file_limit();
    log::info("open-file limit: ", open_files);
    // Each connection is a descriptor; Redis connections, the listeners and
    // the process itself need a few more.
    if (cfg_.http.max_connections + 64 > open_files)
        log::warn("http.max_connections (", cfg_.http.max_connections,
                  ") is close to or above the open-file limit (", open_files,
                  "): accepting may fail before the limit refuses cleanly");
    connections_ = std::make_unique<http::connection_limit>(cfg_.http.max_connections);
    if (cfg_.rate_limit.enabled()) limiter_ = std::make_unique<api::rate_limiter>(cfg_.rate_limit);
    if (access_log_on(cfg_)) {
        access_log_ = std::make_unique<obs::access_log>(std::move(access_sink));
        metrics_.set_access_log(access_log_.get());
    }

    const unsigned n = cfg_.effective_threads();
    port_ = cfg_.listen_port;
    for (unsigned i = 0; i < n; ++i) {
        workers_.push_back(std::make_unique<worker>(cfg_, port_, metrics_, access_log_.get(),
                                                    *connections_, limiter_.get()));
        // With port 0 the first bind picks the port; the others share it.
        port_ = workers_.back()->acceptor.local_endpoint().port();
    }
}

server::~server() = default;

void server::handle_signals() {
    worker& w = *workers_.front();
    w.signals.emplace(w.ioc, SIGINT, SIGTERM);
    wait_for_signal();
}

void server::wait_for_signal() {
    workers_.front()->signals->async_wait([this](const boost::system::error_code& ec, int signo) {
        if (ec) return;
        if (!shutdown_requested_.load()) {
            log::info("signal ", signo, ": shutting down (a second signal exits at once)");
            // Waiting again first: the drain cancels the wait when it ends,
            // which it may do within shutdown() when nothing is open.
            wait_for_signal();
            shutdown();
            return;
        }
        // An operator who asks twice does not want to wait for the drain.
        log::warn("signal ", signo, " during the shutdown: exiting now with code ", 128 + signo,
                  ", without waiting for requests in flight");
        std::fflush(nullptr);
        std::_Exit(128 + signo);
    });
}

void server::run() {
    for (auto& w : workers_) {
        w->redis.start();
        // An exception ending an accept loop is logged and the loop started
        // again: the thread must not silently stop accepting.
        asio::co_spawn(
            w->ioc,
            util::keep_running(
                "the accept loop", [&w = *w] { return http::accept_loop(w.acceptor, w.sessions); },
                [&w = *w] { return w.acceptor.is_open(); }, std::chrono::milliseconds(100)),
            fail_loudly);
    }
    log::info("listening on ", cfg_.listen_host, ":", port_, " with ", workers_.size(),
              " thread(s)");
    std::vector<std::thread> threads;
    for (std::size_t i = 1; i < workers_.size(); ++i)
        threads.emplace_back([&w = *workers_[i]] { w.ioc.run(); });
    workers_.front()->ioc.run();
    for (auto& t : threads) t.join();
    log::info("stopped");
}

void server::shutdown() {
    if (shutdown_requested_.exchange(true)) return;
    for (auto& w : workers_)
        asio::co_spawn(w->ioc, w->drain(cfg_.http.shutdown_timeout), fail_loudly);
}

}  // namespace customers::app
