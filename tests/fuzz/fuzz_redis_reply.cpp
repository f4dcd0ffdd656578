// RESP bytes from Redis through the decoder (hiredis's reader building our
// reply values) and HGETALL-shaped replies through the customer codec.
//
// Input: byte 0 picks the chunk size the stream is fed in and the id the
// customer codec is given; the rest is the byte stream.
// Invariants:
//  - feeding the stream whole or in chunks gives the same replies and the
//    same protocol-error verdict;
//  - every reply, encoded back to RESP, decodes to itself;
//  - a reply the customer codec accepts goes through to_hash and back to an
//    identical customer, and its JSON (when its stored text is valid) parses
//    with every field intact.

#include <string>
#include <vector>

#include <boost/json/value.hpp>

#include "customers/api/customer_json.hpp"
#include "customers/redis/codec.hpp"
#include "customers/util/text.hpp"
#include "fuzz_target.hpp"
#include "fuzz_values.hpp"

namespace {

using namespace customers;
using redis::reply;

struct decoded {
    std::vector<reply> replies;
    bool protocol_error = false;
};

// Drains every complete reply; stops at a protocol error.
void drain(redis::decoder& d, decoded& out) {
    while (!out.protocol_error) {
        auto next = d.next();
        if (!next) {
            out.protocol_error = true;
            FUZZ_CHECK(!d.last_error().empty(), "a protocol error without a description");
            return;
        }
        if (!*next) return;
        out.replies.push_back(std::move(**next));
    }
}

decoded decode(std::string_view bytes, std::size_t chunk) {
    redis::decoder d;
    decoded out;
    for (std::size_t at = 0; at < bytes.size() && !out.protocol_error; at += chunk) {
        d.feed(bytes.substr(at, chunk));
        drain(d, out);
    }
    return out;
}

void encode_reply(std::string& out, const reply& r) {
    switch (r.kind) {
        case reply::type::string:
            out += '$' + std::to_string(r.str.size()) + "\r\n" + r.str + "\r\n";
            break;
        case reply::type::status:
            out += '+' + r.str + "\r\n";
            break;
        case reply::type::error:
            out += '-' + r.str + "\r\n";
            break;
        case reply::type::integer:
            out += ':' + std::to_string(r.integer) + "\r\n";
            break;
        case reply::type::nil:
            out += "$-1\r\n";
            break;
        case reply::type::array:
            out += '*' + std::to_string(r.elements.size()) + "\r\n";
            for (const reply& e : r.elements) encode_reply(out, e);
            break;
    }
}

bool valid_text(const std::string& s) {
    return util::utf8_length(s).has_value();
}

bool valid_text(const std::optional<std::string>& s) {
    return !s || valid_text(*s);
}

// The customer's JSON, as a client parses it, against the customer.
void check_customer_json(const domain::customer& c) {
    if (fuzz::parse_json(c.meta).kind() != boost::json::kind::object) return;  // hand-edited
    if (!valid_text(c.username) || !valid_text(c.phone_number) || !valid_text(c.avatar_url) ||
        !valid_text(c.display_name) || !valid_text(c.external_id) || !valid_text(c.conversation_id))
        return;  // the server only ever stores valid UTF-8
    const boost::json::value v = fuzz::parse_json(api::customer_json(c));
    FUZZ_CHECK(v.is_object(), "customer JSON does not parse");
    const auto& o = v.as_object();
    FUZZ_CHECK(o.at("username").as_string() == c.username, "username changed in JSON");
    FUZZ_CHECK(o.at("phone_number").as_string() == c.phone_number, "phone changed in JSON");
    FUZZ_CHECK(o.at("conversation_id").as_string() == c.conversation_id, "conversation changed");
    FUZZ_CHECK(o.at("display_name").is_null() == !c.display_name, "display_name nullness");
    if (c.display_name)
        FUZZ_CHECK(o.at("display_name").as_string() == *c.display_name, "display_name changed");
    FUZZ_CHECK(o.at("created_at").as_int64() == c.created_at, "created_at changed in JSON");
    FUZZ_CHECK(o.at("updated_at").as_int64() == c.updated_at, "updated_at changed in JSON");
    FUZZ_CHECK(o.at("terminated_at").is_null() == !c.terminated_at, "terminated_at nullness");
}

void check_customer_codec(const reply& r, std::string_view id) {
    reply copy = r;
    const auto c = store::from_hash("proj", id, std::move(copy));
    if (!c) return;
    FUZZ_CHECK(!c->username.empty() && !c->conversation_id.empty(), "customer lacks identity");
    const auto back = store::from_hash("proj", id, fuzz::as_hgetall(store::to_hash(*c)));
    FUZZ_CHECK(back.has_value(), "to_hash of a decoded customer is rejected");
    FUZZ_CHECK(fuzz::same_customer(*c, *back), "customer changed through to_hash/from_hash");
    check_customer_json(*c);
}

}  // namespace

CUSTOMERS_FUZZ_TARGET(fuzz_redis_reply) {
    if (size < 1) return 0;
    const std::size_t chunk = 1 + data[0] % 16;
    const std::string_view id = (data[0] & 0x80) ? "WAz8eIbvDR60rouK" : "not-an-id";
    const std::string_view bytes(reinterpret_cast<const char*>(data) + 1, size - 1);

    const decoded whole = decode(bytes, bytes.size() + 1);
    const decoded split = decode(bytes, chunk);
    FUZZ_CHECK(whole.protocol_error == split.protocol_error, "chunking changed the verdict");
    FUZZ_CHECK(whole.replies.size() == split.replies.size(), "chunking changed the replies");
    for (std::size_t i = 0; i < whole.replies.size(); ++i)
        FUZZ_CHECK(fuzz::same_reply(whole.replies[i], split.replies[i]),
                   "chunking changed a reply");

    for (const reply& r : whole.replies) {
        std::string again;
        encode_reply(again, r);
        const decoded round = decode(again, again.size());
        FUZZ_CHECK(!round.protocol_error && round.replies.size() == 1, "re-encoded reply fails");
        FUZZ_CHECK(fuzz::same_reply(round.replies[0], r), "re-encoded reply differs");
        check_customer_codec(r, id);
    }
    return 0;
}
