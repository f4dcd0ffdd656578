#include "customers/api/rate_limiter.hpp"

#include <algorithm>
#include <mutex>

namespace customers::api {
namespace {

constexpr std::int64_t ns_per_s = 1'000'000'000;

std::int64_t ceil_seconds(std::int64_t ns) {
    return ns <= 0 ? 0 : (ns + ns_per_s - 1) / ns_per_s;
}

struct transparent_hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const noexcept {
        return std::hash<std::string_view>{}(s);
    }
};

}  // namespace

struct rate_limiter::shard {
    mutable std::shared_mutex mutex;
    // unique_ptr: the atomic keeps its address while the map rehashes.
    std::unordered_map<std::string, std::unique_ptr<std::atomic<std::int64_t>>, transparent_hash,
                       std::equal_to<>>
        tats;
    std::size_t sweep_at = 1024;  // size at which idle entries are dropped
};

rate_limiter::rate_limiter(const rate_limit_config& cfg)
    : interval_ns_(std::max<std::int64_t>(1, ns_per_s / cfg.requests_per_second)),
      window_ns_(interval_ns_ * cfg.burst),
      burst_(cfg.burst),
      requests_per_second_(cfg.requests_per_second),
      policy_(std::to_string(cfg.requests_per_second) + ";w=1;burst=" + std::to_string(cfg.burst)) {
    for (auto& s : shards_) s = std::make_unique<shard>();
}

rate_limiter::~rate_limiter() = default;

rate_limiter::decision rate_limiter::acquire(std::string_view key) {
    return acquire(key, std::chrono::steady_clock::now().time_since_epoch());
}

rate_limiter::decision rate_limiter::acquire(std::string_view key, nanoseconds now_d) {
    const std::int64_t now = now_d.count();
    shard& s = *shards_[std::hash<std::string_view>{}(key) % shard_count];
    {
        std::shared_lock lock(s.mutex);
        if (auto it = s.tats.find(key); it != s.tats.end()) return take(*it->second, now);
    }
    std::unique_lock lock(s.mutex);
    if (s.tats.size() >= s.sweep_at) {
        // A TAT in the past is a full bucket: the same as no entry.
        std::erase_if(s.tats, [now](const auto& e) { return e.second->load() <= now; });
        s.sweep_at = std::max<std::size_t>(1024, 2 * s.tats.size());
    }
    auto [it, inserted] = s.tats.try_emplace(std::string(key), nullptr);
    if (inserted) it->second = std::make_unique<std::atomic<std::int64_t>>(0);
    return take(*it->second, now);
}

rate_limiter::decision rate_limiter::take(std::atomic<std::int64_t>& tat, std::int64_t now) const {
    decision d;
    std::int64_t old = tat.load(std::memory_order_relaxed);
    for (;;) {
        const std::int64_t next = std::max(old, now) + interval_ns_;
        if (next - now > window_ns_) {
            // Denied: TAT stays, so a client hammering while limited does
            // not push its own recovery further away.
            d.allowed = false;
            d.retry_after_s = std::max<std::int64_t>(1, ceil_seconds(next - window_ns_ - now));
            d.reset_s = ceil_seconds(old - now);
            return d;
        }
        if (tat.compare_exchange_weak(old, next, std::memory_order_relaxed)) {
            d.remaining = static_cast<std::uint32_t>((window_ns_ - (next - now)) / interval_ns_);
            d.reset_s = ceil_seconds(next - now);
            return d;
        }
    }
}

std::string rate_limiter::header_value(const decision& d) const {
    std::string out = "limit=";
    out += std::to_string(burst_);
    out += ", remaining=";
    out += std::to_string(d.remaining);
    out += ", reset=";
    out += std::to_string(d.reset_s);
    return out;
}

std::size_t rate_limiter::size() const {
    std::size_t n = 0;
    for (const auto& s : shards_) {
        std::shared_lock lock(s->mutex);
        n += s->tats.size();
    }
    return n;
}

}  // namespace customers::api
