#include "customers/obs/access_log.hpp"

#include <unistd.h>

#include <cerrno>
#include <cstdio>

#include "customers/util/json_writer.hpp"
#include "customers/util/time_format.hpp"

namespace customers::obs {

void append_access_fields(std::string& out, const access_record& r) {
    out += "\"request_id\":";
    util::append_json_string(out, r.request_id);
    out += ",\"method\":";
    util::append_json_string(out, r.method);
    out += ",\"route\":";
    util::append_json_string(out, r.route);
    out += ",\"status\":";
    util::append_json_int(out, r.status);
    // Seconds with microsecond resolution, as a plain decimal.
    const std::int64_t us =
        std::chrono::duration_cast<std::chrono::microseconds>(r.duration).count();
    char buf[48];
    const int n = std::snprintf(buf, sizeof buf, ",\"duration_s\":%lld.%06lld",
                                static_cast<long long>(us / 1'000'000),
                                static_cast<long long>(us % 1'000'000));
    out.append(buf, static_cast<std::size_t>(n));
    out += ",\"bytes\":";
    util::append_json_int(out, static_cast<std::int64_t>(r.bytes));
    out += ",\"project_id\":";
    if (r.project_id.empty())
        out += "null";
    else
        util::append_json_string(out, r.project_id);
    out += '}';
}

void access_log::writer::write(const access_record& r) {
    using namespace std::chrono;
    const auto ms = duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
    // The date and time change once a second: format them then only.
    if (ms / 1000 != stamp_second_) {
        stamp_second_ = ms / 1000;
        stamp_.assign("{\"time\":\"");
        util::append_utc_second(stamp_, stamp_second_);
        stamp_ += '.';
    }
    line_.assign(stamp_);
    util::append_millis_z(line_, ms % 1000);
    line_ += "\",";
    append_access_fields(line_, r);
    line_ += '\n';

    std::lock_guard lock(mutex_);
    if (buffer_.size() + line_.size() > max_bytes_) {
        dropped_.add();
        return;
    }
    buffer_ += line_;
}

access_log::access_log(line_sink sink, options opts)
    : sink_(std::move(sink)), opts_(opts), thread_([this] { run(); }) {}

access_log::~access_log() {
    {
        std::lock_guard lock(stop_mutex_);
        stopping_ = true;
    }
    stop_cv_.notify_one();
    thread_.join();
    drain();  // what was written since the thread's last pass
}

access_log::writer& access_log::make_writer() {
    std::lock_guard lock(writers_mutex_);
    writers_.push_back(std::unique_ptr<writer>(new writer(opts_.max_buffered_bytes)));
    return *writers_.back();
}

std::uint64_t access_log::dropped() const {
    std::lock_guard lock(writers_mutex_);
    std::uint64_t n = 0;
    for (const auto& w : writers_) n += w->dropped_.value();
    return n;
}

void access_log::run() {
    std::unique_lock lock(stop_mutex_);
    while (!stop_cv_.wait_for(lock, opts_.interval, [this] { return stopping_; })) {
        lock.unlock();
        drain();
        lock.lock();
    }
}

void access_log::drain() {
    // The list lock is not held while writing: a stdout that blocks must not
    // block a /metrics scrape (dropped()) or a thread registering.
    std::vector<writer*> writers;
    {
        std::lock_guard list_lock(writers_mutex_);
        for (const auto& w : writers_) writers.push_back(w.get());
    }
    for (writer* w : writers) {
        {
            // A swap, not a copy: the writer waits for this at most.
            std::lock_guard lock(w->mutex_);
            if (w->buffer_.empty()) continue;
            w->buffer_.swap(batch_);
        }
        output(batch_);
        batch_.clear();  // keeps its capacity for the next swap
    }
}

void access_log::output(std::string_view lines) {
    if (sink_) {
        while (!lines.empty()) {
            const std::size_t end = lines.find('\n');
            sink_(lines.substr(0, end));
            lines.remove_prefix(end + 1);
        }
        return;
    }
    while (!lines.empty()) {
        const ssize_t n = ::write(STDOUT_FILENO, lines.data(), lines.size());
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return;  // stdout is gone or full of errors: nothing better to do
        lines.remove_prefix(static_cast<std::size_t>(n));
    }
}

}  // namespace customers::obs
