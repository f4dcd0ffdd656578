#include "customers/http/request_observer.hpp"

namespace customers::http {

void request_observer::on_answered(const answered_request& r) {
    const auto elapsed = std::chrono::steady_clock::now() - r.started;
    const std::size_t route_slot =
        r.route == no_route ? labels_.unmatched() : labels_.slot_of_row(r.route);
    const std::size_t method_slot = obs::method_slot(r.method);
    metrics_.record(route_slot, method_slot, r.status, elapsed);
    if (!log_) return;
    // The method as the metrics name it ("other" for unknown ones): no
    // client-chosen text reaches the log beyond the (checked) request id.
    log_->write({r.request_id, obs::method_label(method_slot), labels_.label(route_slot), r.status,
                 elapsed, r.body_bytes, r.project_id});
}

}  // namespace customers::http
