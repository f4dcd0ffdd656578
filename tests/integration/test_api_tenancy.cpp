// Tenancy and secrets: with two projects' tokens, every /v1 endpoint used
// with the other project's token on a project's ids is a 404 (never a 403,
// never a change), lists never show the other project's customers; a token
// never appears in a response or in the server's log output, whatever
// happens to the request (unknown, revoked, malformed, store down).

#include <fcntl.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <sstream>
#include <thread>

#include <boost/json/serialize.hpp>
#include <boost/test/unit_test.hpp>

#include "customers/util/log.hpp"
#include "support/api_fixture.hpp"

using namespace customers;
using namespace std::chrono_literals;
using test::json_object;

namespace {

// Two threads: each has its own auth cache, and requests land on both.
struct two_projects : test::api_fixture {
    two_projects() : test::api_fixture(2) {}
    std::string token_b = make_token("proj_b");

    test::http_response as_b(std::string_view method, const std::string& target,
                             std::string_view body = {}) {
        return call_as(token_b, method, target, body);
    }
};

// Redirects the process' stderr (where the log goes) to a file while alive;
// text() is what was written meanwhile.
class captured_stderr {
  public:
    captured_stderr() : path_("/tmp/customers_log_" + std::to_string(::getpid()) + ".txt") {
        std::fflush(stderr);
        saved_ = ::dup(2);
        const int fd = ::open(path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
        ::dup2(fd, 2);
        ::close(fd);
    }
    ~captured_stderr() {
        restore();
        std::remove(path_.c_str());
    }
    std::string text() {
        restore();
        std::ifstream in(path_);
        std::stringstream s;
        s << in.rdbuf();
        return s.str();
    }

  private:
    void restore() {
        if (saved_ < 0) return;
        std::fflush(stderr);
        ::dup2(saved_, 2);
        ::close(saved_);
        saved_ = -1;
    }
    std::string path_;
    int saved_ = -1;
};

}  // namespace

BOOST_FIXTURE_TEST_SUITE(api_tenancy, two_projects)

BOOST_AUTO_TEST_CASE(every_endpoint_with_another_projects_token_is_404) {
    const auto a = create("alice", "external_id=ext-a&meta[k]=v");
    const std::string id(a.at("id").as_string());
    const std::string conv(a.at("conversation_id").as_string());
    const long long keys_before = key_count();

    // Valid requests, so that only the project decides.
    struct attempt {
        std::string method, target, body;
    };
    const std::vector<attempt> attempts = {
        {"GET", "/v1/customers/" + id, ""},
        {"PATCH", "/v1/customers/" + id, "display_name=Mallory"},
        {"PATCH", "/v1/customers/" + id, "status=terminated"},
        {"PUT", "/v1/customers/" + id, "is_flagged=true"},
        {"DELETE", "/v1/customers/" + id, ""},
        {"GET", "/v1/conversations/" + conv, ""},
        // An id of this project used as a conversation id and vice versa.
        {"GET", "/v1/conversations/" + id, ""},
        {"GET", "/v1/customers/" + conv, ""},
    };
    for (int round = 0; round < 2; ++round) {  // both threads' caches, probably
        for (const auto& t : attempts) {
            BOOST_TEST_CONTEXT(t.method << " " << t.target) {
                const auto r = as_b(t.method, t.target, t.body);
                BOOST_TEST(r.result_int() == 404u, r.body());
                BOOST_TEST(json_object(r).at("type").as_string() == "invalid_request");
            }
        }
    }

    // Lists: never A's customers, whatever the filters and cursors.
    for (const std::string& q : std::vector<std::string>{
             "", "?limit=100", "?external_id=ext-a", "?active=true", "?status=active",
             "?is_flagged=false", "?starting_after=" + id, "?ending_before=" + id}) {
        BOOST_TEST_CONTEXT("list" << q) {
            const auto r = as_b("GET", "/v1/customers" + q);
            BOOST_TEST(r.result_int() == 200u, r.body());
            BOOST_TEST(r.body().find(id) == std::string::npos);
            BOOST_TEST(json_object(r).at("data").as_array().empty());
        }
    }

    // Nothing of A's changed.
    BOOST_TEST(key_count() == keys_before);
    BOOST_TEST(json_object(call("GET", "/v1/customers/" + id)) == a);
    BOOST_TEST(call("GET", "/v1/conversations/" + conv).result_int() == 200u);
}

BOOST_AUTO_TEST_CASE(isolation_holds_both_ways) {
    const auto a = create("same-name");
    const auto rb = as_b("POST", "/v1/customers", "username=same-name&phone_number=555-0100");
    BOOST_REQUIRE(rb.result_int() == 201u);
    const auto b = json_object(rb);
    const std::string id_a(a.at("id").as_string()), id_b(b.at("id").as_string());
    BOOST_TEST(b.at("project_id").as_string() == "proj_b");

    BOOST_TEST(call("GET", "/v1/customers/" + id_b).result_int() == 404u);
    BOOST_TEST(call("DELETE", "/v1/customers/" + id_b).result_int() == 404u);
    BOOST_TEST(as_b("GET", "/v1/customers/" + id_a).result_int() == 404u);

    const auto list_a = json_object(call("GET", "/v1/customers?limit=100"));
    BOOST_TEST(boost::json::serialize(list_a).find(id_b) == std::string::npos);
    BOOST_TEST(list_a.at("data").as_array().size() == 1u);
    const auto list_b = json_object(as_b("GET", "/v1/customers?limit=100"));
    BOOST_TEST(boost::json::serialize(list_b).find(id_a) == std::string::npos);
    BOOST_TEST(list_b.at("data").as_array().size() == 1u);

    // Each still reaches its own.
    BOOST_TEST(call("GET", "/v1/customers/" + id_a).result_int() == 200u);
    BOOST_TEST(as_b("GET", "/v1/customers/" + id_b).result_int() == 200u);
}

BOOST_AUTO_TEST_CASE(tokens_never_reach_responses_or_logs) {
    const auto created = create("logged");
    const std::string id(created.at("id").as_string());
    const std::string unknown = "UnknownTokenUnknownToken0123456789";
    const std::string revoked = make_token("proj_gone");
    BOOST_REQUIRE(call_as(revoked, "GET", "/v1/customers").result_int() == 200u);
    redis.command({"FLUSHDB"});  // revokes every token at once
    const std::string fresh = make_token(project);

    std::vector<test::http_response> responses;
    std::string log_text;
    {
        log::set_level(log::level::debug);
        captured_stderr captured;
        for (const std::string& tok : {unknown, revoked, token, token_b, fresh}) {
            responses.push_back(call_as(tok, "GET", "/v1/customers"));
            responses.push_back(call_as(tok, "GET", "/v1/customers/" + id));
            responses.push_back(call_as(tok, "PATCH", "/v1/customers/" + id, "nope=1"));
            responses.push_back(call_as(tok, "POST", "/v1/customers", "username=x"));
            responses.push_back(
                test::http_request(server.port(), "GET", "/v1/customers", {},
                                   {{"Authorization", "Bearer " + tok + " trailing-junk"}}));
            responses.push_back(test::http_request(server.port(), "GET", "/v1/customers", {},
                                                   {{"Authorization", "Basic " + tok}}));
        }
        // And with the store down: 503s, reconnect attempts, error logs.
        redis.stop();
        for (const std::string& tok : {unknown, fresh})
            responses.push_back(call_as("x" + tok, "GET", "/v1/customers"));
        std::this_thread::sleep_for(300ms);
        redis.start();
        log_text = captured.text();
        log::set_level(log::level::warn);
    }
    BOOST_TEST(responses.size() == 32u);
    for (const auto& r : responses) {
        std::string whole;
        for (const auto& field : r) whole.append(field.name_string()).append(field.value());
        whole += r.body();
        for (const std::string& tok : {unknown, revoked, token, token_b, fresh})
            BOOST_TEST(whole.find(tok) == std::string::npos, whole);
    }
    BOOST_TEST(!log_text.empty());  // the capture did capture (the store went away)
    for (const std::string& tok : {unknown, revoked, token, token_b, fresh})
        BOOST_TEST(log_text.find(tok) == std::string::npos);
}

BOOST_AUTO_TEST_SUITE_END()
