#pragma once
// The process's metrics: every I/O thread's cells, summed when /metrics is
// scraped, plus the process_* metrics. Threads are added before the server
// runs; after that the registry is only read, from any thread.

#include <string>
#include <vector>

#include "customers/obs/http_metrics.hpp"
#include "customers/obs/redis_metrics.hpp"

namespace customers::obs {

class access_log;

class registry {
  public:
    explicit registry(route_labels routes) : routes_(std::move(routes)) {}

    const route_labels& routes() const noexcept { return routes_; }

    // Before run(): one per I/O thread. The cells must outlive the registry's use.
    void add_thread(const http_metrics& http, const redis_metrics& redis);
    void set_access_log(const access_log* log) noexcept { access_log_ = log; }

    // The whole exposition, in the Prometheus text format.
    std::string render() const;

    // Whether every thread's Redis connection is up (false with no thread):
    // each thread serves its requests over its own connection, so the
    // process is ready only when all of them are.
    bool every_redis_connected() const noexcept;

  private:
    struct thread_cells {
        const http_metrics* http;
        const redis_metrics* redis;
    };
    route_labels routes_;
    std::vector<thread_cells> threads_;
    const access_log* access_log_ = nullptr;
};

}  // namespace customers::obs
