// Request smuggling and header tricks over a real socket: every ambiguous
// framing gets one 400 in the contract's shape, the connection closes, and
// nothing smuggled behind it is ever answered. X-Request-Id values that are
// not a safe token are replaced, never echoed.

#include <boost/json/parse.hpp>
#include <boost/test/unit_test.hpp>

#include "support/http_client.hpp"
#include "support/server_fixture.hpp"

using namespace customers;
using namespace std::chrono_literals;
using test::http_connection;
namespace bhttp = boost::beast::http;

namespace {

struct smuggling_fixture {
    // No Redis: /healthz and the framing checks need none.
    test::running_server server{test::test_config("redis://127.0.0.1:1")};
    std::uint16_t port() { return server.port(); }
};

// Sends `bytes` and expects exactly one 400 (with a message naming the
// problem), Connection: close, and the connection closed after it: a
// request smuggled behind it gets no answer.
void expect_refused(std::uint16_t port, const std::string& bytes, std::string_view why = {}) {
    http_connection c(port);
    c.send(bytes);
    auto r = c.read_response();
    BOOST_REQUIRE(r);
    BOOST_TEST(r->result_int() == 400u);
    BOOST_TEST((*r)[bhttp::field::content_type] == "application/json");
    const auto body = boost::json::parse(r->body()).as_object();
    BOOST_TEST(body.at("type").as_string() == "invalid_request");
    const std::string message(body.at("message").as_string());
    BOOST_TEST(message.find(why) != std::string::npos, message);
    BOOST_TEST(!r->keep_alive());
    BOOST_TEST(c.closed_by_peer());  // and no second response before the close
}

const std::string smuggled = "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n";

}  // namespace

BOOST_FIXTURE_TEST_SUITE(http_smuggling, smuggling_fixture)

BOOST_AUTO_TEST_CASE(content_length_with_transfer_encoding) {
    expect_refused(port(),
                   "POST /healthz HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\n"
                   "Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n" +
                       smuggled,
                   "Transfer-Encoding");
    expect_refused(port(),
                   "POST /healthz HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n"
                   "Content-Length: 4\r\n\r\n0\r\n\r\n" +
                       smuggled,
                   "Content-Length");
    expect_refused(port(),
                   "POST /healthz HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip\r\n"
                   "Content-Length: 4\r\n\r\nabcd" +
                       smuggled,
                   "both Content-Length and Transfer-Encoding");
}

BOOST_AUTO_TEST_CASE(two_content_lengths) {
    expect_refused(port(),
                   "POST /healthz HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n"
                   "Content-Length: 35\r\n\r\n" +
                       smuggled,
                   "Content-Length");
    expect_refused(port(),
                   "POST /healthz HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n"
                   "Content-Length: 3\r\n\r\nabc",
                   "more than one Content-Length");
}

BOOST_AUTO_TEST_CASE(transfer_encodings_other_than_chunked) {
    for (std::string te : {"gzip", "chunked, chunked", "gzip, chunked", "identity"}) {
        BOOST_TEST_CONTEXT(te) {
            expect_refused(port(),
                           "POST /healthz HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: " + te +
                               "\r\n\r\n0\r\n\r\n" + smuggled,
                           "Transfer-Encoding");
        }
    }
    expect_refused(port(), "POST /healthz HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
                   "HTTP/1.0");
}

BOOST_AUTO_TEST_CASE(obs_fold) {
    expect_refused(port(), "GET /healthz HTTP/1.1\r\nHost: x\r\nX-A: a\r\n b\r\n\r\n" + smuggled,
                   "line folding");
    expect_refused(port(), "POST /healthz HTTP/1.1\r\nHost: x\r\nContent-Length:\r\n\t3\r\n\r\nabc",
                   "line folding");
}

BOOST_AUTO_TEST_CASE(control_characters_and_bad_chunks) {
    for (std::string bad : {
             std::string("GET /healthz HTTP/1.1\r\nHost: x\r\nX-A: a\x01z\r\n\r\n"),
             std::string("GET /healthz HTTP/1.1\r\nHost: x\r\nX-A: a\x7fz\r\n\r\n"),
             std::string("GET /healthz HTTP/1.1\r\nHost: x\r\nX-A: a\0z\r\n\r\n", 44),
             std::string("GET /healthz HTTP/1.1\r\nHost: x\r\nX-A: a\rz\r\n\r\n"),
             std::string("GET /healthz HTTP/1.1\r\nHost: x\r\nX\x01: a\r\n\r\n"),
             std::string("GET /healthz HTTP/1.1\r\nHost: x\r\nX-A : a\r\n\r\n"),
             std::string("GET /health\x01z HTTP/1.1\r\nHost: x\r\n\r\n"),
             std::string("POST /healthz HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
                         "zz\r\nab\r\n0\r\n\r\n"),
             std::string("POST /healthz HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
                         "fffffffffffffffffffff\r\n"),
         }) {
        BOOST_TEST_CONTEXT(bad) {
            expect_refused(port(), bad + smuggled, "malformed");
        }
    }
}

BOOST_AUTO_TEST_CASE(host_missing_or_repeated) {
    expect_refused(port(), "GET /healthz HTTP/1.1\r\n\r\n", "missing Host");
    expect_refused(port(), "GET /healthz HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", "Host");
    // HTTP/1.0 needs none.
    http_connection c(port());
    c.send("GET /healthz HTTP/1.0\r\n\r\n");
    auto r = c.read_response();
    BOOST_REQUIRE(r);
    BOOST_TEST(r->result_int() == 200u);
}

BOOST_AUTO_TEST_CASE(well_framed_pipelined_requests_still_work) {
    http_connection c(port());
    c.send(
        "POST /healthz HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
        "3\r\nabc\r\n0\r\n\r\n" +
        smuggled);
    auto first = c.read_response();
    BOOST_REQUIRE(first);
    BOOST_TEST(first->result_int() == 405u);  // read whole, routed: POST is not allowed
    auto second = c.read_response();
    BOOST_REQUIRE(second);
    BOOST_TEST(second->result_int() == 200u);
}

BOOST_AUTO_TEST_CASE(unsafe_request_ids_are_replaced_never_echoed) {
    const std::vector<std::string> unsafe = {
        std::string(65, 'a'),      // too long
        "a b",                     // space
        "\"quoted\"",              // quotes
        "<script>",                // markup
        "id%0d%0aSet-Cookie:x=1",  // encoded CRLF
        "caf\xc3\xa9",             // non-ASCII
        "a;b",
        "a,b",
        "a/b",
        "a:b",
        "a\tb",
    };
    for (const std::string& id : unsafe) {
        BOOST_TEST_CONTEXT(id) {
            http_connection c(port());
            c.send("GET /healthz HTTP/1.1\r\nHost: x\r\nX-Request-Id: " + id + "\r\n\r\n");
            const std::string raw = c.read_all(2s);
            BOOST_TEST(raw.starts_with("HTTP/1.1 200"));
            BOOST_TEST(raw.find(id) == std::string::npos);  // anywhere, head or body
            const auto at = raw.find("X-Request-Id: ");
            BOOST_REQUIRE(at != std::string::npos);
            const std::string sent = raw.substr(at + 14, raw.find("\r\n", at) - at - 14);
            BOOST_TEST(sent.size() == 16u);
        }
    }
    // A CR/LF inside the value cannot reach us as part of it: the header
    // ends there, the rest is another header (echoed nowhere).
    http_connection c(port());
    c.send("GET /healthz HTTP/1.1\r\nHost: x\r\nX-Request-Id: abc\r\nSet-Cookie: x=1\r\n\r\n");
    const std::string raw = c.read_all(2s);
    BOOST_TEST(raw.find("X-Request-Id: abc\r\n") != std::string::npos);
    BOOST_TEST(raw.find("Set-Cookie") == std::string::npos);
    // A bare CR inside the value is a malformed request; its 400 has a fresh id.
    http_connection d(port());
    d.send("GET /healthz HTTP/1.1\r\nHost: x\r\nX-Request-Id: abc\rSet-Cookie: x=1\r\n\r\n");
    const std::string refused = d.read_all(2s);
    BOOST_TEST(refused.starts_with("HTTP/1.1 400"));
    BOOST_TEST(refused.find("abc") == std::string::npos);
    BOOST_TEST(refused.find("Set-Cookie") == std::string::npos);
}

BOOST_AUTO_TEST_CASE(refused_requests_get_fresh_ids) {
    http_connection c(port());
    c.send("GET /healthz HTTP/1.1\r\nHost: x\r\nX-Request-Id: mine\r\nHost: y\r\n\r\n");
    auto r = c.read_response();
    BOOST_REQUIRE(r);
    BOOST_TEST(r->result_int() == 400u);
    BOOST_TEST((*r)["X-Request-Id"] != "mine");
    BOOST_TEST((*r)["X-Request-Id"].size() == 16u);
}

BOOST_AUTO_TEST_SUITE_END()
