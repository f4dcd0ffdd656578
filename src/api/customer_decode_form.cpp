#include "customers/api/customer_decode.hpp"

#include <boost/beast/core/string.hpp>

#include "customers/util/text.hpp"

namespace customers::api {
namespace {

using domain::field_kind;
using domain::input_error;
using domain::invalid;

// meta= replaces meta with nothing while meta[key]=value pairs build it: in
// one body they contradict each other, whichever comes first.
input_error meta_both_ways() {
    return invalid("meta", "meta given both as a whole (meta=) and by key (meta[key]=value)");
}

// Sets one top-level field from its form value.
std::optional<input_error> set_field(const domain::field_rule& rule, std::string value,
                                     domain::customer_input& out) {
    const std::string_view name = rule.name;
    switch (rule.kind) {
        case field_kind::text:
            if (name == "username")
                out.username = std::move(value);
            else
                out.phone_number = std::move(value);
            return std::nullopt;
        case field_kind::nullable_text: {
            std::optional<std::string> v;
            if (!value.empty()) v = std::move(value);
            if (name == "avatar_url")
                out.avatar_url = std::move(v);
            else if (name == "display_name")
                out.display_name = std::move(v);
            else
                out.external_id = std::move(v);
            return std::nullopt;
        }
        case field_kind::boolean:
            if (value != "true" && value != "false")
                return invalid(name, std::string(name) + " must be true or false");
            out.is_flagged = value == "true";
            return std::nullopt;
        case field_kind::status:
            if (value != "active" && value != "terminated")
                return invalid(name, "status must be active or terminated");
            out.terminated = value == "terminated";
            return std::nullopt;
        case field_kind::meta:
            // Only "meta=" (clear) reaches here; pairs come as meta[key].
            if (!value.empty())
                return invalid("meta",
                               "meta must be sent as meta[key]=value pairs, or meta= to clear");
            out.meta.emplace();
            return std::nullopt;
    }
    return std::nullopt;
}

}  // namespace

body_format format_of(std::string_view content_type) noexcept {
    const std::string_view mime = content_type.substr(0, content_type.find(';'));
    auto trimmed = mime;
    while (!trimmed.empty() && trimmed.back() == ' ') trimmed.remove_suffix(1);
    while (!trimmed.empty() && trimmed.front() == ' ') trimmed.remove_prefix(1);
    if (trimmed.empty()) return body_format::form;
    if (boost::beast::iequals(trimmed, "application/json")) return body_format::json;
    if (boost::beast::iequals(trimmed, "application/x-www-form-urlencoded"))
        return body_format::form;
    return body_format::unsupported;
}

std::optional<input_error> decode_form(std::string_view body, domain::operation op,
                                       domain::customer_input& out) {
    std::string bad;
    auto pairs = util::parse_form(body, &bad);
    if (!pairs)
        return invalid({}, "malformed percent-encoding in the request body: " +
                               util::utf8_or_replacement(bad));
    std::vector<std::string_view> seen;
    bool meta_by_key = false;  // a meta[key]=value pair was read
    for (auto& [name, value] : *pairs) {
        if (!util::utf8_length(name) || !util::utf8_length(value))
            return invalid(util::utf8_length(name) ? name : std::string{},
                           "the request body must be valid UTF-8");
        if (name.starts_with("meta[") && name.ends_with("]") && name.size() > 6) {
            if (auto e = domain::check_field_allowed("meta", op)) return e;
            if (out.meta && !meta_by_key) return meta_both_ways();
            meta_by_key = true;
            if (!out.meta) out.meta.emplace();
            out.meta->emplace_back(name.substr(5, name.size() - 6), std::move(value));
            continue;
        }
        if (auto e = domain::check_field_allowed(name, op)) return e;
        for (std::string_view s : seen)
            if (s == name) return invalid(name, "duplicate parameter: " + name);
        seen.push_back(name);
        if (name == "meta" && meta_by_key) return meta_both_ways();
        if (auto e = set_field(*domain::find_field(name), std::move(value), out)) return e;
    }
    return std::nullopt;
}

}  // namespace customers::api
