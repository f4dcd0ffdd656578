// HEAD is served wherever GET is (RFC 9110 §9.3.2): the status and headers
// of the GET response, its Content-Length included, and no body. Each HEAD
// is pipelined before a GET on one connection, so a body sent after the
// HEAD response would be read as the start of the GET's.

#include <boost/test/unit_test.hpp>

#include "support/api_fixture.hpp"

using namespace customers;
using namespace std::chrono_literals;
namespace bhttp = boost::beast::http;

namespace {

struct head_and_get {
    test::http_response head;
    test::http_response get;
};

head_and_get exchange(std::uint16_t port, const std::string& target, const std::string& token) {
    const std::string auth = token.empty() ? "" : "Authorization: Bearer " + token + "\r\n";
    test::http_connection c(port);
    c.send("HEAD " + target + " HTTP/1.1\r\nHost: x\r\n" + auth + "\r\n" + "GET " + target +
           " HTTP/1.1\r\nHost: x\r\n" + auth + "Connection: close\r\n\r\n");
    auto head = c.read_response(5s, true);
    BOOST_REQUIRE(head.has_value());
    auto get = c.read_response(5s);
    BOOST_REQUIRE(get.has_value());
    BOOST_TEST(c.closed_by_peer(5s));  // nothing after the GET response
    return {std::move(*head), std::move(*get)};
}

// The HEAD response is the GET response's head: same status, same fields
// but those that differ per response, Content-Length of the GET body.
void expect_head_of(const head_and_get& r, unsigned status) {
    BOOST_TEST(r.get.result_int() == status);
    BOOST_TEST(r.head.result_int() == status);
    BOOST_TEST(r.head.body().empty());
    BOOST_TEST(r.head[bhttp::field::content_length] == std::to_string(r.get.body().size()));
    for (const auto& field : r.get) {
        const std::string name(field.name_string());
        if (name == "Date" || name == "X-Request-Id" || name == "RateLimit" || name == "Connection")
            continue;
        BOOST_TEST_CONTEXT(name) {
            BOOST_TEST(r.head[name] == field.value());
        }
    }
}

}  // namespace

BOOST_FIXTURE_TEST_SUITE(head_requests, test::api_fixture)

BOOST_AUTO_TEST_CASE(head_of_the_probes_and_the_document) {
    expect_head_of(exchange(server.port(), "/healthz", {}), 200);
    expect_head_of(exchange(server.port(), "/readyz", {}), 200);
    expect_head_of(exchange(server.port(), "/openapi.json", {}), 200);
}

BOOST_AUTO_TEST_CASE(head_of_v1_reads) {
    const auto c = create("headless");
    const std::string id(c.at("id").as_string());
    const std::string conversation(c.at("conversation_id").as_string());
    expect_head_of(exchange(server.port(), "/v1/customers/" + id, token), 200);
    expect_head_of(exchange(server.port(), "/v1/customers?limit=5", token), 200);
    expect_head_of(exchange(server.port(), "/v1/conversations/" + conversation, token), 200);
    // Errors too: the head of the 404, 400 and 401 GET would get.
    expect_head_of(exchange(server.port(), "/v1/customers/AAAAAAAAAAAAAAAA", token), 404);
    expect_head_of(exchange(server.port(), "/v1/customers?limit=0", token), 400);
    expect_head_of(exchange(server.port(), "/v1/customers/" + id, {}), 401);
}

BOOST_AUTO_TEST_CASE(allow_lists_head_wherever_get_is_allowed) {
    auto r = test::http_request(server.port(), "POST", "/healthz", "x=1");
    BOOST_TEST(r.result_int() == 405u);
    BOOST_TEST(r[bhttp::field::allow] == "GET, HEAD");
    r = call("POST", "/v1/customers/AAAAAAAAAAAAAAAA", "a=b");
    BOOST_TEST(r.result_int() == 405u);
    BOOST_TEST(r[bhttp::field::allow] == "GET, HEAD, PATCH, PUT, DELETE");
    // No GET on the path: no HEAD either.
    test::http_connection c(server.port());
    c.send("HEAD /v1/customers/AAAAAAAAAAAAAAAA/x HTTP/1.1\r\nHost: x\r\n\r\n");
    auto missing = c.read_response(5s, true);
    BOOST_REQUIRE(missing.has_value());
    BOOST_TEST(missing->result_int() == 404u);
}

BOOST_AUTO_TEST_SUITE_END()
