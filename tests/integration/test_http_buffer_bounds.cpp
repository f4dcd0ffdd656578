// A connection's read buffer is bounded. Beast keeps a chunk-size line (with
// its extensions) and the trailer section whole in the buffer until they
// end, so a client that never ends one used to grow the server's memory by
// everything it sent. Against the real binary: such a request gets a 431 in
// the contract's shape and a close, and the server's resident memory stays
// flat while tens of MiB are sent.

#include <string>

#include <boost/json/parse.hpp>
#include <boost/test/unit_test.hpp>

#include "support/child_process.hpp"
#include "support/http_client.hpp"
#include "support/redis_server.hpp"
#include "support/server_process.hpp"

using namespace customers;
using namespace std::chrono_literals;
namespace bhttp = boost::beast::http;

namespace {

constexpr std::size_t flood_bytes = 32u << 20;  // what the client tries to send
constexpr long allowed_growth_kib = 4 * 1024;   // far below flood_bytes

// Sends `head`, then 'a's in 64 KiB pieces until flood_bytes are sent, the
// server has answered, or it has closed; then reads the answer.
void expect_refused_with_flat_memory(const std::string& head) {
    // The server binary with its default limits, one thread.
    test::redis_server redis;
    test::server_process server(redis.url(), 1, "/dev/null");
    const long before = test::resident_kib(server.process().pid());
    BOOST_REQUIRE(before > 0);

    test::http_connection c(server.port());
    BOOST_REQUIRE(c.try_send(head));
    const std::string piece(64 * 1024, 'a');
    std::size_t sent = 0;
    while (sent < flood_bytes && !c.readable() && c.try_send(piece)) sent += piece.size();
    const auto answer = c.read_response(5s);
    const long after = test::resident_kib(server.process().pid());
    BOOST_TEST_MESSAGE("sent " << sent << " bytes after the head; VmRSS " << before << " -> "
                               << after << " KiB");

    BOOST_TEST(after - before < allowed_growth_kib);
    BOOST_REQUIRE(answer.has_value());
    BOOST_TEST(answer->result_int() == 431u);
    BOOST_TEST((*answer)[bhttp::field::connection] == "close");
    const auto body = boost::json::parse(answer->body()).as_object();
    BOOST_TEST(body.at("type").as_string() == "invalid_request");
    BOOST_TEST(c.closed_by_peer(5s));
}

}  // namespace

BOOST_AUTO_TEST_SUITE(http_buffer_bounds)

BOOST_AUTO_TEST_CASE(a_chunk_extension_without_end_is_431_and_memory_stays_flat) {
    expect_refused_with_flat_memory(
        "POST /v1/customers HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n1;");
}

BOOST_AUTO_TEST_CASE(a_trailer_section_without_end_is_431_and_memory_stays_flat) {
    expect_refused_with_flat_memory(
        "POST /v1/customers HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
        "1\r\na\r\n0\r\nX-Filler: ");
}

BOOST_AUTO_TEST_SUITE_END()
