// Create and update bodies, JSON or form, through the decoders and
// domain::validate(), as the handlers run them.
//
// Input: byte 0 bit 0 picks the format (JSON/form), bit 1 the operation
// (create/update); the rest is the body.
// Invariants:
//  - an error names its parameter and says why in valid UTF-8 (it goes into
//    the JSON error body);
//  - accepted input, written back as JSON and as a form, decodes and
//    validates to the same value in both formats;
//  - meta_json() of accepted meta parses to the same pairs, in order;
//  - a customer created from accepted input shows every value unchanged in
//    its JSON and survives the Redis hash codec.

#include <string>

#include <boost/json/value.hpp>

#include "customers/api/customer_decode.hpp"
#include "customers/api/customer_json.hpp"
#include "customers/domain/ids.hpp"
#include "customers/util/json_writer.hpp"
#include "customers/util/text.hpp"
#include "fuzz_target.hpp"
#include "fuzz_values.hpp"

namespace {

using namespace customers;
using domain::customer_input;
using domain::operation;

std::optional<domain::input_error> decode(bool json, std::string_view body, operation op,
                                          customer_input& out) {
    auto e = json ? api::decode_json(body, op, out) : api::decode_form(body, op, out);
    if (!e) e = domain::validate(out, op);
    return e;
}

void json_member(std::string& out, std::string_view name) {
    out += out.size() > 1 ? "," : "";
    util::append_json_string(out, name);
    out += ':';
}

std::string to_json(const customer_input& in) {
    std::string out = "{";
    auto text = [&](std::string_view name, const std::optional<std::string>& v) {
        if (!v) return;
        json_member(out, name);
        util::append_json_string(out, *v);
    };
    auto nullable = [&](std::string_view name, const std::optional<std::optional<std::string>>& v) {
        if (!v) return;
        json_member(out, name);
        util::append_json_nullable(out, *v);
    };
    text("username", in.username);
    text("phone_number", in.phone_number);
    nullable("avatar_url", in.avatar_url);
    nullable("display_name", in.display_name);
    nullable("external_id", in.external_id);
    if (in.is_flagged) {
        json_member(out, "is_flagged");
        out += *in.is_flagged ? "true" : "false";
    }
    if (in.meta) {
        json_member(out, "meta");
        out += domain::meta_json(*in.meta);
    }
    if (in.terminated) {
        json_member(out, "status");
        out += *in.terminated ? "\"terminated\"" : "\"active\"";
    }
    return out + "}";
}

void form_escape(std::string& out, std::string_view s) {
    static constexpr char hex[] = "0123456789ABCDEF";
    for (char ch : s) {
        const auto c = static_cast<unsigned char>(ch);
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) {
            out += ch;
        } else {
            out += '%';
            out += hex[c >> 4];
            out += hex[c & 15];
        }
    }
}

void form_pair(std::string& out, std::string_view name, std::string_view value) {
    if (!out.empty()) out += '&';
    form_escape(out, name);
    out += '=';
    form_escape(out, value);
}

std::string to_form(const customer_input& in) {
    std::string out;
    if (in.username) form_pair(out, "username", *in.username);
    if (in.phone_number) form_pair(out, "phone_number", *in.phone_number);
    if (in.avatar_url) form_pair(out, "avatar_url", in.avatar_url->value_or(""));
    if (in.display_name) form_pair(out, "display_name", in.display_name->value_or(""));
    if (in.external_id) form_pair(out, "external_id", in.external_id->value_or(""));
    if (in.is_flagged) form_pair(out, "is_flagged", *in.is_flagged ? "true" : "false");
    if (in.meta && in.meta->empty()) form_pair(out, "meta", "");
    if (in.meta)
        for (const auto& [k, v] : *in.meta) form_pair(out, "meta[" + k + "]", v);
    if (in.terminated) form_pair(out, "status", *in.terminated ? "terminated" : "active");
    return out;
}

void check_round_trip(const customer_input& in, operation op, bool json) {
    const std::string body = json ? to_json(in) : to_form(in);
    customer_input again;
    const auto e = decode(json, body, op, again);
    FUZZ_CHECK(!e, "accepted input re-encoded is rejected: " + body + " -> " +
                       (e ? e->message : std::string()));
    FUZZ_CHECK(fuzz::same_input(in, again), "accepted input changed when re-encoded: " + body);
}

void check_meta_json(const domain::meta_map& meta) {
    const boost::json::value v = fuzz::parse_json(domain::meta_json(meta));
    FUZZ_CHECK(v.is_object(), "meta_json is not a JSON object");
    const auto& o = v.as_object();
    FUZZ_CHECK(o.size() == meta.size(), "meta_json lost pairs");
    std::size_t i = 0;
    for (const auto& kv : o) {
        FUZZ_CHECK(kv.key() == meta[i].first, "meta key changed");
        FUZZ_CHECK(kv.value().as_string() == meta[i].second, "meta value changed");
        ++i;
    }
}

void check_created(const customer_input& in) {
    domain::customer c;
    c.id = domain::make_id(1'700'000'000'123'456ULL, 77);
    c.project_id = "proj";
    c.username = *in.username;
    c.phone_number = *in.phone_number;
    c.avatar_url = in.avatar_url.value_or(std::nullopt);
    c.display_name = in.display_name.value_or(std::nullopt);
    c.external_id = in.external_id.value_or(std::nullopt);
    c.is_flagged = in.is_flagged.value_or(false);
    c.meta = domain::meta_json(in.meta.value_or(domain::meta_map{}));
    c.conversation_id = domain::make_id(1'700'000'000'123'456ULL, 78);
    c.created_at = c.updated_at = domain::id_seconds(c.id);

    const boost::json::value v = fuzz::parse_json(api::customer_json(c));
    FUZZ_CHECK(v.is_object(), "customer JSON does not parse");
    const auto& o = v.as_object();
    FUZZ_CHECK(o.at("username").as_string() == c.username, "username changed in JSON");
    FUZZ_CHECK(o.at("phone_number").as_string() == c.phone_number, "phone changed in JSON");
    FUZZ_CHECK(o.at("display_name").is_null() == !c.display_name, "display_name nullness");
    if (c.display_name)
        FUZZ_CHECK(o.at("display_name").as_string() == *c.display_name, "display_name changed");
    if (c.external_id)
        FUZZ_CHECK(o.at("external_id").as_string() == *c.external_id, "external_id changed");
    if (c.avatar_url)
        FUZZ_CHECK(o.at("avatar_url").as_string() == *c.avatar_url, "avatar_url changed");
    FUZZ_CHECK(o.at("meta").as_object().size() == in.meta.value_or(domain::meta_map{}).size(),
               "meta changed in JSON");

    const auto back = store::from_hash("proj", c.id, fuzz::as_hgetall(store::to_hash(c)));
    FUZZ_CHECK(back && fuzz::same_customer(c, *back), "customer changed through its hash");
}

}  // namespace

CUSTOMERS_FUZZ_TARGET(fuzz_body) {
    if (size < 1) return 0;
    const bool json = (data[0] & 1) != 0;
    const operation op = (data[0] & 2) ? operation::update : operation::create;
    const std::string_view body(reinterpret_cast<const char*>(data) + 1, size - 1);

    customer_input in;
    if (const auto e = decode(json, body, op, in)) {
        FUZZ_CHECK(!e->message.empty(), "an error without a message");
        FUZZ_CHECK(util::utf8_length(e->message).has_value(), "error message is not UTF-8");
        FUZZ_CHECK(util::utf8_length(e->param).has_value(), "error param is not UTF-8");
        return 0;
    }
    check_round_trip(in, op, true);
    check_round_trip(in, op, false);
    if (in.meta) check_meta_json(*in.meta);
    if (op == operation::create) check_created(in);
    return 0;
}
