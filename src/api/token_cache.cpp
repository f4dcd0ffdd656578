#include "customers/api/token_cache.hpp"

namespace customers::api {

token_cache::status token_cache::find(std::string_view digest, clock::time_point now,
                                      std::string& project) {
    const auto it = by_digest_.find(std::string(digest));
    if (it == by_digest_.end() || it->second.expires <= now) return status::absent;
    if (it->second.project.empty()) return status::unknown;
    project = it->second.project;
    return status::known;
}

void token_cache::remember_known(std::string_view digest, std::string project,
                                 clock::time_point now) {
    put(digest, entry{std::move(project), now + settings_.ttl});
}

void token_cache::remember_unknown(std::string_view digest, clock::time_point now) {
    put(digest, entry{std::string(), now + settings_.negative_ttl});
}

void token_cache::put(std::string_view digest, entry e) {
    if (by_digest_.size() >= settings_.max_entries) by_digest_.clear();  // crude, bounded, rare
    by_digest_.insert_or_assign(std::string(digest), std::move(e));
}

}  // namespace customers::api
