#include "customers/store/token_store.hpp"

#include <array>

#include "customers/store/keys.hpp"
#include "customers/util/crypto.hpp"

namespace customers::store {

using sv = std::string_view;

bool is_plausible_token(sv token) noexcept {
    std::size_t n = token.size();
    while (n > 0 && token[n - 1] == '=') --n;
    if (n < 16 || token.size() > 512) return false;
    for (std::size_t i = 0; i < n; ++i) {
        const char c = token[i];
        const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                        (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' || c == '~' ||
                        c == '+' || c == '/';
        if (!ok) return false;
    }
    return true;
}

bool is_valid_project_id(sv project) noexcept {
    if (project.empty() || project.size() > 64) return false;
    for (char c : project) {
        const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                        (c >= '0' && c <= '9') || c == '_' || c == '-';
        if (!ok) return false;
    }
    return true;
}

async_result<std::string> token_store::project_of_digest(sv sha256_hex) {
    const std::string key = keys::token(sha256_hex);
    const std::array<sv, 2> cmd{"GET", key};
    auto r = co_await redis_.exec(cmd);
    if (!r || r->is_error()) co_return error::unavailable;
    if (r->is_nil()) co_return error::not_found;
    co_return std::move(r->str);
}

async_result<void> token_store::create(sv token, sv project) {
    const std::string key = keys::token(util::sha256_hex(token));
    // NX: an existing token is never pointed at another project. GET (with
    // NX since Redis 7.0) answers the project it already has, so creating a
    // token again for its own project succeeds, and only then.
    const std::array<sv, 5> cmd{"SET", key, project, "NX", "GET"};
    auto r = co_await redis_.exec(cmd);
    if (!r || r->is_error()) co_return error::unavailable;
    if (!r->is_nil() && r->str != project) co_return error::token_taken;
    co_return result<void>{};
}

async_result<void> token_store::revoke(sv token) {
    const std::string key = keys::token(util::sha256_hex(token));
    const std::array<sv, 2> cmd{"DEL", key};
    auto r = co_await redis_.exec(cmd);
    if (!r || r->is_error()) co_return error::unavailable;
    if (r->integer == 0) co_return error::not_found;
    co_return result<void>{};
}

}  // namespace customers::store
