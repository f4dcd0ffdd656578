#include <array>
#include <cctype>

#include "customers/domain/customer.hpp"
#include "customers/util/json_writer.hpp"
#include "customers/util/text.hpp"

namespace customers::domain {
namespace {

constexpr std::array<field_rule, 16> rules{{
    {"id", field_kind::text, false, false},
    {"project_id", field_kind::text, false, false},
    {"external_id", field_kind::nullable_text, true, true},
    {"username", field_kind::text, true, false},
    {"phone_number", field_kind::text, true, false},
    {"avatar_url", field_kind::nullable_text, true, false},
    {"display_name", field_kind::nullable_text, true, true},
    {"conversation_id", field_kind::text, false, false},
    {"status", field_kind::status, false, true},
    {"terminated_at", field_kind::text, false, false},
    {"is_flagged", field_kind::boolean, true, true},
    {"meta", field_kind::meta, true, true},
    {"last_active_at", field_kind::text, false, false},
    {"last_transaction_at", field_kind::text, false, false},
    {"created_at", field_kind::text, false, false},
    {"updated_at", field_kind::text, false, false},
}};

bool is_username_char(char c) noexcept {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
           c == '.' || c == '-';
}

std::optional<input_error> check_username(const std::string& v) {
    if (v.empty() || v.size() > 64)
        return invalid("username", "username must be 1 to 64 characters long");
    for (char c : v)
        if (!is_username_char(c))
            return invalid("username",
                           "username may contain only letters, digits, '_', '.' and '-'");
    return std::nullopt;
}

std::optional<input_error> check_phone(const std::string& v) {
    if (v.size() < 3 || v.size() > 32)
        return invalid("phone_number", "phone_number must be 3 to 32 characters long");
    int digits = 0;
    for (char c : v) {
        if (c >= '0' && c <= '9')
            ++digits;
        else if (c != ' ' && c != '+' && c != '-' && c != '.' && c != '(' && c != ')')
            return invalid("phone_number",
                           "phone_number may contain only digits, spaces and + - . ( )");
    }
    if (digits < 3) return invalid("phone_number", "phone_number must contain at least 3 digits");
    return std::nullopt;
}

std::optional<input_error> check_avatar_url(const std::string& v) {
    if (v.size() > 2048) return invalid("avatar_url", "avatar_url must be at most 2048 characters");
    std::string_view rest;
    const std::string_view s = v;
    auto starts_with_ci = [&](std::string_view prefix) {
        if (s.size() < prefix.size()) return false;
        for (std::size_t i = 0; i < prefix.size(); ++i)
            if (std::tolower(static_cast<unsigned char>(s[i])) != prefix[i]) return false;
        return true;
    };
    if (starts_with_ci("https://"))
        rest = s.substr(8);
    else if (starts_with_ci("http://"))
        rest = s.substr(7);
    else
        return invalid("avatar_url", "avatar_url must be an absolute http or https URL");
    const std::size_t host_end = rest.find_first_of("/?#");
    if (rest.substr(0, host_end).empty())
        return invalid("avatar_url", "avatar_url must name a host");
    for (char c : s)
        if (static_cast<unsigned char>(c) <= 0x20 || static_cast<unsigned char>(c) >= 0x7F)
            return invalid("avatar_url",
                           "avatar_url must not contain spaces or non-ASCII characters "
                           "(percent-encode them)");
    return std::nullopt;
}

std::optional<input_error> check_display_name(const std::string& v) {
    const auto len = util::utf8_length(v);
    if (!len) return invalid("display_name", "display_name must be valid UTF-8");
    if (*len > 128) return invalid("display_name", "display_name must be at most 128 characters");
    if (util::has_control_chars(v))
        return invalid("display_name", "display_name must not contain control characters");
    return std::nullopt;
}

std::optional<input_error> check_meta(const meta_map& meta) {
    if (meta.size() > max_meta_keys) return too_many_meta_keys();
    for (std::size_t i = 0; i < meta.size(); ++i) {
        const auto& [key, value] = meta[i];
        const auto key_len = util::utf8_length(key);
        if (!key_len || *key_len == 0 || *key_len > 40 || util::has_control_chars(key))
            return invalid("meta",
                           "meta keys must be 1 to 40 characters without control characters");
        const auto value_len = util::utf8_length(value);
        if (!value_len) return invalid("meta[" + key + "]", "meta values must be valid UTF-8");
        if (*value_len > 500)
            return invalid("meta[" + key + "]", "meta values must be at most 500 characters");
        for (std::size_t j = 0; j < i; ++j)
            if (meta[j].first == key) return invalid("meta[" + key + "]", "duplicate meta key");
    }
    return std::nullopt;
}

}  // namespace

std::string meta_json(const meta_map& meta) {
    std::string out = "{";
    for (std::size_t i = 0; i < meta.size(); ++i) {
        if (i) out += ',';
        util::append_json_string(out, meta[i].first);
        out += ':';
        util::append_json_string(out, meta[i].second);
    }
    out += '}';
    return out;
}

input_error too_many_meta_keys() {
    return invalid("meta", "meta may have at most " + std::to_string(max_meta_keys) + " keys");
}

std::optional<input_error> check_external_id(std::string_view v) {
    if (v.empty() || v.size() > 128)
        return invalid("external_id", "external_id must be 1 to 128 characters long");
    for (char c : v)
        if (c < 0x20 || c > 0x7E)
            return invalid("external_id",
                           "external_id may contain only printable ASCII characters");
    return std::nullopt;
}

const field_rule* find_field(std::string_view name) noexcept {
    for (const field_rule& r : rules)
        if (r.name == name) return &r;
    return nullptr;
}

std::optional<input_error> check_field_allowed(std::string_view name, operation op) {
    const field_rule* r = find_field(name);
    if (!r) return invalid(name, "unknown field: " + std::string(name));
    if (op == operation::create && !r->on_create) {
        if (r->on_update)
            return invalid(name, std::string(name) + " cannot be set when creating a customer");
        return invalid(name, std::string(name) + " is set by the server and cannot be given");
    }
    if (op == operation::update && !r->on_update)
        return invalid(name, std::string(name) + " cannot be changed");
    return std::nullopt;
}

std::optional<input_error> validate(const customer_input& in, operation op) {
    if (op == operation::create) {
        if (!in.username) return invalid("username", "username is required");
        if (!in.phone_number) return invalid("phone_number", "phone_number is required");
    }
    if (in.username)
        if (auto e = check_username(*in.username)) return e;
    if (in.phone_number)
        if (auto e = check_phone(*in.phone_number)) return e;
    if (in.avatar_url && *in.avatar_url)
        if (auto e = check_avatar_url(**in.avatar_url)) return e;
    if (in.display_name && *in.display_name)
        if (auto e = check_display_name(**in.display_name)) return e;
    if (in.external_id && *in.external_id)
        if (auto e = check_external_id(**in.external_id)) return e;
    if (in.meta)
        if (auto e = check_meta(*in.meta)) return e;
    return std::nullopt;
}

}  // namespace customers::domain
