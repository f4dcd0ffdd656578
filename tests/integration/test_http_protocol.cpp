// The HTTP layer end to end over loopback: limits, deadlines, malformed
// input, pipelining and the common headers. Redis is deliberately absent
// (its URL points at a closed port), so /readyz must say 503.

#include <memory>

#include <boost/json/parse.hpp>
#include <boost/test/unit_test.hpp>

#include "support/http_client.hpp"
#include "support/server_fixture.hpp"

using namespace customers;
using namespace std::chrono_literals;
using test::http_connection;
namespace bhttp = boost::beast::http;

namespace {

app::config protocol_config() {
    app::config c = test::test_config("redis://127.0.0.1:1");
    c.http.header_timeout = 300ms;
    c.http.body_timeout = 300ms;
    c.http.idle_timeout = 500ms;
    return c;
}

struct protocol_fixture {
    test::running_server server{protocol_config()};
    std::uint16_t port() const { return const_cast<test::running_server&>(server).port(); }
};

boost::json::object json_of(const test::http_response& r) {
    return boost::json::parse(r.body()).as_object();
}

void check_error_shape(const test::http_response& r, unsigned status, std::string_view type) {
    BOOST_TEST(r.result_int() == status);
    BOOST_TEST(r[bhttp::field::content_type] == "application/json");
    const auto o = json_of(r);
    BOOST_TEST(o.at("type").as_string() == type);
    BOOST_TEST(!o.at("message").as_string().empty());
    BOOST_TEST(
        o.at("documentation_url").as_string().starts_with("https://protocol.chat/docs/errors/"));
}

}  // namespace

BOOST_FIXTURE_TEST_SUITE(http_protocol, protocol_fixture)

BOOST_AUTO_TEST_CASE(healthz_is_ok_with_common_headers) {
    auto r = test::http_request(port(), "GET", "/healthz");
    BOOST_TEST(r.result_int() == 200u);
    BOOST_TEST(r.body() == R"({"status":"ok"})");
    BOOST_TEST(r[bhttp::field::content_type] == "application/json");
    BOOST_TEST(r[bhttp::field::server] == "customers-api");
    BOOST_TEST(r[bhttp::field::date].ends_with(" GMT"));
    BOOST_TEST(r["X-Request-Id"].size() == 16u);
}

BOOST_AUTO_TEST_CASE(request_id_is_echoed_only_when_safe) {
    auto echoed =
        test::http_request(port(), "GET", "/healthz", {}, {{"X-Request-Id", "trace-42.a_b"}});
    BOOST_TEST(echoed["X-Request-Id"] == "trace-42.a_b");
    auto replaced =
        test::http_request(port(), "GET", "/healthz", {}, {{"X-Request-Id", "<script>alert(1)"}});
    BOOST_TEST(replaced["X-Request-Id"] != "<script>alert(1)");
    BOOST_TEST(replaced["X-Request-Id"].size() == 16u);
}

BOOST_AUTO_TEST_CASE(unknown_path_404_and_wrong_method_405) {
    check_error_shape(test::http_request(port(), "GET", "/v2/nothing"), 404, "invalid_request");
    auto r = test::http_request(port(), "POST", "/healthz", "x=1");
    check_error_shape(r, 405, "invalid_request");
    BOOST_TEST(r[bhttp::field::allow] == "GET, HEAD");
}

BOOST_AUTO_TEST_CASE(readyz_is_503_with_retry_after_without_redis) {
    auto r = test::http_request(port(), "GET", "/readyz");
    check_error_shape(r, 503, "api_error");
    BOOST_TEST(!r[bhttp::field::retry_after].empty());
}

BOOST_AUTO_TEST_CASE(body_over_64_kib_is_413_and_closes) {
    http_connection c(port());
    c.send("POST /healthz HTTP/1.1\r\nHost: x\r\nContent-Length: 65537\r\n\r\n");
    c.send(std::string(65537, 'a'));
    auto r = c.read_response();
    BOOST_REQUIRE(r);
    check_error_shape(*r, 413, "invalid_request");
    BOOST_TEST(c.closed_by_peer());
}

BOOST_AUTO_TEST_CASE(body_of_exactly_64_kib_is_accepted) {
    auto r = test::http_request(port(), "POST", "/healthz", std::string(65536, 'a'));
    BOOST_TEST(r.result_int() == 405u);  // read completely, then routed
}

BOOST_AUTO_TEST_CASE(chunked_body_over_the_limit_is_413) {
    http_connection c(port());
    std::string req = "POST /healthz HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n";
    for (int i = 0; i < 20; ++i) req += "1000\r\n" + std::string(0x1000, 'b') + "\r\n";
    req += "0\r\n\r\n";
    c.send(req);
    auto r = c.read_response();
    BOOST_REQUIRE(r);
    check_error_shape(*r, 413, "invalid_request");
}

BOOST_AUTO_TEST_CASE(oversized_header_is_431) {
    http_connection c(port());
    c.send("GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: " + std::string(9000, 'h') + "\r\n\r\n");
    auto r = c.read_response();
    BOOST_REQUIRE(r);
    check_error_shape(*r, 431, "invalid_request");
    BOOST_TEST(c.closed_by_peer());
}

BOOST_AUTO_TEST_CASE(garbage_is_400_and_closes) {
    for (std::string_view junk :
         {"HELLO\r\n\r\n", "GET /healthz HTTP/9.9\r\n\r\n",
          "GET /healthz HTTP/1.1\r\nBad Header\r\n\r\n",
          "GET /healthz HTTP/1.1\r\nContent-Length: -1\r\n\r\n", "\x01\x02\x03\r\n\r\n"}) {
        BOOST_TEST_CONTEXT(junk) {
            http_connection c(port());
            c.send(junk);
            auto r = c.read_response();
            BOOST_REQUIRE(r);
            check_error_shape(*r, 400, "invalid_request");
            BOOST_TEST(r->keep_alive() == false);
            BOOST_TEST(c.closed_by_peer());
        }
    }
}

BOOST_AUTO_TEST_CASE(pipelined_requests_are_answered_in_order) {
    http_connection c(port());
    std::string burst;
    for (const char* id : {"one", "two", "three", "four"}) {
        const std::string target = std::string(id) == "two" ? "/missing" : "/healthz";
        burst += "GET " + target + " HTTP/1.1\r\nHost: x\r\nX-Request-Id: " + id + "\r\n\r\n";
    }
    c.send(burst);
    for (const char* id : {"one", "two", "three", "four"}) {
        auto r = c.read_response();
        BOOST_REQUIRE(r);
        BOOST_TEST((*r)["X-Request-Id"] == id);
        BOOST_TEST(r->result_int() == (std::string(id) == "two" ? 404u : 200u));
    }
}

BOOST_AUTO_TEST_CASE(concurrent_connections_each_get_their_own_answer) {
    // Requests arriving on many connections in the same instant are read in
    // one reactor pass: each must be answered on its own connection.
    std::vector<std::unique_ptr<http_connection>> conns;
    for (int i = 0; i < 64; ++i) conns.push_back(std::make_unique<http_connection>(port()));
    for (int round = 0; round < 20; ++round) {
        for (std::size_t i = 0; i < conns.size(); ++i)
            conns[i]->send("GET /healthz HTTP/1.1\r\nHost: x\r\nX-Request-Id: c" +
                           std::to_string(i) + "-r" + std::to_string(round) + "\r\n\r\n");
        for (std::size_t i = 0; i < conns.size(); ++i) {
            auto r = conns[i]->read_response(2s);
            BOOST_REQUIRE_MESSAGE(r, "connection " << i << " got no answer in round " << round);
            BOOST_REQUIRE_EQUAL((*r)["X-Request-Id"],
                                "c" + std::to_string(i) + "-r" + std::to_string(round));
        }
    }
}

BOOST_AUTO_TEST_CASE(keep_alive_serves_many_requests_on_one_connection) {
    http_connection c(port());
    for (int i = 0; i < 5; ++i) {
        c.send("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
        auto r = c.read_response();
        BOOST_REQUIRE(r);
        BOOST_TEST(r->result_int() == 200u);
        BOOST_TEST(r->keep_alive());
    }
}

BOOST_AUTO_TEST_CASE(http10_and_connection_close_end_the_connection) {
    http_connection a(port());
    a.send("GET /healthz HTTP/1.0\r\n\r\n");
    BOOST_REQUIRE(a.read_response());
    BOOST_TEST(a.closed_by_peer());
    http_connection b(port());
    b.send("GET /healthz HTTP/1.1\r\nConnection: close\r\n\r\n");
    auto r = b.read_response();
    BOOST_REQUIRE(r);
    BOOST_TEST((*r)[bhttp::field::connection] == "close");
    BOOST_TEST(b.closed_by_peer());
}

BOOST_AUTO_TEST_CASE(slow_header_is_cut_off_at_the_deadline) {
    http_connection c(port());
    const auto start = std::chrono::steady_clock::now();
    c.send("GET /healthz HTTP/1.1\r\nHost: x\r\n");  // never finished
    BOOST_TEST(c.closed_by_peer(3s));
    const auto elapsed = std::chrono::steady_clock::now() - start;
    BOOST_TEST(elapsed >= 250ms);
    BOOST_TEST(elapsed < 2s);
}

BOOST_AUTO_TEST_CASE(slow_body_is_cut_off_at_the_deadline) {
    http_connection c(port());
    const auto start = std::chrono::steady_clock::now();
    c.send("POST /healthz HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\nabc");
    BOOST_TEST(c.closed_by_peer(3s));
    const auto elapsed = std::chrono::steady_clock::now() - start;
    BOOST_TEST(elapsed >= 250ms);
    BOOST_TEST(elapsed < 2s);
}

BOOST_AUTO_TEST_CASE(trickled_header_cannot_outlast_the_deadline) {
    // One byte at a time, each well within the deadline: the header deadline
    // counts from the first byte, so the connection still ends on time.
    http_connection c(port());
    const auto start = std::chrono::steady_clock::now();
    bool closed = false;
    for (char ch : std::string("GET /healthz HTTP/1.1\r\nX-Slow: aaaaaaaaaaaaaaaaaaaaaaaaaaaa")) {
        try {
            c.send(std::string(1, ch));
        } catch (const std::exception&) {
            closed = true;
            break;
        }
        if (c.closed_by_peer(50ms)) {
            closed = true;
            break;
        }
    }
    BOOST_TEST(closed);
    BOOST_TEST((std::chrono::steady_clock::now() - start < 1500ms));
}

BOOST_AUTO_TEST_CASE(idle_connection_is_closed_silently) {
    http_connection c(port());
    const auto start = std::chrono::steady_clock::now();
    BOOST_TEST(c.closed_by_peer(3s));
    const auto elapsed = std::chrono::steady_clock::now() - start;
    BOOST_TEST(elapsed >= 400ms);
    BOOST_TEST(elapsed < 2s);
}

BOOST_AUTO_TEST_CASE(expect_100_continue_is_honoured) {
    http_connection c(port());
    c.send(
        "POST /healthz HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nExpect: 100-continue\r\n\r\n");
    auto interim = c.read_response(2s);
    BOOST_REQUIRE(interim);
    BOOST_TEST(interim->result_int() == 100u);
    c.send("a=1");
    auto r = c.read_response();
    BOOST_REQUIRE(r);
    BOOST_TEST(r->result_int() == 405u);
}

BOOST_AUTO_TEST_SUITE_END()
