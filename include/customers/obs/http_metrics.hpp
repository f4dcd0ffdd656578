#pragma once
// Per-thread HTTP metrics: requests by route x method x status, latency by
// route x method, and the connections open. One instance per I/O thread,
// written only by it (see counter.hpp); recording a request is two array
// increments, a bucket search and an add.
//
// Labels are bounded by construction: a route is a route table pattern (or
// "unmatched"), never a raw path; unknown methods share "other"; a status is
// one of 100..599.

#include <boost/beast/http/verb.hpp>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "customers/obs/counter.hpp"

namespace customers::obs {

inline constexpr std::size_t method_count = 8;
inline constexpr unsigned min_status = 100, max_status = 599;
inline constexpr std::size_t status_count = max_status - min_status + 1;

// GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS, other.
std::size_t method_slot(boost::beast::http::verb v) noexcept;
std::string_view method_label(std::size_t slot) noexcept;

// The route labels: the distinct patterns of a route table in table order,
// then "unmatched" (no pattern fits the path: 404, or a request that could
// not be read).
class route_labels {
  public:
    // `row_patterns`: the pattern of each row of the route table.
    explicit route_labels(const std::vector<std::string_view>& row_patterns);

    std::size_t size() const noexcept { return labels_.size(); }
    std::size_t slot_of_row(std::size_t row) const noexcept { return row_slot_[row]; }
    std::size_t unmatched() const noexcept { return labels_.size() - 1; }
    std::string_view label(std::size_t slot) const noexcept { return labels_[slot]; }

  private:
    std::vector<std::string> labels_;
    std::vector<std::size_t> row_slot_;
};

class http_metrics {
  public:
    explicit http_metrics(std::size_t routes);

    void record(std::size_t route, std::size_t method, unsigned status,
                std::chrono::nanoseconds duration) noexcept;

    std::size_t routes() const noexcept { return routes_; }
    std::uint64_t requests(std::size_t route, std::size_t method, unsigned status) const noexcept {
        return requests_[(route * method_count + method) * status_count + status_slot(status)]
            .value();
    }
    const duration_histogram& latency(std::size_t route, std::size_t method) const noexcept {
        return latency_[route * method_count + method];
    }

    single_writer_counter connections_active;

  private:
    static std::size_t status_slot(unsigned status) noexcept {
        if (status < min_status) return 0;
        if (status > max_status) return status_count - 1;
        return status - min_status;
    }

    std::size_t routes_;
    std::unique_ptr<single_writer_counter[]> requests_;
    std::unique_ptr<duration_histogram[]> latency_;
};

}  // namespace customers::obs
