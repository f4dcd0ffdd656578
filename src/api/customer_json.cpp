#include "customers/api/customer_json.hpp"

#include "customers/util/json_writer.hpp"

namespace customers::api {

using util::append_json_int;
using util::append_json_nullable;
using util::append_json_string;

void append_customer_json(std::string& out, const domain::customer& c) {
    out += R"({"id":)";
    append_json_string(out, c.id);
    out += R"(,"project_id":)";
    append_json_string(out, c.project_id);
    out += R"(,"external_id":)";
    append_json_nullable(out, c.external_id);
    out += R"(,"username":)";
    append_json_string(out, c.username);
    out += R"(,"phone_number":)";
    append_json_string(out, c.phone_number);
    out += R"(,"avatar_url":)";
    append_json_nullable(out, c.avatar_url);
    out += R"(,"display_name":)";
    append_json_nullable(out, c.display_name);
    out += R"(,"conversation_id":)";
    append_json_string(out, c.conversation_id);
    out += R"(,"status":)";
    append_json_string(out, domain::status_name(c.terminated));
    out += R"(,"terminated_at":)";
    append_json_nullable(out, c.terminated_at);
    out += c.is_flagged ? R"(,"is_flagged":true)" : R"(,"is_flagged":false)";
    out += R"(,"meta":)";
    out += c.meta;
    out += R"(,"last_active_at":)";
    append_json_nullable(out, c.last_active_at);
    out += R"(,"last_transaction_at":)";
    append_json_nullable(out, c.last_transaction_at);
    out += R"(,"created_at":)";
    append_json_int(out, c.created_at);
    out += R"(,"updated_at":)";
    append_json_int(out, c.updated_at);
    out += '}';
}

std::string customer_json(const domain::customer& c) {
    std::string out;
    out.reserve(512);
    append_customer_json(out, c);
    return out;
}

std::string customer_list_json(bool has_more, const std::vector<domain::customer>& page) {
    std::string out;
    out.reserve(64 + page.size() * 512);
    out += has_more ? R"({"has_more":true,"data":[)" : R"({"has_more":false,"data":[)";
    for (std::size_t i = 0; i < page.size(); ++i) {
        if (i) out += ',';
        append_customer_json(out, page[i]);
    }
    out += "]}";
    return out;
}

std::string conversation_json(std::string_view id, std::string_view customer_id,
                              std::int64_t created_at) {
    std::string out = R"({"id":)";
    append_json_string(out, id);
    out += R"(,"customer_id":)";
    append_json_string(out, customer_id);
    out += R"(,"created_at":)";
    append_json_int(out, created_at);
    out += '}';
    return out;
}

}  // namespace customers::api
