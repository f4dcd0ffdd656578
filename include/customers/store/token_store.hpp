#pragma once
// Bearer tokens: Redis keeps only the SHA-256 digest of a token, mapped to
// its project id. The server looks tokens up through auth_cache.

#include <optional>
#include <string>
#include <string_view>

#include <boost/asio/awaitable.hpp>

#include "customers/redis/connection.hpp"
#include "customers/store/customer_store.hpp"

namespace customers::store {

// token68-ish: 16..512 of [A-Za-z0-9-._~+/] then optional '='.
bool is_plausible_token(std::string_view token) noexcept;
// 1..64 of [A-Za-z0-9_-]: it is embedded in every key's hash tag.
bool is_valid_project_id(std::string_view project) noexcept;

class token_store {
  public:
    explicit token_store(redis::connection& redis) : redis_(redis) {}

    // The project of a token's digest; error::not_found when unknown.
    async_result<std::string> project_of_digest(std::string_view sha256_hex);
    // Idempotent for the token's own project; error::token_taken (and no
    // change) when the token belongs to another one.
    async_result<void> create(std::string_view token, std::string_view project);
    // error::not_found when there was no such token.
    async_result<void> revoke(std::string_view token);

  private:
    redis::connection& redis_;
};

}  // namespace customers::store
