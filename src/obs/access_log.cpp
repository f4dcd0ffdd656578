#include "customers/obs/access_log.hpp"

#include <spdlog/async_logger.h>
#include <spdlog/details/null_mutex.h>
#include <spdlog/details/thread_pool.h>
#include <spdlog/sinks/base_sink.h>

#include <charconv>
#include <cstdio>
#include <ctime>

#include "customers/util/json_writer.hpp"

namespace customers::obs {

void append_rfc3339_ms(std::string& out, std::chrono::system_clock::time_point t) {
    using namespace std::chrono;
    const auto ms = duration_cast<milliseconds>(t.time_since_epoch()).count();
    const std::time_t secs = static_cast<std::time_t>(ms / 1000);
    std::tm tm{};
    gmtime_r(&secs, &tm);
    char buf[40];
    const std::size_t n = std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
    out.append(buf, n);
    std::snprintf(buf, sizeof buf, ".%03dZ", static_cast<int>(ms % 1000));
    out += buf;
}

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
    const std::int64_t us = std::chrono::duration_cast<std::chrono::microseconds>(r.duration).count();
    char buf[32];
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

namespace {

// Runs on the logger's single writer thread only, hence no mutex. Prefixes
// the time spdlog took when the line was queued; to stdout, lines are
// collected and written in batches (at 32 KiB or on flush).
class line_writer final : public spdlog::sinks::base_sink<spdlog::details::null_mutex> {
  public:
    explicit line_writer(access_log::line_sink sink) : sink_(std::move(sink)) {}

  protected:
    void sink_it_(const spdlog::details::log_msg& msg) override {
        line_.assign("{\"time\":\"");
        append_rfc3339_ms(line_, msg.time);
        line_ += "\",";
        line_.append(msg.payload.data(), msg.payload.size());
        if (sink_) return sink_(line_);
        batch_ += line_;
        batch_ += '\n';
        if (batch_.size() >= 32 * 1024) flush_();
    }
    void flush_() override {
        if (batch_.empty()) return;
        std::fwrite(batch_.data(), 1, batch_.size(), stdout);
        std::fflush(stdout);
        batch_.clear();
    }

  private:
    access_log::line_sink sink_;
    std::string line_, batch_;
};

}  // namespace

access_log::access_log(line_sink sink, std::size_t queue_lines)
    : pool_(std::make_shared<spdlog::details::thread_pool>(queue_lines, 1)),
      logger_(std::make_shared<spdlog::async_logger>(
          "access", std::make_shared<line_writer>(std::move(sink)), pool_,
          spdlog::async_overflow_policy::overrun_oldest)),
      flusher_([this] { flush_periodically(); }) {
    logger_->set_level(spdlog::level::info);
}

access_log::~access_log() {
    {
        std::lock_guard lock(flusher_mutex_);
        stopping_ = true;
    }
    flusher_wake_.notify_one();
    flusher_.join();
    logger_->flush();
    // Queued lines hold the logger; the pool's destructor writes them all
    // (and the flush) before its thread ends.
    logger_.reset();
    pool_.reset();
}

void access_log::write(const access_record& r) {
    thread_local std::string fields;
    fields.clear();
    append_access_fields(fields, r);
    logger_->log(spdlog::level::info, spdlog::string_view_t(fields.data(), fields.size()));
}

std::uint64_t access_log::dropped() const {
    return pool_->overrun_counter();
}

void access_log::flush_periodically() {
    std::unique_lock lock(flusher_mutex_);
    while (!flusher_wake_.wait_for(lock, std::chrono::milliseconds(200),
                                   [this] { return stopping_; }))
        logger_->flush();
}

}  // namespace customers::obs
