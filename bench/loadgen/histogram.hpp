#pragma once
// A latency histogram in the style of HdrHistogram: log-linear buckets over
// 1 us .. 100 s. Values below 256 us are exact; above, every power of two is
// split into 128 linear sub-buckets, so a bucket is at most 1/128 (0.8%) of
// its values wide. Fixed size (about 21 KB), no allocation when recording, so
// each thread keeps its own and they are merged at the end. Pure code.

#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

namespace loadgen {

class histogram {
  public:
    // Values above this are counted in the last bucket (max() stays exact).
    static constexpr std::uint64_t highest_trackable_us = 100'000'000;

    histogram();

    void record(std::uint64_t value_us) noexcept;
    void merge(const histogram& other);
    void clear();

    std::uint64_t count() const noexcept { return count_; }
    std::uint64_t min() const noexcept { return count_ ? min_ : 0; }
    std::uint64_t max() const noexcept { return max_; }
    double mean() const noexcept;
    // The value at percentile p (0..100]: the highest value of the bucket
    // holding the ceil(p% x count)-th smallest value, capped at max(); 0 when
    // empty.
    std::uint64_t percentile(double p) const noexcept;
    // Non-empty buckets, ascending: (highest value of the bucket, count).
    std::vector<std::pair<std::uint64_t, std::uint64_t>> buckets() const;

    // The bucket layout, exposed for tests.
    static std::size_t index_of(std::uint64_t value_us) noexcept;
    static std::uint64_t highest_of(std::size_t index) noexcept;
    static std::size_t bucket_count() noexcept;

  private:
    std::vector<std::uint64_t> counts_;
    std::uint64_t count_ = 0;
    std::uint64_t min_ = 0;
    std::uint64_t max_ = 0;
    // Sum of recorded values for the mean; 2^64 us is 584,000 years, enough.
    std::uint64_t sum_ = 0;
};

}  // namespace loadgen
