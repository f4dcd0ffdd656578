#include "customers/http/router.hpp"

namespace customers::http {
namespace {

// Next '/'-separated segment of `s` after position `pos` (which points at a
// '/'); advances `pos` to the following '/' or the end.
std::string_view next_segment(std::string_view s, std::size_t& pos) noexcept {
    const std::size_t start = pos + 1;
    std::size_t end = s.find('/', start);
    if (end == std::string_view::npos) end = s.size();
    pos = end;
    return s.substr(start, end - start);
}

}  // namespace

bool pattern_matches(std::string_view pattern, std::string_view path,
                     std::array<std::string_view, max_path_params>& params) noexcept {
    if (pattern.empty() || path.empty() || pattern[0] != '/' || path[0] != '/') return false;
    std::size_t pp = 0, tp = 0, captured = 0;
    while (pp < pattern.size() && tp < path.size()) {
        const std::string_view want = next_segment(pattern, pp);
        const std::string_view got = next_segment(path, tp);
        if (!want.empty() && want[0] == ':') {
            // A capture needs a non-empty segment; validation of its content
            // belongs to the handler, which can name the parameter.
            if (got.empty() || captured == max_path_params) return false;
            params[captured++] = got;
        } else if (want != got) {
            return false;
        }
    }
    return pp == pattern.size() && tp == path.size();
}

route_match match_route(std::span<const route> table, verb method, std::string_view path) {
    route_match m;
    for (const route& r : table) {
        std::array<std::string_view, max_path_params> params{};
        if (!pattern_matches(r.pattern, path, params)) continue;
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
