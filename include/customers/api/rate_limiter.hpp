#pragma once
// Per-token request rate limit, shared by every I/O thread (a client's
// connections land on different threads). GCRA: each token has one atomic
// "theoretical arrival time" (TAT); a request at `now` moves it to
// max(TAT, now) + 1/rate and is allowed while that stays within
// burst/rate of `now`. One shared lock and one compare-and-swap per request;
// the table is sharded so that new tokens rarely contend.
//
// Keys are SHA-256 digests of tokens, never tokens. Only authenticated
// tokens reach the limiter, so the table is bounded by the live tokens; an
// entry whose bucket is full again carries no information and is swept.

#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <unordered_map>

#include "customers/api/rate_limit_config.hpp"

namespace customers::api {

class rate_limiter {
  public:
    using nanoseconds = std::chrono::nanoseconds;

    struct decision {
        bool allowed = true;
        std::uint32_t remaining = 0;     // whole requests left now
        std::int64_t reset_s = 0;        // until the bucket is full again, rounded up
        std::int64_t retry_after_s = 0;  // denied: until one request is allowed, >= 1
    };

    // `cfg` must be enabled().
    explicit rate_limiter(const rate_limit_config& cfg);
    ~rate_limiter();
    rate_limiter(const rate_limiter&) = delete;
    rate_limiter& operator=(const rate_limiter&) = delete;

    // Counts one request of `key` at `now` (any monotonic time, >= 0).
    decision acquire(std::string_view key, nanoseconds now);
    // The same at steady_clock::now().
    decision acquire(std::string_view key);

    // "RateLimit-Policy" value: "<rps>;w=1;burst=<burst>".
    const std::string& policy() const noexcept { return policy_; }
    // "RateLimit" value: "limit=<burst>, remaining=<n>, reset=<s>".
    std::string header_value(const decision& d) const;

    std::uint32_t burst() const noexcept { return burst_; }
    std::uint32_t requests_per_second() const noexcept { return requests_per_second_; }
    // Entries held (tests: idle ones are swept).
    std::size_t size() const;

  private:
    struct shard;
    static constexpr std::size_t shard_count = 64;

    // The GCRA step on one token's TAT (called under its shard's lock, so a
    // sweep cannot free it meanwhile).
    decision take(std::atomic<std::int64_t>& tat, std::int64_t now) const;

    std::int64_t interval_ns_;  // between two requests at the sustained rate
    std::int64_t window_ns_;    // burst * interval: how far TAT may run ahead
    std::uint32_t burst_;
    std::uint32_t requests_per_second_;
    std::string policy_;
    std::array<std::unique_ptr<shard>, shard_count> shards_;
};

}  // namespace customers::api
