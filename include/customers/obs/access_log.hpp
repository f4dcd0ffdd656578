#pragma once
// The access log: one JSON object per line per request, written off the
// request path. The request thread formats the line's fields and hands them
// to spdlog's async logger (bounded queue; when it is full the oldest line
// is dropped and counted, the request thread never waits); a single writer
// thread prefixes the time and writes. To stdout by default, in batches
// (flushed at least every 200 ms), or to a sink given by the caller.
//
// The fields are fixed: time, request_id, method, route, status,
// duration_s, bytes, project_id. There is no field for a path, a query, a
// header or a body, so a token, a phone number or a customer's data cannot
// reach the log.

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>

namespace spdlog {
class async_logger;
namespace details {
class thread_pool;
}
}  // namespace spdlog

namespace customers::obs {

struct access_record {
    std::string_view request_id;
    std::string_view method;
    std::string_view route;       // the route table pattern, or "unmatched"
    unsigned status = 0;
    std::chrono::nanoseconds duration{0};
    std::size_t bytes = 0;        // response body bytes
    std::string_view project_id;  // empty: not authenticated (null in the log)
};

// The line after its time: `"request_id":...,"project_id":...}`.
void append_access_fields(std::string& out, const access_record& r);
// RFC 3339 in UTC with milliseconds: 2026-11-24T23:54:35.123Z.
void append_rfc3339_ms(std::string& out, std::chrono::system_clock::time_point t);

class access_log {
  public:
    // Receives each complete line (without the newline), on the writer thread.
    using line_sink = std::function<void(std::string_view line)>;

    // An empty sink writes to stdout.
    explicit access_log(line_sink sink = {}, std::size_t queue_lines = 16384);
    // Writes every queued line, then returns.
    ~access_log();
    access_log(const access_log&) = delete;
    access_log& operator=(const access_log&) = delete;

    // Any thread; never blocks on the writer.
    void write(const access_record& r);
    // Lines dropped because the queue was full.
    std::uint64_t dropped() const;

  private:
    void flush_periodically();

    std::shared_ptr<spdlog::details::thread_pool> pool_;
    std::shared_ptr<spdlog::async_logger> logger_;
    std::mutex flusher_mutex_;
    std::condition_variable flusher_wake_;
    bool stopping_ = false;
    std::thread flusher_;
};

}  // namespace customers::obs
