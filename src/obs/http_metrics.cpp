#include "customers/obs/http_metrics.hpp"

#include <algorithm>

namespace customers::obs {

using boost::beast::http::verb;

std::size_t method_slot(verb v) noexcept {
    switch (v) {
        case verb::get:
            return 0;
        case verb::head:
            return 1;
        case verb::post:
            return 2;
        case verb::put:
            return 3;
        case verb::patch:
            return 4;
        case verb::delete_:
            return 5;
        case verb::options:
            return 6;
        default:
            return 7;
    }
}

std::string_view method_label(std::size_t slot) noexcept {
    static constexpr std::array<std::string_view, method_count> names{
        "GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "other"};
    return names[slot];
}

route_labels::route_labels(const std::vector<std::string_view>& row_patterns) {
    for (std::string_view p : row_patterns) {
        auto it = std::find(labels_.begin(), labels_.end(), p);
        row_slot_.push_back(static_cast<std::size_t>(it - labels_.begin()));
        if (it == labels_.end()) labels_.emplace_back(p);
    }
    labels_.emplace_back("unmatched");
}

http_metrics::http_metrics(std::size_t routes)
    : routes_(routes),
      requests_(new single_writer_counter[routes * method_count * status_count]),
      latency_(new duration_histogram[routes * method_count]) {}

void http_metrics::record(std::size_t route, std::size_t method, unsigned status,
                          std::chrono::nanoseconds duration) noexcept {
    requests_[(route * method_count + method) * status_count + status_slot(status)].add();
    latency_[route * method_count + method].observe(duration);
}

}  // namespace customers::obs
