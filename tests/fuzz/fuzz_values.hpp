#pragma once
// Comparisons and conversions the harnesses share: the product's value
// types have no operator==, and invariants compare whole values.

#include <string>
#include <string_view>

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>

#include "customers/domain/customer.hpp"
#include "customers/redis/reply.hpp"
#include "customers/store/customer_codec.hpp"

namespace customers::fuzz {

inline bool same_customer(const domain::customer& a, const domain::customer& b) {
    return a.id == b.id && a.project_id == b.project_id && a.external_id == b.external_id &&
           a.username == b.username && a.phone_number == b.phone_number &&
           a.avatar_url == b.avatar_url && a.display_name == b.display_name &&
           a.conversation_id == b.conversation_id && a.terminated == b.terminated &&
           a.terminated_at == b.terminated_at && a.is_flagged == b.is_flagged && a.meta == b.meta &&
           a.last_active_at == b.last_active_at && a.last_transaction_at == b.last_transaction_at &&
           a.created_at == b.created_at && a.updated_at == b.updated_at;
}

inline bool same_input(const domain::customer_input& a, const domain::customer_input& b) {
    return a.username == b.username && a.phone_number == b.phone_number &&
           a.avatar_url == b.avatar_url && a.display_name == b.display_name &&
           a.external_id == b.external_id && a.is_flagged == b.is_flagged && a.meta == b.meta &&
           a.terminated == b.terminated;
}

inline bool same_reply(const redis::reply& a, const redis::reply& b) {
    if (a.kind != b.kind) return false;
    switch (a.kind) {
        case redis::reply::type::integer:
            return a.integer == b.integer;
        case redis::reply::type::nil:
            return true;
        case redis::reply::type::array:
            if (a.elements.size() != b.elements.size()) return false;
            for (std::size_t i = 0; i < a.elements.size(); ++i)
                if (!same_reply(a.elements[i], b.elements[i])) return false;
            return true;
        default:
            return a.str == b.str;
    }
}

// The HGETALL reply Redis would give for these fields.
inline redis::reply as_hgetall(const store::hash_fields& fields) {
    redis::reply r;
    r.kind = redis::reply::type::array;
    for (const auto& [name, value] : fields) {
        r.elements.push_back({redis::reply::type::string, std::string(name), 0, {}});
        r.elements.push_back({redis::reply::type::string, value, 0, {}});
    }
    return r;
}

// Parses JSON the way a client would; a null value when it is not JSON.
inline boost::json::value parse_json(std::string_view text) {
    boost::system::error_code ec;
    boost::json::value v = boost::json::parse(text, ec);
    return ec ? boost::json::value() : v;
}

}  // namespace customers::fuzz
