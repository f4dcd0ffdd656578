#include "customers/http/router.hpp"

#include <algorithm>

namespace customers::http {
bool pattern_matches(std::string_view pattern, std::string_view path,
                     std::array<std::string_view, max_path_params>& params) noexcept {
    // One pass over both: literal characters must be equal; ":name" takes a
    // non-empty path segment (its content is the handler's to judge).
    if (pattern.empty() || path.empty() || pattern[0] != '/' || path[0] != '/') return false;
    std::size_t p = 0, t = 0, captured = 0;
    while (p < pattern.size()) {
        if (pattern[p] == ':') {
            const std::size_t seg_end = std::min(path.find('/', t), path.size());
            if (seg_end == t || captured == max_path_params) return false;
            params[captured++] = path.substr(t, seg_end - t);
            t = seg_end;
            p = std::min(pattern.find('/', p), pattern.size());
            continue;
        }
        if (t == path.size() || pattern[p] != path[t]) return false;
        ++p;
        ++t;
    }
    return t == path.size();
}

route_match match_route(std::span<const route> table, verb method, std::string_view path) {
    route_match m;
    for (const route& r : table) {
        std::array<std::string_view, max_path_params> params{};
        if (!pattern_matches(r.pattern, path, params)) continue;
        if (!m.fitting) m.fitting = &r;
        if (r.method == method) {
            m.result = route_match::outcome::found;
            m.matched = &r;
            m.params = params;
            m.allow.clear();
            return m;
        }
        m.result = route_match::outcome::method_not_allowed;
        const std::string_view name = bhttp::to_string(r.method);
        if (m.allow.find(name) == std::string::npos) {
            if (!m.allow.empty()) m.allow += ", ";
            m.allow += name;
        }
    }
    return m;
}

void split_target(std::string_view target, std::string_view& path,
                  std::string_view& query) noexcept {
    const std::size_t q = target.find('?');
    if (q == std::string_view::npos) {
        path = target;
        query = {};
    } else {
        path = target.substr(0, q);
        query = target.substr(q + 1);
    }
}

}  // namespace customers::http
