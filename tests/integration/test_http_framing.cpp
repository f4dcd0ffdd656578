// Response framing that HTTP fixes regardless of the route: no body on a
// response to HEAD, none and no Content-Length on 304 (the 304 case is in
// test_openapi.cpp, the one route that answers it).

#include <boost/test/unit_test.hpp>

#include "support/http_client.hpp"
#include "support/server_fixture.hpp"

using namespace customers;

namespace {

struct framing_fixture {
    test::running_server server{test::test_config("redis://127.0.0.1:1")};
};

}  // namespace

BOOST_FIXTURE_TEST_SUITE(http_framing, framing_fixture)

BOOST_AUTO_TEST_CASE(a_response_to_head_has_no_body) {
    // HEAD then GET on one connection: were the body sent after the HEAD
    // response, it would be read as the start of the next response.
    test::http_connection c(server.port());
    c.send(
        "HEAD /healthz HTTP/1.1\r\nHost: x\r\n\r\n"
        "GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    const std::string raw = c.read_all();
    const auto head_end = raw.find("\r\n\r\n");
    BOOST_REQUIRE(head_end != std::string::npos);
    BOOST_TEST(raw.starts_with("HTTP/1.1 200 "));
    BOOST_TEST(raw.substr(0, head_end).find("\r\nContent-Length: 15") != std::string::npos);
    BOOST_TEST(raw.substr(head_end + 4).starts_with("HTTP/1.1 200 OK\r\n"), raw);
    BOOST_TEST(raw.ends_with(R"({"status":"ok"})"));
}

BOOST_AUTO_TEST_SUITE_END()
