#pragma once
// What a server thread remembers of token lookups (auth_cache): the project
// of each token digest Redis knew, and the digests it did not know, each for
// a while. Pure (the caller passes the time), so the policy is tested without
// Redis.
//
// Known and unknown tokens are kept apart, each with its own bound and
// least-recently-used eviction: a client sending endless bogus tokens only
// ever evicts other bogus tokens, never a token in use, and a full cache
// drops one entry, not all of them (which would send every client's next
// request to Redis at once).

#include <chrono>
#include <cstddef>
#include <string>
#include <string_view>

#include "customers/util/expiring_lru.hpp"

namespace customers::api {

struct token_cache_settings {
    std::chrono::milliseconds ttl{std::chrono::seconds(5)};           // a known token
    std::chrono::milliseconds negative_ttl{std::chrono::seconds(1)};  // an unknown one
    std::size_t max_known = 100'000;
    std::size_t max_unknown = 10'000;
};

class token_cache {
  public:
    using clock = util::expiring_lru::clock;
    enum class status { absent, known, unknown };

    explicit token_cache(token_cache_settings s = {})
        : settings_(s), known_(s.max_known), unknown_(s.max_unknown) {}

    // What is remembered of `digest` at `now`; for a known token its project
    // is copied into `project`.
    status find(std::string_view digest, clock::time_point now, std::string& project);
    void remember_known(std::string_view digest, std::string project, clock::time_point now);
    void remember_unknown(std::string_view digest, clock::time_point now);

    std::size_t known_size() const noexcept { return known_.size(); }
    std::size_t unknown_size() const noexcept { return unknown_.size(); }

  private:
    token_cache_settings settings_;
    util::expiring_lru known_;    // digest -> project
    util::expiring_lru unknown_;  // digest -> ""
};

}  // namespace customers::api
