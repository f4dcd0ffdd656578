#include "customers/obs/registry.hpp"

#include <array>
#include <charconv>

#include "customers/obs/access_log.hpp"
#include "customers/obs/exposition.hpp"
#include "customers/obs/process_metrics.hpp"

namespace customers::obs {
namespace {

std::string_view status_text(unsigned status, std::array<char, 4>& buf) {
    auto [end, ec] = std::to_chars(buf.data(), buf.data() + buf.size(), status);
    return {buf.data(), static_cast<std::size_t>(end - buf.data())};
}

}  // namespace

void registry::add_thread(const http_metrics& http, const redis_metrics& redis) {
    threads_.push_back({&http, &redis});
}

bool registry::every_redis_connected() const noexcept {
    if (threads_.empty()) return false;
    for (const auto& t : threads_)
        if (t.redis->connected.value() == 0) return false;
    return true;
}

std::string registry::render() const {
    exposition out;

    // Only series that have been seen: a label set appears with its first
    // request and then stays (counters never go back to zero while the
    // process lives).
    out.family("http_requests_total", "counter",
               "HTTP requests answered, by method, route template and status code.");
    for (std::size_t r = 0; r < routes_.size(); ++r)
        for (std::size_t m = 0; m < method_count; ++m)
            for (unsigned s = min_status; s <= max_status; ++s) {
                std::uint64_t n = 0;
                for (const auto& t : threads_) n += t.http->requests(r, m, s);
                if (n == 0) continue;
                std::array<char, 4> buf{};
                out.sample("http_requests_total",
                           {{"method", method_label(m)},
                            {"route", routes_.label(r)},
                            {"status", status_text(s, buf)}},
                           n);
            }

    out.family("http_request_duration_seconds", "histogram",
               "Time from the first byte of a request to its response written, by method and "
               "route template.");
    for (std::size_t r = 0; r < routes_.size(); ++r)
        for (std::size_t m = 0; m < method_count; ++m) {
            histogram_totals h;
            for (const auto& t : threads_) h.add(t.http->latency(r, m));
            if (h.count() == 0) continue;
            out.histogram("http_request_duration_seconds",
                          {{"method", method_label(m)}, {"route", routes_.label(r)}}, h);
        }

    std::uint64_t connections = 0, connected = 0;
    std::array<std::uint64_t, redis_result_count> commands{};
    histogram_totals round_trips;
    for (const auto& t : threads_) {
        connections += t.http->connections_active.value();
        connected += t.redis->connected.value();
        for (std::size_t i = 0; i < redis_result_count; ++i)
            commands[i] += t.redis->commands[i].value();
        round_trips.add(t.redis->round_trips);
    }
    out.family("http_connections_active", "gauge", "Open client connections.");
    out.sample("http_connections_active", {}, connections);

    out.family("redis_commands_total", "counter",
               "Redis commands by result: ok, error (an error reply), timeout, unavailable "
               "(no connection, or it was lost).");
    for (std::size_t i = 0; i < redis_result_count; ++i)
        out.sample("redis_commands_total", {{"result", redis_result_label(i)}}, commands[i]);
    out.family("redis_command_duration_seconds", "histogram",
               "Round trip of a Redis command or pipelined batch, from queueing to reply.");
    out.histogram("redis_command_duration_seconds", {}, round_trips);
    out.family("redis_connected", "gauge",
               "I/O threads whose Redis connection is up (each thread has one).");
    out.sample("redis_connected", {}, connected);
    out.family("redis_connections", "gauge",
               "Redis connections the server keeps (one per thread).");
    out.sample("redis_connections", {}, static_cast<std::uint64_t>(threads_.size()));

    if (access_log_) {
        out.family("access_log_dropped_total", "counter",
                   "Access log lines dropped because the writer fell behind.");
        out.sample("access_log_dropped_total", {}, access_log_->dropped());
    }

    append_process_metrics(out);
    return out.take();
}

}  // namespace customers::obs
