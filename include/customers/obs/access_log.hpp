#pragma once
// The access log: one JSON object per line per request, written off the
// request path. Each I/O thread has its own writer: it formats the line and
// appends it to its own buffer under its own mutex, which only the log's
// output thread ever takes besides it, for a swap every 100 ms; so the
// request thread never waits for the output, makes no system call and
// wakes nobody. The output thread writes each swapped batch with one
// write() to stdout, or hands the lines to a sink given by the caller. A
// writer whose buffer is full (the output cannot keep up) drops lines and
// counts them.
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
#include <vector>

#include "customers/obs/counter.hpp"

namespace customers::obs {

struct access_record {
    std::string_view request_id;
    std::string_view method;
    std::string_view route;  // the route table pattern, or "unmatched"
    unsigned status = 0;
    std::chrono::nanoseconds duration{0};
    std::size_t bytes = 0;        // response body bytes
    std::string_view project_id;  // empty: not authenticated (null in the log)
};

// The line after its time: `"request_id":...,"project_id":...}`.
void append_access_fields(std::string& out, const access_record& r);

struct access_log_options {
    std::chrono::milliseconds interval{100};           // how often buffers are written out
    std::size_t max_buffered_bytes = 4 * 1024 * 1024;  // per writer; more is dropped
};

class access_log {
  public:
    using options = access_log_options;
    // Receives each line (without its newline), on the output thread.
    using line_sink = std::function<void(std::string_view line)>;

    // One per writing thread; used by that thread only.
    class writer {
      public:
        // Appends the line for `r`, stamped with the current time.
        void write(const access_record& r);

      private:
        friend class access_log;
        explicit writer(std::size_t max_bytes) : max_bytes_(max_bytes) {}

        std::size_t max_bytes_;
        std::string line_;                // the owning thread's scratch
        std::int64_t stamp_second_ = -1;  // the second `stamp_` spells
        std::string stamp_;               // `{"time":"2026-11-24T23:54:35.`
        std::mutex mutex_;                // guards buffer_ (owner vs output thread)
        std::string buffer_;              // complete lines, '\n'-terminated
        single_writer_counter dropped_;
    };

    // An empty sink writes to stdout.
    explicit access_log(line_sink sink = {}, options opts = {});
    // Writes every buffered line, then returns.
    ~access_log();
    access_log(const access_log&) = delete;
    access_log& operator=(const access_log&) = delete;

    // A writer for the calling thread; lives as long as the log. Any thread.
    writer& make_writer();
    // Lines dropped because a buffer was full. Any thread.
    std::uint64_t dropped() const;

  private:
    void run();
    void drain();  // swaps out every writer's buffer and writes it
    void output(std::string_view lines);

    line_sink sink_;
    options opts_;
    mutable std::mutex writers_mutex_;
    std::vector<std::unique_ptr<writer>> writers_;
    std::string batch_;  // output thread only
    std::mutex stop_mutex_;
    std::condition_variable stop_cv_;
    bool stopping_ = false;
    std::thread thread_;  // last: started when everything else exists
};

}  // namespace customers::obs
