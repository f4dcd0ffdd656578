#include <boost/test/unit_test.hpp>

#include "customers/api/customer_decode.hpp"

using namespace customers;
using domain::customer_input;
using domain::operation;

namespace {

std::optional<domain::input_error> json(std::string_view body, customer_input& in,
                                        operation op = operation::create) {
    return api::decode_json(body, op, in);
}
std::optional<domain::input_error> form(std::string_view body, customer_input& in,
                                        operation op = operation::create) {
    return api::decode_form(body, op, in);
}

// The error's parameter for a body that must be rejected.
std::string rejected_param(std::string_view body, bool as_json, operation op = operation::create) {
    customer_input in;
    auto e = as_json ? json(body, in, op) : form(body, in, op);
    if (!e) e = domain::validate(in, op);
    BOOST_REQUIRE_MESSAGE(e.has_value(), "accepted: " << body);
    return e->param;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(customer_decode)

BOOST_AUTO_TEST_CASE(content_types) {
    BOOST_TEST((api::format_of("application/json") == api::body_format::json));
    BOOST_TEST((api::format_of("Application/JSON; charset=utf-8") == api::body_format::json));
    BOOST_TEST((api::format_of("application/x-www-form-urlencoded") == api::body_format::form));
    BOOST_TEST((api::format_of("") == api::body_format::form));
    BOOST_TEST((api::format_of("text/plain") == api::body_format::unsupported));
    BOOST_TEST(
        (api::format_of("multipart/form-data; boundary=x") == api::body_format::unsupported));
}

BOOST_AUTO_TEST_CASE(seed_create_form_decodes) {
    customer_input in;
    BOOST_TEST(
        !form("username=FrankMcCallister&phone_number=1-800-759-3000&avatar_url=https%3A%2F%2F"
              "assets.protocol.chat%2Favatars%2Ffrank.jpg",
              in));
    BOOST_TEST(in.username.value() == "FrankMcCallister");
    BOOST_TEST(in.phone_number.value() == "1-800-759-3000");
    BOOST_TEST(in.avatar_url.value().value() == "https://assets.protocol.chat/avatars/frank.jpg");
    BOOST_TEST(!in.display_name.has_value());
    BOOST_TEST(!domain::validate(in, operation::create));
}

BOOST_AUTO_TEST_CASE(form_meta_flags_and_nulls) {
    customer_input in;
    BOOST_TEST(!form("display_name=&is_flagged=true&meta[tier]=gold&meta[ref]=a%20b&external_id=",
                     in, operation::update));
    BOOST_TEST(in.display_name.has_value());
    BOOST_TEST(!in.display_name->has_value());  // empty clears
    BOOST_TEST(!in.external_id->has_value());
    BOOST_TEST(in.is_flagged.value());
    BOOST_REQUIRE(in.meta->size() == 2u);
    BOOST_TEST(in.meta->at(1).first == "ref");
    BOOST_TEST(in.meta->at(1).second == "a b");
    customer_input cleared;
    BOOST_TEST(!form("meta=", cleared, operation::update));
    BOOST_TEST(cleared.meta->empty());
}

BOOST_AUTO_TEST_CASE(json_create_decodes_every_field) {
    customer_input in;
    BOOST_TEST(!json(R"({"username":"frank","phone_number":"+1 (800) 759-3000","avatar_url":null,
        "display_name":"Uncle \u00c9","external_id":"crm-1","is_flagged":true,"meta":{"a":"1","b":""}})",
                     in));
    BOOST_TEST(in.display_name.value().value() == "Uncle \xc3\x89");
    BOOST_TEST(!in.avatar_url.value().has_value());
    BOOST_TEST(in.external_id.value().value() == "crm-1");
    BOOST_TEST(in.is_flagged.value());
    BOOST_TEST(in.meta->size() == 2u);
    BOOST_TEST(!domain::validate(in, operation::create));
}

BOOST_AUTO_TEST_CASE(json_update_status) {
    customer_input in;
    BOOST_TEST(!json(R"({"status":"terminated","display_name":null})", in, operation::update));
    BOOST_TEST(in.terminated.value());
    BOOST_TEST(!in.display_name.value().has_value());
}

BOOST_AUTO_TEST_CASE(unknown_and_immutable_fields_are_named) {
    BOOST_TEST(rejected_param(R"({"username":"a","phone_number":"123","nickname":"x"})", true) ==
               "nickname");
    BOOST_TEST(rejected_param("username=a&phone_number=123&id=WAz8eIbvDR60rouK", false) == "id");
    BOOST_TEST(rejected_param(R"({"username":"b"})", true, operation::update) == "username");
    BOOST_TEST(rejected_param("phone_number=123", false, operation::update) == "phone_number");
    BOOST_TEST(rejected_param(R"({"created_at":1})", true, operation::update) == "created_at");
    BOOST_TEST(rejected_param("avatar_url=https://x.y/a.png", false, operation::update) ==
               "avatar_url");
    BOOST_TEST(rejected_param("username=a&phone_number=123&status=active", false) == "status");
    customer_input in;
    auto e = json(R"({"conversation_id":"x"})", in, operation::update);
    BOOST_REQUIRE(e);
    BOOST_TEST(e->message == "conversation_id cannot be changed");
}

BOOST_AUTO_TEST_CASE(wrong_types_are_named) {
    BOOST_TEST(rejected_param(R"({"username":5,"phone_number":"123"})", true) == "username");
    BOOST_TEST(rejected_param(R"({"username":null,"phone_number":"123"})", true) == "username");
    BOOST_TEST(rejected_param(R"({"username":"a","phone_number":"123","is_flagged":"yes"})",
                              true) == "is_flagged");
    BOOST_TEST(rejected_param("username=a&phone_number=123&is_flagged=yes", false) == "is_flagged");
    BOOST_TEST(rejected_param(R"({"username":"a","phone_number":"123","meta":["x"]})", true) ==
               "meta");
    BOOST_TEST(rejected_param(R"({"username":"a","phone_number":"123","meta":{"k":1}})", true) ==
               "meta[k]");
    BOOST_TEST(rejected_param(R"({"username":"a","phone_number":"123","meta":{"k":{"x":"y"}}})",
                              true) == "meta[k]");
    BOOST_TEST(rejected_param(R"({"status":"gone"})", true, operation::update) == "status");
    BOOST_TEST(rejected_param("meta=notpairs", false, operation::update) == "meta");
}

BOOST_AUTO_TEST_CASE(malformed_json_is_rejected_without_param) {
    for (std::string_view body :
         {"", "   ", "{", "[]", "\"str\"", "42", "null", R"({"username":"a",})",
          R"({"username":"a"} x)", "{\"username\":\"\xff\"}", "{'a':1}"}) {
        BOOST_TEST_CONTEXT(body) {
            customer_input in;
            auto e = json(body, in);
            BOOST_REQUIRE(e);
            BOOST_TEST(e->param.empty());
            BOOST_TEST(!e->message.empty());
        }
    }
}

BOOST_AUTO_TEST_CASE(deep_nesting_is_rejected) {
    customer_input in;
    const std::string deep = R"({"meta":)" + std::string(5000, '[') + std::string(5000, ']') + "}";
    BOOST_TEST(json(deep, in, operation::update).has_value());
    customer_input in2;
    const std::string deep_objects = std::string(5000, '{');
    BOOST_TEST(json(deep_objects, in2).has_value());
}

BOOST_AUTO_TEST_CASE(duplicates_are_rejected) {
    BOOST_TEST(rejected_param(R"({"username":"a","username":"b","phone_number":"123"})", true) ==
               "username");
    BOOST_TEST(rejected_param("username=a&username=b&phone_number=123", false) == "username");
    BOOST_TEST(rejected_param(R"({"meta":{"k":"1","k":"2"}})", true, operation::update) ==
               "meta[k]");
    BOOST_TEST(rejected_param("meta[k]=1&meta[k]=2", false, operation::update) == "meta[k]");
}

BOOST_AUTO_TEST_CASE(form_must_be_utf8) {
    BOOST_TEST(rejected_param("username=a&phone_number=123&display_name=%FF", false) ==
               "display_name");
    BOOST_TEST(rejected_param("username=a&phone_number=123&%FF=1", false) == "");
}

// Values past a limit are valid JSON: the error names the field and its limit.
BOOST_AUTO_TEST_CASE(json_values_past_a_limit_name_the_field) {
    customer_input in;
    auto e = json(
        R"({"username":"a","phone_number":"123","display_name":")" + std::string(5000, 'x') + "\"}",
        in);
    if (!e) e = domain::validate(in, operation::create);
    BOOST_REQUIRE(e);
    BOOST_TEST(e->param == "display_name");
    BOOST_TEST(e->message == "display_name must be at most 128 characters");

    std::string many_keys = R"({"meta":{)";
    for (int i = 0; i < 80; ++i) many_keys += (i ? ",\"k" : "\"k") + std::to_string(i) + "\":\"v\"";
    many_keys += "}}";
    customer_input in2;
    e = json(many_keys, in2, operation::update);
    if (!e) e = domain::validate(in2, operation::update);
    BOOST_REQUIRE(e);
    BOOST_TEST(e->param == "meta");
    BOOST_TEST(e->message == "meta may have at most 50 keys");

    BOOST_TEST(rejected_param(R"({"meta":{"k":")" + std::string(5000, 'v') + "\"}}", true,
                              operation::update) == "meta[k]");
    BOOST_TEST(rejected_param(R"({"meta":{")" + std::string(300, 'k') + "\":\"v\"}}", true,
                              operation::update) == "meta");
    BOOST_TEST(rejected_param(R"({"username":"a","phone_number":"123","avatar_url":"https://h/)" +
                                  std::string(5000, 'a') + "\"}",
                              true) == "avatar_url");
}

// Form meta as a whole (meta=) and by key (meta[k]=v) in one body: the same
// answer whichever comes first.
BOOST_AUTO_TEST_CASE(form_meta_whole_and_by_key_is_refused_in_either_order) {
    for (std::string_view body :
         {"meta=&meta[a]=1", "meta[a]=1&meta=", "meta[a]=1&meta=&meta[b]=2"}) {
        BOOST_TEST_CONTEXT(body) {
            customer_input in;
            auto e = form(body, in, operation::update);
            BOOST_REQUIRE(e);
            BOOST_TEST(e->param == "meta");
            BOOST_TEST(e->message ==
                       "meta given both as a whole (meta=) and by key (meta[key]=value)");
        }
    }
}

BOOST_AUTO_TEST_SUITE_END()
