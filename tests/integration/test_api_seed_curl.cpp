// The five curl calls of the seed page (seed/customers.txt), run with curl
// itself, exactly as printed there but for the host, the token, and the id
// the server generated. -sS -w add only the status code to what is read.

#include <array>
#include <cstdio>

#include <boost/json/parse.hpp>
#include <boost/test/unit_test.hpp>

#include "support/api_fixture.hpp"
#include "support/child_process.hpp"

using namespace customers;
namespace json = boost::json;

namespace {

struct curl_result {
    unsigned status = 0;
    std::string body;
};

curl_result run_curl(std::string command) {
    command += " -sS -w '\\n%{http_code}'";
    auto [out, code] = test::run_shell(command);
    BOOST_REQUIRE(code == 0);
    const auto nl = out.rfind('\n');
    BOOST_REQUIRE(nl != std::string::npos);
    return {static_cast<unsigned>(std::stoul(out.substr(nl + 1))), out.substr(0, nl)};
}

std::string replace_all(std::string s, std::string_view from, std::string_view to) {
    for (auto at = s.find(from); at != std::string::npos; at = s.find(from, at + to.size()))
        s.replace(at, from.size(), to);
    return s;
}

}  // namespace

BOOST_FIXTURE_TEST_SUITE(api_seed_curl, test::api_fixture)

BOOST_AUTO_TEST_CASE(the_seed_examples_work_as_shown) {
    const std::string host = "http://127.0.0.1:" + std::to_string(server.port());
    auto as_shown = [&](std::string cmd, const std::string& id = "WAz8eIbvDR60rouK") {
        cmd = replace_all(cmd, "https://api.protocol.chat", host);
        cmd = replace_all(cmd, "{token}", token);
        return replace_all(cmd, "WAz8eIbvDR60rouK", id);
    };

    // Create a customer
    const auto created = run_curl(as_shown(R"(curl https://api.protocol.chat/v1/customers \
  -H "Authorization: Bearer {token}" \
  -d username="FrankMcCallister" \
  -d phone_number="1-800-759-3000" \
  -d avatar_url="https://assets.protocol.chat/avatars/frank.jpg")"));
    BOOST_TEST(created.status == 201u, created.body);
    const json::object c = json::parse(created.body).as_object();
    BOOST_TEST(c.at("username").as_string() == "FrankMcCallister");
    BOOST_TEST(c.at("phone_number").as_string() == "1-800-759-3000");
    BOOST_TEST(c.at("avatar_url").as_string() == "https://assets.protocol.chat/avatars/frank.jpg");
    BOOST_TEST(c.at("display_name").is_null());
    BOOST_TEST(c.at("last_active_at").is_null());
    BOOST_TEST(c.at("conversation_id").as_string().size() == 16u);
    BOOST_TEST(c.at("created_at").is_int64());
    const std::string id(c.at("id").as_string());

    // List all customers
    const auto listed = run_curl(as_shown(R"(curl -G https://api.protocol.chat/v1/customers \
  -H "Authorization: Bearer {token}" \
  -d active=true \
  -d limit=10)"));
    BOOST_TEST(listed.status == 200u, listed.body);
    const json::object l = json::parse(listed.body).as_object();
    BOOST_TEST(l.at("has_more").as_bool() == false);
    BOOST_REQUIRE(l.at("data").as_array().size() == 1u);
    BOOST_TEST(l.at("data").as_array()[0].as_object() == c);

    // Retrieve a customer
    const auto got =
        run_curl(as_shown(R"(curl https://api.protocol.chat/v1/customers/WAz8eIbvDR60rouK \
  -H "Authorization: Bearer {token}")",
                          id));
    BOOST_TEST(got.status == 200u);
    BOOST_TEST(got.body == created.body);

    // Update a customer
    const auto patched =
        run_curl(as_shown(R"(curl -X PATCH https://api.protocol.chat/v1/customers/WAz8eIbvDR60rouK \
  -H "Authorization: Bearer {token}" \
  -d display_name="UncleFrank")",
                          id));
    BOOST_TEST(patched.status == 200u, patched.body);
    const json::object u = json::parse(patched.body).as_object();
    BOOST_TEST(u.at("display_name").as_string() == "UncleFrank");
    BOOST_TEST(u.at("username") == c.at("username"));
    BOOST_TEST(u.at("conversation_id") == c.at("conversation_id"));

    // Delete a customer
    const auto deleted = run_curl(
        as_shown(R"(curl -X DELETE https://api.protocol.chat/v1/customers/WAz8eIbvDR60rouK \
  -H "Authorization: Bearer {token}")",
                 id));
    BOOST_TEST(deleted.status == 204u);
    BOOST_TEST(deleted.body.empty());
    BOOST_TEST(run_curl(as_shown(R"(curl https://api.protocol.chat/v1/customers/WAz8eIbvDR60rouK \
  -H "Authorization: Bearer {token}")",
                                 id))
                   .status == 404u);
}

BOOST_AUTO_TEST_SUITE_END()
