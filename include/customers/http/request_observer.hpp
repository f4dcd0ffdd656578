#pragma once
// What the metrics and the access log learn about each answered request.
// One per I/O thread: it writes that thread's metric cells and hands the
// access log its line. Costs per request: one clock read, a few array
// increments, and (when the access log is on) a second clock read and one
// short line formatted into this thread's buffer.

#include <chrono>
#include <cstddef>
#include <string_view>

#include "customers/http/handler.hpp"
#include "customers/obs/access_log.hpp"
#include "customers/obs/http_metrics.hpp"

namespace customers::http {

// A request as answered: `route` is the row of the route table whose
// pattern fitted the path (no_route: none, or the request could not be read).
struct answered_request {
    verb method = verb::unknown;
    std::size_t route = no_route;
    unsigned status = 0;
    std::chrono::steady_clock::time_point started;
    std::size_t body_bytes = 0;
    std::string_view request_id;
    std::string_view project_id;
};

class request_observer {
  public:
    // `labels` were made from the route table's patterns (route_patterns());
    // `log` may be null (access log off), else this thread's writer.
    request_observer(const obs::route_labels& labels, obs::http_metrics& metrics,
                     obs::access_log::writer* log)
        : labels_(labels), metrics_(metrics), log_(log) {}

    void on_answered(const answered_request& r);

  private:
    const obs::route_labels& labels_;
    obs::http_metrics& metrics_;
    obs::access_log::writer* log_;
};

}  // namespace customers::http
