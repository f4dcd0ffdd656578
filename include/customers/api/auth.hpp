#pragma once
// Bearer authentication with a per-thread cache: a token's project is looked
// up in Redis at most once per `ttl` per thread, so a revoke takes effect
// within that time. Unknown tokens are remembered briefly too, so a client
// hammering with a bad token does not cost a Redis round trip per request;
// they are kept apart from known ones, so they never push a valid token out
// (token_cache).

#include <chrono>
#include <string>
#include <string_view>

#include <boost/asio/awaitable.hpp>
#include <boost/system/result.hpp>

#include "customers/api/token_cache.hpp"
#include "customers/store/token_store.hpp"

namespace customers::api {

// Who sent a request: the token's project, and the token's SHA-256 digest
// (hex) for whatever must tell tokens apart without holding one (the rate
// limiter).
struct caller {
    std::string project;
    std::string token_digest;
};

class auth_cache {
  public:
    using clock = token_cache::clock;
    explicit auth_cache(token_cache_settings s = {}) : cache_(s) {}

    // The caller holding `token`: store::error::not_found for an unknown
    // token, unavailable when Redis cannot say.
    boost::asio::awaitable<boost::system::result<caller>> identify(std::string_view token,
                                                                   store::token_store& tokens);

  private:
    token_cache cache_;  // keyed by SHA-256, never the token
    // The last token this thread hashed and its digest: consecutive requests
    // with one token (a keep-alive client) skip SHA-256. Compared in
    // constant time, as it is a secret.
    std::string last_token_, last_digest_;
};

// The token of an "Authorization: Bearer <token>" value; empty when the
// header is missing or not of that form.
std::string_view bearer_token(std::string_view authorization) noexcept;

}  // namespace customers::api
