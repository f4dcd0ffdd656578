// JSON bodies are decoded by a SAX handler straight into customer_input: no
// DOM, and the handler sees what a DOM would hide (duplicate keys, the exact
// type of every value).

#include <boost/json/basic_parser_impl.hpp>

#include "customers/api/customer_decode.hpp"

namespace customers::api {
namespace {

namespace json = boost::json;
using domain::field_kind;
using domain::input_error;
using domain::invalid;

class customer_handler {
  public:
    // No size limits of the parser's own: its errors would say "not valid
    // JSON" about a valid document. The body limit bounds every string;
    // validate() names a value past its field's limit; on_key() stops meta at
    // its key limit; the top level holds each known field at most once.
    static constexpr std::size_t max_object_size = std::size_t(-1);
    static constexpr std::size_t max_array_size = 0;
    static constexpr std::size_t max_key_size = std::size_t(-1);
    static constexpr std::size_t max_string_size = std::size_t(-1);

    customer_handler(domain::operation op, domain::customer_input& out) : op_(op), out_(out) {}

    std::optional<input_error> error;

    bool on_document_begin(json::error_code&) { return true; }
    bool on_document_end(json::error_code&) { return true; }
    bool on_array_begin(json::error_code& ec) { return type_error(ec); }
    bool on_array_end(std::size_t, json::error_code&) { return true; }
    bool on_object_begin(json::error_code& ec) {
        if (depth_ == 0) {
            depth_ = 1;
            return true;
        }
        if (depth_ == 1 && rule_ && rule_->kind == field_kind::meta) {
            depth_ = 2;
            out_.meta.emplace();
            return true;
        }
        return type_error(ec);
    }
    bool on_object_end(std::size_t, json::error_code&) {
        --depth_;
        rule_ = nullptr;
        return true;
    }
    bool on_key_part(json::string_view s, std::size_t, json::error_code&) {
        key_.append(s.data(), s.size());
        return true;
    }
    bool on_key(json::string_view s, std::size_t, json::error_code& ec) {
        key_.append(s.data(), s.size());
        std::string key = std::move(key_);
        key_.clear();
        if (depth_ == 2) {
            if (out_.meta->size() >= domain::max_meta_keys)
                return stop(ec, domain::too_many_meta_keys());
            meta_key_ = std::move(key);
            return true;
        }
        if (auto e = domain::check_field_allowed(key, op_)) return stop(ec, std::move(*e));
        for (const auto& seen : seen_)
            if (seen == key)
                return stop(ec, invalid(key, "duplicate key in the JSON body: " + key));
        seen_.push_back(key);
        rule_ = domain::find_field(key);
        return true;
    }
    bool on_string_part(json::string_view s, std::size_t, json::error_code&) {
        str_.append(s.data(), s.size());
        return true;
    }
    bool on_string(json::string_view s, std::size_t, json::error_code& ec) {
        str_.append(s.data(), s.size());
        std::string value = std::move(str_);
        str_.clear();
        if (depth_ == 2) {
            for (const auto& [k, v] : *out_.meta)
                if (k == meta_key_)
                    return stop(ec, invalid("meta[" + k + "]", "duplicate meta key: " + k));
            out_.meta->emplace_back(std::move(meta_key_), std::move(value));
            return true;
        }
        if (depth_ != 1) return type_error(ec);
        switch (rule_->kind) {
            case field_kind::text:
                (rule_->name == "username" ? out_.username : out_.phone_number) = std::move(value);
                return true;
            case field_kind::nullable_text:
                set_nullable(value.empty() ? std::nullopt : std::optional(std::move(value)));
                return true;
            case field_kind::status:
                if (value != "active" && value != "terminated")
                    return stop(ec, invalid("status", "status must be active or terminated"));
                out_.terminated = value == "terminated";
                return true;
            default:
                return type_error(ec);
        }
    }
    bool on_number_part(json::string_view, json::error_code&) { return true; }
    bool on_int64(std::int64_t, json::string_view, json::error_code& ec) { return type_error(ec); }
    bool on_uint64(std::uint64_t, json::string_view, json::error_code& ec) {
        return type_error(ec);
    }
    bool on_double(double, json::string_view, json::error_code& ec) { return type_error(ec); }
    bool on_bool(bool b, json::error_code& ec) {
        if (depth_ != 1 || rule_->kind != field_kind::boolean) return type_error(ec);
        out_.is_flagged = b;
        return true;
    }
    bool on_null(json::error_code& ec) {
        if (depth_ != 1 || rule_->kind != field_kind::nullable_text) return type_error(ec);
        set_nullable(std::nullopt);
        return true;
    }
    bool on_comment_part(json::string_view, json::error_code&) { return true; }
    bool on_comment(json::string_view, json::error_code&) { return true; }

  private:
    void set_nullable(std::optional<std::string> v) {
        if (rule_->name == "avatar_url")
            out_.avatar_url = std::move(v);
        else if (rule_->name == "display_name")
            out_.display_name = std::move(v);
        else
            out_.external_id = std::move(v);
    }

    bool stop(json::error_code& ec, input_error e) {
        error = std::move(e);
        ec = json::make_error_code(json::error::exception);
        return false;
    }

    // The value's JSON type does not fit where it stands.
    bool type_error(json::error_code& ec) {
        if (depth_ == 0) return stop(ec, invalid({}, "the request body must be a JSON object"));
        if (depth_ == 2)
            return stop(ec, invalid("meta[" + meta_key_ + "]", "meta values must be strings"));
        const std::string name(rule_->name);
        switch (rule_->kind) {
            case field_kind::text:
                return stop(ec, invalid(name, name + " must be a string"));
            case field_kind::nullable_text:
                return stop(ec, invalid(name, name + " must be a string or null"));
            case field_kind::boolean:
                return stop(ec, invalid(name, name + " must be true or false"));
            case field_kind::meta:
                return stop(ec, invalid(name, "meta must be an object of string values"));
            case field_kind::status:
                return stop(ec, invalid(name, "status must be active or terminated"));
        }
        return stop(ec, invalid(name, name + " has the wrong type"));
    }

    domain::operation op_;
    domain::customer_input& out_;
    int depth_ = 0;
    const domain::field_rule* rule_ = nullptr;  // the top-level key being read
    std::vector<std::string> seen_;
    std::string key_, str_, meta_key_;
};

}  // namespace

std::optional<input_error> decode_json(std::string_view body, domain::operation op,
                                       domain::customer_input& out) {
    json::parse_options options;
    options.max_depth = 3;
    json::basic_parser<customer_handler> parser(options, op, out);
    json::error_code ec;
    const std::size_t used = parser.write_some(false, body.data(), body.size(), ec);
    if (parser.handler().error) return parser.handler().error;
    if (ec == json::error::too_deep) return invalid({}, "the JSON body is nested too deeply");
    if (ec || used != body.size()) {
        if (body.find_first_not_of(" \t\r\n") == std::string_view::npos)
            return invalid({}, "the request body is empty; send a JSON object");
        return invalid({}, "the request body is not valid JSON (" +
                               (ec ? ec.message() : std::string("trailing characters")) +
                               " at byte " + std::to_string(used) + ")");
    }
    return std::nullopt;
}

}  // namespace customers::api
