#include "customers/http/connection_tracker.hpp"

namespace customers::http {

connection_tracker::scoped::scoped(connection_tracker& t, boost::beast::tcp_stream& s)
    : tracker_(t) {
    entry_.stream = &s;
    tracker_.add(entry_);
}

connection_tracker::scoped::~scoped() {
    tracker_.remove(entry_);
}

void connection_tracker::add(entry& e) noexcept {
    e.prev = nullptr;
    e.next = head_;
    if (head_) head_->prev = &e;
    head_ = &e;
    ++size_;
    if (gauge_) gauge_->set(size_);
}

void connection_tracker::remove(entry& e) noexcept {
    if (e.prev)
        e.prev->next = e.next;
    else
        head_ = e.next;
    if (e.next) e.next->prev = e.prev;
    --size_;
    if (gauge_) gauge_->set(size_);
}

void connection_tracker::begin_shutdown() {
    shutting_down_ = true;
    // cancel() completes the idle read with operation_aborted; the session
    // then sees shutting_down() and closes. Busy sessions are left alone.
    for (entry* e = head_; e; e = e->next)
        if (!e->busy) e->stream->cancel();
}

void connection_tracker::close_all() {
    shutting_down_ = true;
    for (entry* e = head_; e; e = e->next) e->stream->close();
}

}  // namespace customers::http
