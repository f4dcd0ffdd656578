// The customer endpoints of API.md §4 against a real redis-server: status
// codes, headers, every field of §3, and the errors of §7.

#include <thread>

#include <boost/json/parse.hpp>
#include <boost/test/unit_test.hpp>

#include "support/api_fixture.hpp"

using namespace customers;
using test::json_object;
namespace bhttp = boost::beast::http;
namespace json = boost::json;

namespace {

void check_error(const test::http_response& r, unsigned status, std::string_view param = {}) {
    BOOST_TEST(r.result_int() == status, r.body());
    const auto o = json_object(r);
    BOOST_TEST(o.at("type").as_string() == (status >= 500 ? "api_error" : "invalid_request"));
    BOOST_TEST(!o.at("message").as_string().empty());
    if (!param.empty()) BOOST_TEST(o.at("param").as_string() == param, r.body());
}

}  // namespace

BOOST_FIXTURE_TEST_SUITE(api_customers, test::api_fixture)

BOOST_AUTO_TEST_CASE(create_returns_201_every_field_and_location) {
    auto r = call("POST", "/v1/customers",
                  "username=FrankMcCallister&phone_number=1-800-759-3000&avatar_url=https%3A%2F%2F"
                  "assets.protocol.chat%2Favatars%2Ffrank.jpg");
    BOOST_TEST(r.result_int() == 201u);
    const auto c = json_object(r);
    BOOST_TEST(r[bhttp::field::location] == "/v1/customers/" + std::string(c.at("id").as_string()));
    BOOST_TEST(r[bhttp::field::content_type] == "application/json");
    BOOST_TEST(c.size() == 16u);
    BOOST_TEST(c.at("id").as_string().size() == 16u);
    BOOST_TEST(c.at("project_id").as_string() == project);
    BOOST_TEST(c.at("username").as_string() == "FrankMcCallister");
    BOOST_TEST(c.at("phone_number").as_string() == "1-800-759-3000");
    BOOST_TEST(c.at("avatar_url").as_string() == "https://assets.protocol.chat/avatars/frank.jpg");
    BOOST_TEST(c.at("display_name").is_null());
    BOOST_TEST(c.at("external_id").is_null());
    BOOST_TEST(c.at("conversation_id").as_string().size() == 16u);
    BOOST_TEST(c.at("status").as_string() == "active");
    BOOST_TEST(c.at("terminated_at").is_null());
    BOOST_TEST(c.at("is_flagged").as_bool() == false);
    BOOST_TEST(c.at("meta").as_object().empty());
    BOOST_TEST(c.at("last_active_at").is_null());
    BOOST_TEST(c.at("last_transaction_at").is_null());
    const auto now = std::chrono::duration_cast<std::chrono::seconds>(
                         std::chrono::system_clock::now().time_since_epoch())
                         .count();
    BOOST_TEST(std::abs(c.at("created_at").as_int64() - now) <= 5);
    BOOST_TEST(c.at("updated_at").as_int64() == c.at("created_at").as_int64());
}

BOOST_AUTO_TEST_CASE(create_accepts_json_bodies) {
    auto r = call("POST", "/v1/customers",
                  R"({"username":"json_user","phone_number":"+44 20 7946 0958","display_name":"J",)"
                  R"("external_id":"crm-9","is_flagged":true,"meta":{"tier":"gold"}})",
                  "application/json");
    BOOST_TEST(r.result_int() == 201u, r.body());
    const auto c = json_object(r);
    BOOST_TEST(c.at("display_name").as_string() == "J");
    BOOST_TEST(c.at("external_id").as_string() == "crm-9");
    BOOST_TEST(c.at("is_flagged").as_bool());
    BOOST_TEST(c.at("meta").at("tier").as_string() == "gold");
    // And it reads back the same.
    auto g = call("GET", "/v1/customers/" + std::string(c.at("id").as_string()));
    BOOST_TEST(g.body() == r.body());
}

BOOST_AUTO_TEST_CASE(retrieve_update_put_delete) {
    const auto c = create("frank", "meta[a]=1");
    const std::string path = "/v1/customers/" + std::string(c.at("id").as_string());

    auto got = call("GET", path);
    BOOST_TEST(got.result_int() == 200u);
    BOOST_TEST(json_object(got) == c);

    auto patched = call("PATCH", path, "display_name=UncleFrank");
    BOOST_TEST(patched.result_int() == 200u);
    auto p = json_object(patched);
    BOOST_TEST(p.at("display_name").as_string() == "UncleFrank");
    BOOST_TEST(p.at("meta") == c.at("meta"));  // untouched fields stay
    BOOST_TEST(p.at("username") == c.at("username"));

    auto put = call("PUT", path, R"({"display_name":null,"meta":{"b":"2"}})", "application/json");
    BOOST_TEST(put.result_int() == 200u, put.body());
    auto q = json_object(put);
    BOOST_TEST(q.at("display_name").is_null());
    BOOST_TEST(q.at("meta") == json::parse(R"({"b":"2"})"));  // replaced whole

    auto del = call("DELETE", path);
    BOOST_TEST(del.result_int() == 204u);
    BOOST_TEST(del.body().empty());
    BOOST_TEST(del[bhttp::field::content_type].empty());
    check_error(call("GET", path), 404, "id");
    check_error(call("DELETE", path), 404, "id");
    check_error(call("PATCH", path, "display_name=x"), 404, "id");
}

BOOST_AUTO_TEST_CASE(status_changes_set_and_clear_terminated_at) {
    const auto c = create("termy");
    const std::string path = "/v1/customers/" + std::string(c.at("id").as_string());
    auto t = json_object(call("PATCH", path, "status=terminated"));
    BOOST_TEST(t.at("status").as_string() == "terminated");
    BOOST_TEST(t.at("terminated_at").is_int64());
    auto again = json_object(call("PATCH", path, "status=terminated"));
    BOOST_TEST(again.at("terminated_at") == t.at("terminated_at"));  // not moved
    auto a = json_object(call("PATCH", path, "status=active"));
    BOOST_TEST(a.at("status").as_string() == "active");
    BOOST_TEST(a.at("terminated_at").is_null());
}

BOOST_AUTO_TEST_CASE(updated_at_changes_on_update) {
    const auto c = create("clocky");
    const std::string path = "/v1/customers/" + std::string(c.at("id").as_string());
    std::this_thread::sleep_for(std::chrono::milliseconds(1100));
    auto u = json_object(call("PATCH", path, "is_flagged=true"));
    BOOST_TEST(u.at("updated_at").as_int64() > c.at("updated_at").as_int64());
    BOOST_TEST(u.at("created_at") == c.at("created_at"));
    BOOST_TEST(u.at("is_flagged").as_bool());
}

BOOST_AUTO_TEST_CASE(conversation_exists_until_its_customer_is_deleted) {
    const auto c = create("talker");
    const std::string conv =
        "/v1/conversations/" + std::string(c.at("conversation_id").as_string());
    auto r = call("GET", conv);
    BOOST_TEST(r.result_int() == 200u);
    const auto o = json_object(r);
    BOOST_TEST(o.size() == 3u);
    BOOST_TEST(o.at("id") == c.at("conversation_id"));
    BOOST_TEST(o.at("customer_id") == c.at("id"));
    BOOST_TEST(o.at("created_at") == c.at("created_at"));
    BOOST_TEST(
        call("DELETE", "/v1/customers/" + std::string(c.at("id").as_string())).result_int() ==
        204u);
    check_error(call("GET", conv), 404, "id");
}

BOOST_AUTO_TEST_CASE(duplicates_are_409) {
    create("taken", "external_id=ext-1");
    check_error(call("POST", "/v1/customers", "username=taken&phone_number=123"), 409, "username");
    check_error(call("POST", "/v1/customers", "username=other&phone_number=123&external_id=ext-1"),
                409, "external_id");
    const auto b = create("second", "external_id=ext-2");
    const std::string path = "/v1/customers/" + std::string(b.at("id").as_string());
    check_error(call("PATCH", path, "external_id=ext-1"), 409, "external_id");
    // Its own value, and a freed value, are fine.
    BOOST_TEST(call("PATCH", path, "external_id=ext-2").result_int() == 200u);
    BOOST_TEST(call("PATCH", path, "external_id=ext-3").result_int() == 200u);
    create("third", "external_id=ext-2");
}

BOOST_AUTO_TEST_CASE(bad_input_is_400_naming_the_field) {
    check_error(call("POST", "/v1/customers", "phone_number=123"), 400, "username");
    check_error(call("POST", "/v1/customers", "username=a"), 400, "phone_number");
    check_error(call("POST", "/v1/customers", "username=a b&phone_number=123"), 400, "username");
    check_error(call("POST", "/v1/customers", "username=a&phone_number=123&colour=red"), 400,
                "colour");
    check_error(
        call("POST", "/v1/customers", R"({"username":"a","phone_number":5})", "application/json"),
        400, "phone_number");
    check_error(call("POST", "/v1/customers", R"([1,2])", "application/json"), 400);
    check_error(call("POST", "/v1/customers", R"({"username":)", "application/json"), 400);
    check_error(call("POST", "/v1/customers", "{\"username\":\"\xff\"}", "application/json"), 400);
    const auto c = create("immutable");
    const std::string path = "/v1/customers/" + std::string(c.at("id").as_string());
    for (std::string_view field : {"id", "username", "phone_number", "created_at",
                                   "conversation_id", "project_id", "updated_at", "avatar_url"})
        check_error(call("PATCH", path, std::string(field) + "=x"), 400, field);
    auto wrong_type = call("POST", "/v1/customers", "username=a&phone_number=123", "text/plain");
    check_error(wrong_type, 415);
}

BOOST_AUTO_TEST_CASE(hostile_ids_are_404_and_never_reach_other_keys) {
    create("victim");
    for (std::string_view id : {"*", "%7B*%7D", "..", "a:b", "WAz8eIbvDR60rou*",
                                "WAz8eIbvDR60rouKK", "%2e%2e%2fproj", "WAz8eIbvDR60r%00K"}) {
        BOOST_TEST_CONTEXT(id) {
            check_error(call("GET", "/v1/customers/" + std::string(id)), 404);
            check_error(call("DELETE", "/v1/customers/" + std::string(id)), 404);
            check_error(call("GET", "/v1/conversations/" + std::string(id)), 404);
        }
    }
    BOOST_TEST(json_object(call("GET", "/v1/customers")).at("data").as_array().size() == 1u);
}

BOOST_AUTO_TEST_CASE(wrong_methods_are_405_with_allow) {
    auto r = call("DELETE", "/v1/customers");
    check_error(r, 405);
    BOOST_TEST(r[bhttp::field::allow] == "GET, HEAD, POST");
    auto c = call("POST", "/v1/customers/WAz8eIbvDR60rouK", "a=1");
    BOOST_TEST(c[bhttp::field::allow] == "GET, HEAD, PATCH, PUT, DELETE");
    auto v = call("DELETE", "/v1/conversations/WAz8eIbvDR60rouK");
    BOOST_TEST(v[bhttp::field::allow] == "GET, HEAD");
}

BOOST_AUTO_TEST_CASE(store_outage_is_503_with_retry_after_then_recovers) {
    const auto c = create("outage");
    const std::string path = "/v1/customers/" + std::string(c.at("id").as_string());
    redis.stop();
    for (auto [method, target, body] :
         std::vector<std::tuple<std::string, std::string, std::string>>{
             {"GET", path, ""},
             {"GET", "/v1/customers", ""},
             {"POST", "/v1/customers", "username=during&phone_number=123"},
             {"PATCH", path, "display_name=x"},
             {"DELETE", path, ""}}) {
        const auto start = std::chrono::steady_clock::now();
        const auto r = call(method, target, body);
        const auto elapsed = std::chrono::steady_clock::now() - start;
        check_error(r, 503);
        BOOST_TEST(r[bhttp::field::retry_after] == "1");
        BOOST_TEST((elapsed < std::chrono::seconds(3)), method << " " << target);
    }
    redis.start();  // empty: no persistence in tests
    bool recovered = false;
    for (int i = 0; i < 100 && !recovered; ++i) {
        recovered = call("GET", path).result_int() != 503;
        if (!recovered) std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    BOOST_TEST(recovered);
}

BOOST_AUTO_TEST_SUITE_END()
