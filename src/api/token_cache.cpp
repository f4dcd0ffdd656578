#include "customers/api/token_cache.hpp"

namespace customers::api {

token_cache::status token_cache::find(std::string_view digest, clock::time_point now,
                                      std::string& project) {
    if (const std::string* p = known_.find(digest, now)) {
        project = *p;
        return status::known;
    }
    if (unknown_.find(digest, now)) return status::unknown;
    return status::absent;
}

// A digest is in at most one of the two maps: the newest answer wins.
void token_cache::remember_known(std::string_view digest, std::string project,
                                 clock::time_point now) {
    unknown_.erase(digest);
    known_.put(digest, std::move(project), now + settings_.ttl);
}

void token_cache::remember_unknown(std::string_view digest, clock::time_point now) {
    known_.erase(digest);
    unknown_.put(digest, std::string(), now + settings_.negative_ttl);
}

}  // namespace customers::api
