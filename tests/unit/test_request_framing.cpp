// Request smuggling and header tricks, without sockets: what Beast 1.81's
// parser already rejects (pinned here, so an upgrade that loosens it is
// noticed) and what request_checks.hpp rejects on top of it.

#include "customers/http/request_checks.hpp"

#include <string>
#include <string_view>

#include <boost/beast/http/error.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/test/unit_test.hpp>

using namespace customers;
namespace bhttp = boost::beast::http;

namespace {

struct parsed {
    boost::system::error_code ec;  // from Beast
    std::string refusal;           // from request_checks, when Beast accepted the header
    bool folded = false;
};

// Parses one request as the session does: the fold check on the raw bytes,
// Beast's parser, then the framing checks on the header.
parsed parse(std::string_view bytes) {
    parsed out;
    out.folded = http::has_folded_line(bytes);
    bhttp::request_parser<bhttp::string_body> p;
    p.eager(true);
    std::size_t used = p.put(boost::asio::buffer(bytes.data(), bytes.size()), out.ec);
    if (!out.ec && p.is_header_done()) {
        out.refusal = std::string(http::framing_violation(p.get()));
        while (!out.ec && !p.is_done() && used < bytes.size())
            used += p.put(boost::asio::buffer(bytes.data() + used, bytes.size() - used), out.ec);
    }
    return out;
}

boost::system::error_code code(bhttp::error e) {
    return bhttp::make_error_code(e);
}

bool accepted(const parsed& p) {
    return !p.ec && p.refusal.empty() && !p.folded;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(request_framing)

BOOST_AUTO_TEST_CASE(plain_requests_pass) {
    BOOST_TEST(accepted(parse("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")));
    BOOST_TEST(
        accepted(parse("POST /v1/customers HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n"
                       "\r\na=b")));
    BOOST_TEST(
        accepted(parse("POST /v1/customers HTTP/1.1\r\nHost: x\r\n"
                       "Transfer-Encoding: chunked\r\n\r\n3\r\na=b\r\n0\r\n\r\n")));
    BOOST_TEST(
        accepted(parse("POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: Chunked \r\n"
                       "\r\n0\r\n\r\n")));
    BOOST_TEST(accepted(parse("GET /healthz HTTP/1.0\r\n\r\n")));  // 1.0 needs no Host
    // A tab inside a value and obs-text (bytes >= 0x80) are allowed.
    BOOST_TEST(accepted(parse("GET / HTTP/1.1\r\nHost: x\r\nX-A: a\tb \xc3\xa9\r\n\r\n")));
}

BOOST_AUTO_TEST_CASE(beast_rejects_content_length_with_transfer_encoding) {
    BOOST_TEST(parse("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n"
                     "Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n")
                   .ec == code(bhttp::error::bad_transfer_encoding));
    BOOST_TEST(parse("POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n"
                     "Content-Length: 5\r\n\r\n0\r\n\r\n")
                   .ec == code(bhttp::error::bad_content_length));
}

BOOST_AUTO_TEST_CASE(beast_rejects_different_content_lengths) {
    BOOST_TEST(parse("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nContent-Length: 6\r\n"
                     "\r\nhello!")
                   .ec == code(bhttp::error::multiple_content_length));
    BOOST_TEST(parse("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 5, 6\r\n\r\nhello!").ec ==
               code(bhttp::error::multiple_content_length));
    for (std::string_view bad : {"-1", "+5", "5x", "0x5", "", "99999999999999999999999"}) {
        BOOST_TEST_CONTEXT(bad) {
            const std::string req =
                "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: " + std::string(bad) + "\r\n\r\n";
            BOOST_TEST(parse(req).ec == code(bhttp::error::bad_content_length));
        }
    }
}

BOOST_AUTO_TEST_CASE(beast_rejects_control_characters) {
    BOOST_TEST(parse("GET / HTTP/1.1\r\nHost: x\r\nX-A: a\x01z\r\n\r\n").ec ==
               code(bhttp::error::bad_value));
    BOOST_TEST(parse("GET / HTTP/1.1\r\nHost: x\r\nX-A: a\x7fz\r\n\r\n").ec ==
               code(bhttp::error::bad_value));
    BOOST_TEST(parse(std::string_view("GET / HTTP/1.1\r\nHost: x\r\nX-A: a\0z\r\n\r\n", 36)).ec ==
               code(bhttp::error::bad_value));
    BOOST_TEST(parse("GET / HTTP/1.1\r\nHost: x\r\nX-A: a\rz\r\n\r\n").ec ==
               code(bhttp::error::bad_line_ending));
    BOOST_TEST(parse("GET / HTTP/1.1\r\nHost: x\r\nX\x01A: a\r\n\r\n").ec ==
               code(bhttp::error::bad_field));
    BOOST_TEST(parse("GET / HTTP/1.1\r\nHost: x\r\nX-A : a\r\n\r\n").ec ==
               code(bhttp::error::bad_field));  // space before the colon
    BOOST_TEST(parse("GET /a\x01 HTTP/1.1\r\nHost: x\r\n\r\n").ec ==
               code(bhttp::error::bad_target));
    BOOST_TEST(parse("GET /a b HTTP/1.1\r\nHost: x\r\n\r\n").ec == code(bhttp::error::bad_version));
}

BOOST_AUTO_TEST_CASE(beast_rejects_bad_chunk_sizes) {
    const std::string head = "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n";
    for (std::string_view bad :
         {"zz\r\nab\r\n0\r\n\r\n", "-1\r\n\r\n", "0x3\r\nabc\r\n0\r\n\r\n",
          "fffffffffffffffffffff\r\n", "3 \r\nabc\r\n0\r\n\r\n", "3\r\nabcd\r\n0\r\n\r\n"}) {
        BOOST_TEST_CONTEXT(bad) {
            const parsed p = parse(head + std::string(bad));
            BOOST_TEST(p.ec);
            BOOST_TEST(p.ec != code(bhttp::error::need_more));
        }
    }
}

BOOST_AUTO_TEST_CASE(obs_fold_is_refused) {
    BOOST_TEST(parse("GET / HTTP/1.1\r\nHost: x\r\nX-A: a\r\n b\r\n\r\n").folded);
    BOOST_TEST(parse("GET / HTTP/1.1\r\nHost: x\r\nX-A: a\r\n\tb\r\n\r\n").folded);
    BOOST_TEST(parse("GET / HTTP/1.1\r\n Host: x\r\n\r\n").folded);
    // Beast alone would take the folded Content-Length as "5 6"... or as 5.
    BOOST_TEST(parse("POST / HTTP/1.1\r\nHost: x\r\nContent-Length:\r\n 5\r\n\r\nhello").folded);
    // Spaces after the header's end are body bytes, not folding.
    BOOST_TEST(!http::has_folded_line("POST / HTTP/1.1\r\nHost: x\r\n\r\n a\r\n b"));
    // An incomplete header is checked as far as it goes.
    BOOST_TEST(http::has_folded_line("GET / HTTP/1.1\r\nX-A: a\r\n b"));
    BOOST_TEST(!http::has_folded_line("GET / HTTP/1.1\r\nX-A: a\r\n"));
}

BOOST_AUTO_TEST_CASE(transfer_encoding_other_than_chunked_is_refused) {
    for (std::string_view te : {"gzip", "chunked, chunked", "gzip, chunked", "chunked, gzip",
                                "identity", "chunked;q=1", "xchunked"}) {
        BOOST_TEST_CONTEXT(te) {
            const parsed p =
                parse("POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: " + std::string(te) +
                      "\r\n\r\n0\r\n\r\n");
            BOOST_TEST(!accepted(p));
        }
    }
    // Two fields: Beast catches a second "chunked" itself; "gzip" then
    // "chunked" it would read as chunked.
    BOOST_TEST(
        !accepted(parse("POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip\r\n"
                        "Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n")));
    BOOST_TEST(parse("POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n"
                     "Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n")
                   .ec == code(bhttp::error::bad_transfer_encoding));
}

BOOST_AUTO_TEST_CASE(framing_beast_lets_through_is_refused) {
    // Transfer-Encoding that is not chunked, then Content-Length: Beast
    // frames by the length.
    const parsed te_cl = parse(
        "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip\r\n"
        "Content-Length: 5\r\n\r\nhello");
    BOOST_TEST(!te_cl.ec);
    BOOST_TEST(te_cl.refusal.find("both Content-Length and Transfer-Encoding") !=
               std::string::npos);
    // Equal repeated lengths: Beast accepts, we do not.
    const parsed twice = parse(
        "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n"
        "Content-Length: 5\r\n\r\nhello");
    BOOST_TEST(!twice.ec);
    BOOST_TEST(twice.refusal.find("more than one Content-Length") != std::string::npos);
    BOOST_TEST(
        !parse("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 5, 5\r\n\r\nhello").refusal.empty());
    // chunked in HTTP/1.0 (which has no chunked coding).
    BOOST_TEST(parse("POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n")
                   .refusal.find("HTTP/1.0") != std::string::npos);
    // Host: missing in 1.1, or twice.
    BOOST_TEST(parse("GET / HTTP/1.1\r\n\r\n").refusal.find("missing Host") != std::string::npos);
    BOOST_TEST(
        parse("GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n").refusal.find("more than one Host") !=
        std::string::npos);
}

BOOST_AUTO_TEST_SUITE_END()
