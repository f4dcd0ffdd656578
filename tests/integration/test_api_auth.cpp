// Bearer auth (API.md §2): 401s, tenant isolation, and the token commands
// of the real binary.

#include <array>
#include <cstdio>
#include <thread>

#include <boost/test/unit_test.hpp>

#include "support/api_fixture.hpp"
#include "support/child_process.hpp"

using namespace customers;
using test::json_object;
namespace bhttp = boost::beast::http;

namespace {

void check_401(const test::http_response& r) {
    BOOST_TEST(r.result_int() == 401u, r.body());
    BOOST_TEST(r[bhttp::field::www_authenticate] == R"(Bearer realm="customers")");
    BOOST_TEST(json_object(r).at("type").as_string() == "invalid_request");
}

// Runs a command, returns its stdout and exit status.
std::pair<std::string, int> run(const std::string& command) {
    auto r = test::run_shell(command);
    return {std::move(r.out), r.exit_code};
}

}  // namespace

BOOST_FIXTURE_TEST_SUITE(api_auth, test::api_fixture)

BOOST_AUTO_TEST_CASE(missing_malformed_and_unknown_tokens_are_401) {
    check_401(call_as("", "GET", "/v1/customers"));
    check_401(call_as("not-a-real-token-but-plausible", "GET", "/v1/customers"));
    check_401(call_as("short", "GET", "/v1/customers"));
    auto basic = test::http_request(server.port(), "GET", "/v1/customers", {},
                                    {{"Authorization", "Basic dXNlcjpwYXNz"}});
    check_401(basic);
    check_401(call_as("", "POST", "/v1/customers", "username=a&phone_number=123"));
    // The token never appears in what the server says back.
    auto r = call_as("SecretSecretSecret123", "GET", "/v1/customers");
    BOOST_TEST(r.body().find("SecretSecretSecret123") == std::string::npos);
    // Health endpoints need no token.
    BOOST_TEST(call_as("", "GET", "/healthz").result_int() == 200u);
}

BOOST_AUTO_TEST_CASE(another_project_sees_404_for_everything) {
    const auto c = create("mine", "external_id=mine-1");
    const std::string id(c.at("id").as_string());
    const std::string conv(c.at("conversation_id").as_string());
    const std::string other = make_token("proj_other");

    BOOST_TEST(call_as(other, "GET", "/v1/customers/" + id).result_int() == 404u);
    BOOST_TEST(call_as(other, "PATCH", "/v1/customers/" + id, "display_name=x").result_int() ==
               404u);
    BOOST_TEST(call_as(other, "PUT", "/v1/customers/" + id, "display_name=x").result_int() == 404u);
    BOOST_TEST(call_as(other, "DELETE", "/v1/customers/" + id).result_int() == 404u);
    BOOST_TEST(call_as(other, "GET", "/v1/conversations/" + conv).result_int() == 404u);
    auto list = json_object(call_as(other, "GET", "/v1/customers"));
    BOOST_TEST(list.at("data").as_array().empty());
    auto by_ext = json_object(call_as(other, "GET", "/v1/customers?external_id=mine-1"));
    BOOST_TEST(by_ext.at("data").as_array().empty());
    // Usernames and external ids are unique per project, not globally.
    BOOST_TEST(
        call_as(other, "POST", "/v1/customers", "username=mine&phone_number=123&external_id=mine-1")
            .result_int() == 201u);
    // And nothing of ours changed.
    auto mine = json_object(call("GET", "/v1/customers/" + id));
    BOOST_TEST(mine == c);
}

BOOST_AUTO_TEST_CASE(token_commands_create_and_revoke) {
    const std::string base = std::string(CUSTOMERS_SERVER_BINARY) + " token ";
    auto [printed, code] = run(base + "create --project proj_cli --redis " + redis.url());
    BOOST_REQUIRE(code == 0);
    BOOST_REQUIRE(printed.size() > 1);
    const std::string tok = printed.substr(0, printed.find('\n'));
    BOOST_TEST(tok.size() == 32u);
    // Only the digest is stored.
    auto keys = redis.command({"KEYS", "tok:*"});
    for (const auto& k : keys.elements) BOOST_TEST(k.str.find(tok) == std::string::npos);

    BOOST_TEST(
        call_as(tok, "POST", "/v1/customers", "username=cli&phone_number=123").result_int() ==
        201u);
    auto [given, code2] =
        run(base + "create --project proj_cli --token GivenTokenValue12345 --redis " + redis.url());
    BOOST_TEST(code2 == 0);
    BOOST_TEST(given == "GivenTokenValue12345\n");

    auto [out, revoked] = run(base + "revoke --token " + tok + " --redis " + redis.url());
    BOOST_TEST(revoked == 0);
    // The per-thread cache forgets within a few seconds.
    bool refused = false;
    for (int i = 0; i < 80 && !refused; ++i) {
        refused = call_as(tok, "GET", "/v1/customers").result_int() == 401;
        if (!refused) std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    BOOST_TEST(refused);
    BOOST_TEST(run(base + "revoke --token " + tok + " --redis " + redis.url()).second == 1);
    BOOST_TEST(run(base + "create --redis " + redis.url()).second == 2);  // no project
    BOOST_TEST(run(base + "create --project 'a{b}' --redis " + redis.url()).second ==
               2);  // unsafe id
    BOOST_TEST(run(base + "create --project p --redis redis://127.0.0.1:1").second ==
               1);  // no Redis
}

BOOST_AUTO_TEST_CASE(token_create_never_moves_a_token_to_another_project) {
    const std::string create = std::string(CUSTOMERS_SERVER_BINARY) +
                               " token create --token MovableTokenValue123 --redis " + redis.url() +
                               " --project ";
    BOOST_REQUIRE(run(create + "proj_first").second == 0);
    // Again for the same project: idempotent, the token printed as before.
    auto [again, same] = run(create + "proj_first");
    BOOST_TEST(same == 0);
    BOOST_TEST(again == "MovableTokenValue123\n");
    // For another project: refused with a reason on stderr, nothing printed
    // on stdout, and the token still opens the first project only.
    auto [refused, code] = run(create + "proj_second 2>/dev/null");
    BOOST_TEST(code == 1);
    BOOST_TEST(refused.empty());
    auto [message, code2] = run(create + "proj_second 2>&1 >/dev/null");
    BOOST_TEST(code2 == 1);
    BOOST_TEST(message.find("already belongs to another project") != std::string::npos, message);
    BOOST_TEST(
        call_as("MovableTokenValue123", "POST", "/v1/customers", "username=first&phone_number=123")
            .result_int() == 201u);
    const auto mine = json_object(call_as("MovableTokenValue123", "GET", "/v1/customers"));
    BOOST_REQUIRE(mine.at("data").as_array().size() == 1u);
    BOOST_TEST(mine.at("data").as_array()[0].at("project_id").as_string() == "proj_first");
}

BOOST_AUTO_TEST_SUITE_END()
