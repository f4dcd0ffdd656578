#pragma once
// The running server: one worker per thread, each with its own io_context,
// listener (SO_REUSEPORT), Redis connection and connection tracker, so that
// nothing is shared between threads on the request path but two counters:
// the open-connection count (http.max_connections) and the per-token rate
// limiter.

#include <atomic>
#include <cstdint>
#include <memory>
#include <vector>

#include "customers/app/config.hpp"
#include "customers/obs/access_log.hpp"
#include "customers/obs/registry.hpp"

namespace customers::http {
class connection_limit;
}
namespace customers::api {
class rate_limiter;
}

namespace customers::app {

class server {
  public:
    // Binds every listener (port 0 picks a free port, shared by all
    // threads). Throws boost::system::system_error when binding fails.
    // The access log (when on) goes to `access_sink`, or stdout if empty.
    explicit server(config cfg, obs::access_log::line_sink access_sink = {});
    ~server();
    server(const server&) = delete;
    server& operator=(const server&) = delete;

    std::uint16_t port() const noexcept { return port_; }
    const config& cfg() const noexcept { return cfg_; }

    // Graceful shutdown on SIGINT/SIGTERM while run() is running; a second
    // one during the drain ends the process at once with exit code
    // 128 + the signal's number (130 for SIGINT, 143 for SIGTERM).
    void handle_signals();

    // Serves until shutdown completes. Worker 0 runs on the calling thread.
    void run();

    // Thread-safe and idempotent: stop accepting, finish in-flight requests
    // (at most http.shutdown_timeout), close idle connections; run() returns.
    void shutdown();

  private:
    struct worker;
    void wait_for_signal();
    config cfg_;
    std::uint16_t port_ = 0;
    // Before the workers, which use them: destroyed after them.
    obs::registry metrics_;
    std::unique_ptr<obs::access_log> access_log_;  // null: off
    // Shared by the workers, so declared (and destroyed) outside them.
    std::unique_ptr<http::connection_limit> connections_;
    std::unique_ptr<api::rate_limiter> limiter_;  // null: limit off
    std::vector<std::unique_ptr<worker>> workers_;
    std::atomic<bool> shutdown_requested_{false};
};

}  // namespace customers::app
