#include <boost/json/parse.hpp>
#include <boost/test/unit_test.hpp>

#include "customers/http/common_headers.hpp"
#include "customers/http/errors.hpp"

using namespace customers::http;
namespace json = boost::json;

BOOST_AUTO_TEST_SUITE(errors)

BOOST_AUTO_TEST_CASE(client_error_body_has_the_contract_shape) {
    const json::value v =
        json::parse(error_body(status::bad_request, "limit must be between 1 and 100", "limit"));
    const json::object& o = v.as_object();
    BOOST_TEST(o.size() == 4u);
    BOOST_TEST(o.at("type").as_string() == "invalid_request");
    BOOST_TEST(o.at("message").as_string() == "limit must be between 1 and 100");
    BOOST_TEST(o.at("param").as_string() == "limit");
    BOOST_TEST(o.at("documentation_url").as_string() ==
               "https://protocol.chat/docs/errors/invalid_request");
}

BOOST_AUTO_TEST_CASE(param_is_omitted_when_empty) {
    const json::object o =
        json::parse(error_body(status::not_found, "no such customer")).as_object();
    BOOST_TEST(o.size() == 3u);
    BOOST_TEST(!o.contains("param"));
}

BOOST_AUTO_TEST_CASE(server_errors_are_api_errors) {
    BOOST_TEST(error_type_for(status::internal_server_error) == "api_error");
    BOOST_TEST(error_type_for(status::service_unavailable) == "api_error");
    BOOST_TEST(error_type_for(status::unauthorized) == "invalid_request");
    BOOST_TEST(error_type_for(status::payload_too_large) == "invalid_request");
    const json::object o = json::parse(error_body(status::service_unavailable, "down")).as_object();
    BOOST_TEST(o.at("documentation_url").as_string() ==
               "https://protocol.chat/docs/errors/api_error");
}

BOOST_AUTO_TEST_CASE(messages_are_json_escaped) {
    const std::string body = error_body(status::not_found, "no such endpoint: /a\"b\\c\n");
    const json::object o = json::parse(body).as_object();
    BOOST_TEST(o.at("message").as_string() == "no such endpoint: /a\"b\\c\n");
}

BOOST_AUTO_TEST_CASE(quoted_input_that_is_not_utf8_stays_valid_json) {
    // Found by fuzz_http: a 404 quoting a path with a byte like \x97.
    const std::string body = error_body(status::not_found,
                                        "no such endpoint: /v1/custo\x97"
                                        "ers",
                                        "a\xff");
    const auto v = json::parse(body).as_object();
    BOOST_TEST(v.at("message").as_string() ==
               "no such endpoint: /v1/custo\xEF\xBF\xBD"
               "ers");
    BOOST_TEST(v.at("param").as_string() == "a\xEF\xBF\xBD");
}

BOOST_AUTO_TEST_CASE(unavailable_carries_retry_after_and_json) {
    response r = make_unavailable("store down", std::chrono::seconds(2));
    BOOST_TEST(r.result_int() == 503u);
    BOOST_TEST(r[boost::beast::http::field::retry_after] == "2");
    BOOST_TEST(r[boost::beast::http::field::content_type] == "application/json");
}

BOOST_AUTO_TEST_CASE(request_ids_are_checked_and_generated) {
    BOOST_TEST(is_safe_request_id("abc-DEF_1.2"));
    BOOST_TEST(!is_safe_request_id(""));
    BOOST_TEST(!is_safe_request_id("a b"));
    BOOST_TEST(!is_safe_request_id("<script>"));
    BOOST_TEST(!is_safe_request_id(std::string(65, 'a')));
    BOOST_TEST(is_safe_request_id(std::string(64, 'a')));
    const std::string a = fresh_request_id(), b = fresh_request_id();
    BOOST_TEST(a.size() == 16u);
    BOOST_TEST(is_safe_request_id(a));
    BOOST_TEST(a != b);
}

BOOST_AUTO_TEST_CASE(date_header_is_imf_fixdate) {
    const std::string_view d = cached_http_date();
    // "Tue, 24 Nov 2026 21:36:18 GMT"
    BOOST_TEST(d.size() == 29u);
    BOOST_TEST(d.substr(3, 2) == ", ");
    BOOST_TEST(d.substr(25) == " GMT");
}

BOOST_AUTO_TEST_SUITE_END()
