#include "loadgen/histogram.hpp"

#include <algorithm>
#include <bit>
#include <cmath>

namespace loadgen {
namespace {

// 2^sub_bits sub-buckets per power of two; values below 2^(sub_bits+1) get
// one bucket each. Indexes: [0, 2*sub) exact, then `sub` per power of two.
constexpr unsigned sub_bits = 7;
constexpr std::uint64_t sub = std::uint64_t{1} << sub_bits;  // 128
constexpr std::uint64_t exact_limit = 2 * sub;               // 256

std::size_t raw_index(std::uint64_t v) noexcept {
    if (v < exact_limit) return static_cast<std::size_t>(v);
    // v in [2^k, 2^(k+1)), k >= sub_bits + 1: keep the top sub_bits+1 bits.
    const unsigned k = static_cast<unsigned>(std::bit_width(v)) - 1;
    const unsigned shift = k - sub_bits;
    return static_cast<std::size_t>(exact_limit + (k - sub_bits - 1) * sub + ((v >> shift) - sub));
}

}  // namespace

std::size_t histogram::index_of(std::uint64_t value_us) noexcept {
    return raw_index(std::min(value_us, highest_trackable_us));
}

std::uint64_t histogram::highest_of(std::size_t index) noexcept {
    if (index < exact_limit) return index;
    const std::uint64_t i = index - exact_limit;
    const unsigned k = static_cast<unsigned>(i / sub) + sub_bits + 1;
    const unsigned shift = k - sub_bits;
    const std::uint64_t low = (sub + i % sub) << shift;
    return low + (std::uint64_t{1} << shift) - 1;
}

std::size_t histogram::bucket_count() noexcept {
    return raw_index(highest_trackable_us) + 1;
}

histogram::histogram() : counts_(bucket_count(), 0) {}

void histogram::record(std::uint64_t value_us) noexcept {
    ++counts_[index_of(value_us)];
    if (count_ == 0 || value_us < min_) min_ = value_us;
    if (value_us > max_) max_ = value_us;
    ++count_;
    sum_ += value_us;
}

void histogram::merge(const histogram& other) {
    if (other.count_ == 0) return;
    for (std::size_t i = 0; i < counts_.size(); ++i) counts_[i] += other.counts_[i];
    min_ = count_ ? std::min(min_, other.min_) : other.min_;
    max_ = std::max(max_, other.max_);
    count_ += other.count_;
    sum_ += other.sum_;
}

void histogram::clear() {
    std::fill(counts_.begin(), counts_.end(), 0);
    count_ = min_ = max_ = sum_ = 0;
}

double histogram::mean() const noexcept {
    return count_ ? static_cast<double>(sum_) / static_cast<double>(count_) : 0.0;
}

std::uint64_t histogram::percentile(double p) const noexcept {
    if (count_ == 0) return 0;
    if (p >= 100.0) return max_;
    const double wanted = std::ceil(std::max(p, 0.0) / 100.0 * static_cast<double>(count_));
    const auto rank = std::max<std::uint64_t>(1, static_cast<std::uint64_t>(wanted));
    std::uint64_t seen = 0;
    for (std::size_t i = 0; i < counts_.size(); ++i) {
        seen += counts_[i];
        if (seen >= rank) return std::min(highest_of(i), max_);
    }
    return max_;
}

std::vector<std::pair<std::uint64_t, std::uint64_t>> histogram::buckets() const {
    std::vector<std::pair<std::uint64_t, std::uint64_t>> out;
    for (std::size_t i = 0; i < counts_.size(); ++i)
        if (counts_[i]) out.emplace_back(std::min(highest_of(i), max_), counts_[i]);
    return out;
}

}  // namespace loadgen
