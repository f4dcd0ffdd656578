#include "customers/http/router.hpp"

#include <algorithm>

#include "customers/http/errors.hpp"
#include "customers/util/log.hpp"

namespace customers::http {
bool pattern_matches(std::string_view pattern, std::string_view path,
                     path_params& params) noexcept {
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

namespace detail {

void add_allowed(std::string& allow, verb method) {
    const auto add = [&allow](std::string_view name) {
        if (allow.find(name) != std::string::npos) return;
        if (!allow.empty()) allow += ", ";
        allow += name;
    };
    add(bhttp::to_string(method));
    if (method == verb::get) add(bhttp::to_string(verb::head));
}

response not_found(std::string_view path) {
    return make_error(status::not_found, "no such endpoint: " + std::string(path));
}

response method_not_allowed(std::string_view method, const std::string& allow) {
    response res =
        make_error(status::method_not_allowed,
                   "method " + std::string(method) + " is not allowed here; allowed: " + allow);
    res.set(bhttp::field::allow, allow);
    return res;
}

response handler_failed(std::string_view pattern, const std::exception& e) {
    // A bug, not an expected failure: those are values. Keep serving.
    log::error("handler for ", pattern, " threw: ", e.what());
    return make_error(status::internal_server_error, "internal error");
}

}  // namespace detail
}  // namespace customers::http
