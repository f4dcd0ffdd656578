#include "customers/api/auth.hpp"

#include <boost/beast/core/string.hpp>

#include "customers/util/crypto.hpp"

namespace customers::api {

std::string_view bearer_token(std::string_view authorization) noexcept {
    constexpr std::string_view scheme = "bearer ";
    if (authorization.size() <= scheme.size() ||
        !boost::beast::iequals(authorization.substr(0, scheme.size()), scheme))
        return {};
    std::string_view token = authorization.substr(scheme.size());
    while (!token.empty() && token.front() == ' ') token.remove_prefix(1);
    while (!token.empty() && token.back() == ' ') token.remove_suffix(1);
    if (!store::is_plausible_token(token)) return {};
    return token;
}

boost::asio::awaitable<boost::system::result<caller>> auth_cache::identify(
    std::string_view token, store::token_store& tokens) {
    // The map is keyed by digest, never by token, so a timing probe of it
    // learns nothing; only the last token is kept, to skip re-hashing it,
    // and it is compared in constant time.
    if (last_token_.empty() || !util::constant_time_equal(token, last_token_)) {
        last_digest_ = util::sha256_hex(token);
        last_token_ = token;
    }
    std::string digest = last_digest_;
    const auto now = clock::now();
    std::string project;
    switch (cache_.find(digest, now, project)) {
        case token_cache::status::known:
            co_return caller{std::move(project), std::move(digest)};
        case token_cache::status::unknown:
            co_return store::error::not_found;
        case token_cache::status::absent:
            break;
    }
    auto found = co_await tokens.project_of_digest(digest);
    if (!found) {
        if (found.error() != store::error::not_found) co_return found.error();
        cache_.remember_unknown(digest, now);
        co_return store::error::not_found;
    }
    cache_.remember_known(digest, *found, now);
    co_return caller{std::move(*found), std::move(digest)};
}

}  // namespace customers::api
