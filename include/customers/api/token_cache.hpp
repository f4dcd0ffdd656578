#pragma once
// What a server thread remembers of token lookups (auth_cache): the project
// of each token digest Redis knew, and the digests it did not know, each for
// a while. Pure (the caller passes the time), so the policy is tested without
// Redis.

#include <chrono>
#include <cstddef>
#include <string>
#include <string_view>
#include <unordered_map>

namespace customers::api {

struct token_cache_settings {
    std::chrono::milliseconds ttl{std::chrono::seconds(5)};           // a known token
    std::chrono::milliseconds negative_ttl{std::chrono::seconds(1)};  // an unknown one
    std::size_t max_entries = 100'000;
};

class token_cache {
  public:
    using clock = std::chrono::steady_clock;
    enum class status { absent, known, unknown };

    explicit token_cache(token_cache_settings s = {}) : settings_(s) {}

    // What is remembered of `digest` at `now`; for a known token its project
    // is copied into `project`.
    status find(std::string_view digest, clock::time_point now, std::string& project);
    void remember_known(std::string_view digest, std::string project, clock::time_point now);
    void remember_unknown(std::string_view digest, clock::time_point now);

  private:
    struct entry {
        std::string project;  // empty: unknown token
        clock::time_point expires;
    };
    void put(std::string_view digest, entry e);

    token_cache_settings settings_;
    std::unordered_map<std::string, entry> by_digest_;  // keyed by SHA-256, never the token
};

}  // namespace customers::api
