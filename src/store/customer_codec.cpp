#include "customers/store/customer_codec.hpp"

#include "customers/domain/ids.hpp"
#include "customers/util/text.hpp"

namespace customers::store {
namespace {

// created_at as the id's time part says it; nullopt for an id that is not
// one of ours.
std::optional<std::int64_t> created_at_of(std::string_view id) {
    if (!domain::is_valid_id(id)) return std::nullopt;
    return domain::id_seconds(id);
}

}  // namespace

hash_fields to_hash(const domain::customer& c) {
    hash_fields h;
    h.reserve(14);
    h.emplace_back("u", c.username);
    h.emplace_back("p", c.phone_number);
    if (c.avatar_url) h.emplace_back("a", *c.avatar_url);
    if (c.display_name) h.emplace_back("d", *c.display_name);
    if (c.external_id) h.emplace_back("x", *c.external_id);
    h.emplace_back("v", c.conversation_id);
    if (c.terminated) h.emplace_back("s", "t");
    if (c.terminated_at) h.emplace_back("T", std::to_string(*c.terminated_at));
    if (c.is_flagged) h.emplace_back("f", "1");
    if (c.meta != "{}") h.emplace_back("m", c.meta);
    if (c.last_active_at) h.emplace_back("l", std::to_string(*c.last_active_at));
    if (c.last_transaction_at) h.emplace_back("L", std::to_string(*c.last_transaction_at));
    // Derivable fields are left out: c while it is the id's creation time,
    // U while it equals created_at (from_hash restores both).
    if (created_at_of(c.id) != c.created_at) h.emplace_back("c", std::to_string(c.created_at));
    if (c.updated_at != c.created_at) h.emplace_back("U", std::to_string(c.updated_at));
    return h;
}

std::optional<domain::customer> from_hash(std::string_view project, std::string_view id,
                                          redis::reply&& hgetall) {
    if (hgetall.kind != redis::reply::type::array || hgetall.elements.empty() ||
        hgetall.elements.size() % 2 != 0)
        return std::nullopt;
    domain::customer c;
    c.id = id;
    c.project_id = project;
    bool has_created = false, has_updated = false;
    for (std::size_t i = 0; i + 1 < hgetall.elements.size(); i += 2) {
        const std::string& f = hgetall.elements[i].str;
        std::string& v = hgetall.elements[i + 1].str;
        if (f.size() != 1) continue;  // a field of a later version: ignore
        switch (f[0]) {
            case 'u':
                c.username = std::move(v);
                break;
            case 'p':
                c.phone_number = std::move(v);
                break;
            case 'a':
                c.avatar_url = std::move(v);
                break;
            case 'd':
                c.display_name = std::move(v);
                break;
            case 'x':
                c.external_id = std::move(v);
                break;
            case 'v':
                c.conversation_id = std::move(v);
                break;
            case 's':
                c.terminated = v == "t";
                break;
            case 'T':
                c.terminated_at = util::parse_int64(v);
                break;
            case 'f':
                c.is_flagged = v == "1";
                break;
            case 'm':
                // Written by us from validated input; a cheap shape check
                // guards the response against a hand-edited hash.
                if (v.size() < 2 || v.front() != '{' || v.back() != '}') return std::nullopt;
                c.meta = std::move(v);
                break;
            case 'l':
                c.last_active_at = util::parse_int64(v);
                break;
            case 'L':
                c.last_transaction_at = util::parse_int64(v);
                break;
            case 'c':
                if (auto t = util::parse_int64(v))
                    c.created_at = *t, has_created = true;
                else
                    return std::nullopt;
                break;
            case 'U':
                if (auto t = util::parse_int64(v)) c.updated_at = *t, has_updated = true;
                break;
            default:
                break;
        }
    }
    if (!has_created) {
        const auto t = created_at_of(id);
        if (!t) return std::nullopt;
        c.created_at = *t;
    }
    if (!has_updated) c.updated_at = c.created_at;
    // Every customer hash has a username and a conversation id.
    if (c.username.empty() || c.conversation_id.empty()) return std::nullopt;
    return c;
}

}  // namespace customers::store
