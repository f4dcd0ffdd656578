#pragma once
// Metric cells written by one thread and read by any: each I/O thread owns
// its cells, and a scrape sums them. The writer does a relaxed load and a
// relaxed store (no read-modify-write: on x86 two plain moves, no lock
// prefix, no cache line bouncing between cores); readers do a relaxed load.
// Being atomics, the scrape's reads are not data races.

#include <array>
#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>

namespace customers::obs {

class single_writer_counter {
  public:
    // Only the owning thread may call add() and set().
    void add(std::uint64_t n = 1) noexcept {
        value_.store(value_.load(std::memory_order_relaxed) + n, std::memory_order_relaxed);
    }
    void set(std::uint64_t v) noexcept { value_.store(v, std::memory_order_relaxed); }
    std::uint64_t value() const noexcept { return value_.load(std::memory_order_relaxed); }

  private:
    std::atomic<std::uint64_t> value_{0};
};

// Upper bounds of the latency histograms' buckets (HTTP and Redis), from
// 0.5 ms to 10 s; a last bucket (+Inf) takes the rest.
inline constexpr std::array<double, 14> duration_bounds_seconds{
    0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};
inline constexpr std::size_t duration_buckets = duration_bounds_seconds.size() + 1;

// The bucket of a duration: the first whose bound is >= it.
std::size_t duration_bucket(std::chrono::nanoseconds d) noexcept;

// One histogram's cells: per-bucket counts (not cumulative: one increment
// per observation; the scrape accumulates) and the sum in nanoseconds.
struct duration_histogram {
    std::array<single_writer_counter, duration_buckets> buckets;
    single_writer_counter sum_ns;

    void observe(std::chrono::nanoseconds d) noexcept {
        buckets[duration_bucket(d)].add();
        sum_ns.add(static_cast<std::uint64_t>(d.count() > 0 ? d.count() : 0));
    }
};

// Histograms summed over threads at scrape time.
struct histogram_totals {
    std::array<std::uint64_t, duration_buckets> buckets{};  // per bucket, not cumulative
    std::uint64_t sum_ns = 0;

    void add(const duration_histogram& h) noexcept {
        for (std::size_t i = 0; i < duration_buckets; ++i) buckets[i] += h.buckets[i].value();
        sum_ns += h.sum_ns.value();
    }
    // The count is the buckets' total, so _count always equals the +Inf
    // bucket even when a scrape races with observations.
    std::uint64_t count() const noexcept {
        std::uint64_t n = 0;
        for (std::uint64_t b : buckets) n += b;
        return n;
    }
};

}  // namespace customers::obs
