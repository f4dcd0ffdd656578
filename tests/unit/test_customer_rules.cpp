// Every value rule of API.md §3, at and just past each limit.

#include <boost/test/unit_test.hpp>

#include "customers/domain/customer.hpp"

using namespace customers::domain;

namespace {

customer_input valid_create() {
    customer_input in;
    in.username = "FrankMcCallister";
    in.phone_number = "1-800-759-3000";
    return in;
}

std::string param_of(const customer_input& in, operation op = operation::create) {
    auto e = validate(in, op);
    return e ? e->param : std::string("<accepted>");
}

}  // namespace

BOOST_AUTO_TEST_SUITE(customer_rules)

BOOST_AUTO_TEST_CASE(required_on_create_only) {
    customer_input in;
    BOOST_TEST(param_of(in) == "username");
    in.username = "a";
    BOOST_TEST(param_of(in) == "phone_number");
    BOOST_TEST(param_of(customer_input{}, operation::update) == "<accepted>");
}

BOOST_AUTO_TEST_CASE(username) {
    auto in = valid_create();
    in.username = std::string(64, 'a');
    BOOST_TEST(param_of(in) == "<accepted>");
    in.username = std::string(65, 'a');
    BOOST_TEST(param_of(in) == "username");
    in.username = "";
    BOOST_TEST(param_of(in) == "username");
    in.username = "a_b.c-D9";
    BOOST_TEST(param_of(in) == "<accepted>");
    for (const std::string& bad : std::vector<std::string>{"a b", "a@b", "a*", "{a}", "\xc3\xa9"}) {
        in.username = bad;
        BOOST_TEST(param_of(in) == "username", bad);
    }
}

BOOST_AUTO_TEST_CASE(phone_number) {
    auto in = valid_create();
    for (const std::string& good :
         std::vector<std::string>{"123", "+1 (800) 759.3000", std::string(32, '9')}) {
        in.phone_number = good;
        BOOST_TEST(param_of(in) == "<accepted>", good);
    }
    for (const std::string& bad :
         std::vector<std::string>{"12", "1-2", "+(-)", std::string(33, '9'), "123x", "12\n3"}) {
        in.phone_number = bad;
        BOOST_TEST(param_of(in) == "phone_number", bad);
    }
}

BOOST_AUTO_TEST_CASE(avatar_url) {
    auto in = valid_create();
    for (const std::string& good :
         std::vector<std::string>{"https://assets.protocol.chat/avatars/frank.jpg", "HTTP://h",
                                  "http://h:8080/a?b#c", "https://h/" + std::string(2038, 'a')}) {
        in.avatar_url = good;
        BOOST_TEST(param_of(in) == "<accepted>", good.substr(0, 40));
    }
    for (const std::string& bad : std::vector<std::string>{
             "ftp://h/a", "https://", "https:///path", "/relative", "https://h/a b",
             "javascript:alert(1)", "https://h/\xc3\xa9", "https://h/" + std::string(2039, 'a')}) {
        in.avatar_url = bad;
        BOOST_TEST(param_of(in) == "avatar_url", bad.substr(0, 40));
    }
    in.avatar_url = std::optional<std::string>{};
    BOOST_TEST(param_of(in) == "<accepted>");
}

BOOST_AUTO_TEST_CASE(display_name_counts_code_points) {
    auto in = valid_create();
    std::string e128;
    for (int i = 0; i < 128; ++i) e128 += "\xc3\xa9";  // 256 bytes, 128 code points
    in.display_name = e128;
    BOOST_TEST(param_of(in) == "<accepted>");
    in.display_name = e128 + "a";
    BOOST_TEST(param_of(in) == "display_name");
    in.display_name = "Uncle\tFrank";
    BOOST_TEST(param_of(in) == "display_name");
    in.display_name = "bad \xff";
    BOOST_TEST(param_of(in) == "display_name");
}

BOOST_AUTO_TEST_CASE(external_id_is_printable_ascii) {
    auto in = valid_create();
    in.external_id = std::string(128, 'x');
    BOOST_TEST(param_of(in, operation::update) == "<accepted>");
    in.external_id = std::string(129, 'x');
    BOOST_TEST(param_of(in, operation::update) == "external_id");
    in.external_id = "crm id #1 ~";
    BOOST_TEST(param_of(in, operation::update) == "<accepted>");
    in.external_id = "tab\there";
    BOOST_TEST(param_of(in, operation::update) == "external_id");
    in.external_id = "caf\xc3\xa9";
    BOOST_TEST(param_of(in, operation::update) == "external_id");
}

BOOST_AUTO_TEST_CASE(meta_limits) {
    customer_input in;
    in.meta.emplace();
    for (int i = 0; i < 50; ++i)
        in.meta->emplace_back("k" + std::to_string(i), std::string(500, 'v'));
    BOOST_TEST(param_of(in, operation::update) == "<accepted>");
    in.meta->emplace_back("k50", "v");
    BOOST_TEST(param_of(in, operation::update) == "meta");
    in.meta->pop_back();
    in.meta->back().second = std::string(501, 'v');
    BOOST_TEST(param_of(in, operation::update) == "meta[k49]");
    in.meta->back().second = "v";
    in.meta->back().first = std::string(41, 'k');
    BOOST_TEST(param_of(in, operation::update) == "meta");
    in.meta->back().first = "";
    BOOST_TEST(param_of(in, operation::update) == "meta");
}

BOOST_AUTO_TEST_CASE(field_permissions) {
    BOOST_TEST(!check_field_allowed("display_name", operation::update));
    BOOST_TEST(!check_field_allowed("status", operation::update));
    BOOST_TEST(check_field_allowed("status", operation::create)->param == "status");
    BOOST_TEST(check_field_allowed("id", operation::create)->message ==
               "id is set by the server and cannot be given");
    BOOST_TEST(check_field_allowed("bogus", operation::update)->message == "unknown field: bogus");
    BOOST_TEST(check_field_allowed("username", operation::update)->message ==
               "username cannot be changed");
}

BOOST_AUTO_TEST_SUITE_END()
