// Ids, the list endpoint's query string (cursors, limit, filters), request
// targets and route matching.
//
// Input: byte 0 picks the HTTP method for route matching; the rest is used
// whole as a query string and as a request target, and its first 32 bytes as
// two id candidates.
// Invariants:
//  - is_valid_id agrees with "16 of [0-9A-Za-z]"; a valid id's time and tail
//    rebuild it with make_id, and ids order as their (time, tail) pairs;
//  - an accepted query string obeys every documented bound and, written back,
//    parses to the same list_query; an error is valid UTF-8 (it goes into a
//    JSON error body);
//  - a target splits into path and query that join back into it; a matched
//    route's captures are non-empty path segments.

#include <algorithm>
#include <array>
#include <string>
#include <tuple>

#include "customers/api/list_params.hpp"
#include "customers/api/routes.hpp"
#include "customers/domain/ids.hpp"
#include "customers/util/text.hpp"
#include "fuzz_target.hpp"

namespace {

using namespace customers;

int base62_digit(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'A' && c <= 'Z') return c - 'A' + 10;
    if (c >= 'a' && c <= 'z') return c - 'a' + 36;
    return -1;
}

bool reference_valid(std::string_view id) {
    if (id.size() != 16) return false;
    for (char c : id)
        if (base62_digit(c) < 0) return false;
    return true;
}

std::uint64_t base62_value(std::string_view digits) {
    std::uint64_t v = 0;
    for (char c : digits) v = v * 62 + static_cast<std::uint64_t>(base62_digit(c));
    return v;
}

std::tuple<std::uint64_t, std::uint64_t> parts(std::string_view id) {
    return {domain::id_micros(id), base62_value(id.substr(9))};
}

void check_id(std::string_view id) {
    const bool valid = domain::is_valid_id(id);
    FUZZ_CHECK(valid == reference_valid(id), "is_valid_id disagrees with the id syntax");
    if (!valid) return;
    FUZZ_CHECK(domain::id_micros(id) == base62_value(id.substr(0, 9)), "id_micros is wrong");
    const auto [micros, tail] = parts(id);
    FUZZ_CHECK(domain::make_id(micros, tail) == id, "make_id does not rebuild a valid id");
}

void check_id_order(std::string_view a, std::string_view b) {
    if (!domain::is_valid_id(a) || !domain::is_valid_id(b)) return;
    FUZZ_CHECK((a < b) == (parts(a) < parts(b)), "id byte order is not creation order");
}

void query_pair(std::string& out, std::string_view name, std::string_view value) {
    static constexpr char hex[] = "0123456789ABCDEF";
    if (!out.empty()) out += '&';
    out += name;
    out += '=';
    for (char ch : value) {
        const auto c = static_cast<unsigned char>(ch);
        out += '%';
        out += hex[c >> 4];
        out += hex[c & 15];
    }
}

std::string to_query(const store::list_query& q) {
    std::string out;
    query_pair(out, "limit", std::to_string(q.limit));
    if (q.starting_after) query_pair(out, "starting_after", *q.starting_after);
    if (q.ending_before) query_pair(out, "ending_before", *q.ending_before);
    if (q.is_flagged) query_pair(out, "is_flagged", *q.is_flagged ? "true" : "false");
    if (q.external_id) query_pair(out, "external_id", *q.external_id);
    if (q.terminated) query_pair(out, "status", *q.terminated ? "terminated" : "active");
    // A contradiction takes two filters; active= disagreeing with status=.
    if (q.contradictory) query_pair(out, "active", *q.terminated ? "true" : "false");
    return out;
}

bool same_query(const store::list_query& a, const store::list_query& b) {
    return a.limit == b.limit && a.starting_after == b.starting_after &&
           a.ending_before == b.ending_before && a.is_flagged == b.is_flagged &&
           a.external_id == b.external_id && a.contradictory == b.contradictory &&
           (a.contradictory || a.terminated == b.terminated);
}

void check_query(std::string_view query) {
    store::list_query q;
    if (const auto e = api::parse_list_query(query, q)) {
        FUZZ_CHECK(!e->message.empty(), "an error without a message");
        FUZZ_CHECK(util::utf8_length(e->message).has_value(), "error message is not UTF-8");
        FUZZ_CHECK(util::utf8_length(e->param).has_value(), "error param is not UTF-8");
        return;
    }
    FUZZ_CHECK(q.limit >= 1 && q.limit <= 100, "limit out of range");
    FUZZ_CHECK(!(q.starting_after && q.ending_before), "both cursors accepted");
    FUZZ_CHECK(!q.starting_after || domain::is_valid_id(*q.starting_after), "bad cursor");
    FUZZ_CHECK(!q.ending_before || domain::is_valid_id(*q.ending_before), "bad cursor");
    if (q.external_id) {
        FUZZ_CHECK(!q.external_id->empty() && q.external_id->size() <= 128, "external_id size");
        for (char c : *q.external_id) FUZZ_CHECK(c >= 0x20 && c <= 0x7E, "external_id bytes");
    }
    const std::string again_text = to_query(q);
    store::list_query again;
    FUZZ_CHECK(!api::parse_list_query(again_text, again), "re-encoded query rejected");
    FUZZ_CHECK(same_query(q, again), "re-encoded query differs: " + again_text);
}

void check_target(http::verb method, std::string_view target) {
    std::string_view path, query;
    http::split_target(target, path, query);
    std::string joined(path);
    if (path.size() < target.size()) joined += "?" + std::string(query);
    FUZZ_CHECK(joined == target, "path and query do not join back into the target");
    FUZZ_CHECK(path.find('?') == std::string_view::npos, "path holds a '?'");

    const http::route_match m = http::match_route(api::routes(), method, path);
    if (m.result == http::route_outcome::method_not_allowed)
        FUZZ_CHECK(!m.allow.empty(), "405 without Allow");
    if (m.result != http::route_outcome::found) return;
    // HEAD is served by the GET row of a path (RFC 9110 §9.3.2).
    const bool head_by_get =
        method == http::verb::head && m.matched != nullptr && m.matched->method == http::verb::get;
    FUZZ_CHECK(m.matched != nullptr && (m.matched->method == method || head_by_get),
               "matched another method");
    const auto captures = static_cast<std::size_t>(
        std::count(m.matched->pattern.begin(), m.matched->pattern.end(), ':'));
    for (std::size_t i = 0; i < captures; ++i) {
        FUZZ_CHECK(!m.params[i].empty(), "empty capture");
        FUZZ_CHECK(m.params[i].find('/') == std::string_view::npos, "capture spans segments");
        FUZZ_CHECK(m.params[i].data() >= path.data() &&
                       m.params[i].data() + m.params[i].size() <= path.data() + path.size(),
                   "capture outside the path");
    }
}

}  // namespace

CUSTOMERS_FUZZ_TARGET(fuzz_ids) {
    if (size < 1) return 0;
    static constexpr std::array<http::verb, 6> methods{http::verb::get,     http::verb::post,
                                                       http::verb::patch,   http::verb::put,
                                                       http::verb::delete_, http::verb::head};
    const http::verb method = methods[data[0] % methods.size()];
    const std::string_view text(reinterpret_cast<const char*>(data) + 1, size - 1);

    const std::string_view a = text.substr(0, 16);
    const std::string_view b = text.size() > 16 ? text.substr(16, 16) : std::string_view{};
    check_id(a);
    check_id(b);
    check_id(text);
    check_id_order(a, b);
    check_query(text);
    check_target(method, text);
    return 0;
}
