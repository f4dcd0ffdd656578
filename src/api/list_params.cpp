#include "customers/api/list_params.hpp"

#include <algorithm>
#include <array>

#include "customers/domain/ids.hpp"
#include "customers/util/text.hpp"

namespace customers::api {
namespace {

using domain::input_error;
using domain::invalid;

std::optional<bool> parse_bool(std::string_view v) {
    if (v == "true") return true;
    if (v == "false") return false;
    return std::nullopt;
}

// Combines a status filter with one already set (active= and status= both
// given): they must agree, or nothing can match.
void require_terminated(store::list_query& q, bool terminated) {
    if (q.terminated && *q.terminated != terminated) q.contradictory = true;
    q.terminated = terminated;
}

}  // namespace

std::optional<input_error> parse_list_query(std::string_view query, store::list_query& out) {
    std::string bad;
    auto pairs = util::parse_form(query, &bad);
    if (!pairs)
        return invalid({}, "malformed percent-encoding in the query string: " +
                               util::utf8_or_replacement(bad));
    static constexpr std::array<std::string_view, 7> known{
        "limit",  "starting_after", "ending_before", "active",
        "status", "is_flagged",     "external_id"};
    std::vector<std::string_view> seen;
    for (const auto& [name, value] : *pairs) {
        if (std::find(known.begin(), known.end(), name) == known.end()) {
            // Quoted in the JSON error body, which must stay valid UTF-8.
            const std::string shown = util::utf8_or_replacement(name);
            return invalid(shown, "unknown parameter: " + shown);
        }
        if (std::find(seen.begin(), seen.end(), name) != seen.end())
            return invalid(name, "duplicate parameter: " + name);
        seen.push_back(name);

        if (name == "limit") {
            const auto n = util::parse_int64(value);
            if (!n || *n < 1 || *n > 100) return invalid(name, "limit must be between 1 and 100");
            out.limit = static_cast<std::size_t>(*n);
        } else if (name == "starting_after" || name == "ending_before") {
            if (!domain::is_valid_id(value))
                return invalid(name, name + " must be a customer id (16 letters and digits)");
            (name == "starting_after" ? out.starting_after : out.ending_before) = value;
        } else if (name == "active") {
            const auto b = parse_bool(value);
            if (!b) return invalid(name, "active must be true or false");
            require_terminated(out, !*b);
        } else if (name == "status") {
            if (value != "active" && value != "terminated")
                return invalid(name, "status must be active or terminated");
            require_terminated(out, value == "terminated");
        } else if (name == "is_flagged") {
            const auto b = parse_bool(value);
            if (!b) return invalid(name, "is_flagged must be true or false");
            out.is_flagged = *b;
        } else {  // external_id
            if (auto e = domain::check_external_id(value)) return e;
            out.external_id = value;
        }
    }
    if (out.starting_after && out.ending_before)
        return invalid("ending_before", "starting_after and ending_before cannot be used together");
    return std::nullopt;
}

}  // namespace customers::api
