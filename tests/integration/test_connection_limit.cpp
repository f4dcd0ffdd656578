// http.max_connections: beyond the limit a connection gets a 503 in the
// contract's shape with Retry-After and Connection: close, and a clean close
// (EOF, not a reset); the limit counts connections of every thread together;
// a freed place is usable again.

#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <memory>
#include <thread>
#include <vector>

#include <boost/json/parse.hpp>
#include <boost/test/unit_test.hpp>

#include "support/http_client.hpp"
#include "support/server_fixture.hpp"

using namespace customers;
using namespace std::chrono_literals;
using test::http_connection;
namespace bhttp = boost::beast::http;

namespace {

app::config limited(std::size_t max_connections, unsigned threads) {
    app::config c = test::test_config("redis://127.0.0.1:1");
    c.threads = threads;
    c.http.max_connections = max_connections;
    return c;
}

// A connection that is being served: it got an answer to a request and is
// kept open (keep-alive), so it holds its place in the count.
std::unique_ptr<http_connection> held_connection(std::uint16_t port) {
    auto c = std::make_unique<http_connection>(port);
    c->send("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
    auto r = c->read_response();
    BOOST_REQUIRE(r);
    BOOST_REQUIRE(r->result_int() == 200u);
    return c;
}

struct refusal {
    std::string raw;     // every byte received
    bool reset = false;  // the connection ended with ECONNRESET rather than EOF
};

// Connects, sends nothing, and reads until the server closes (5 s at most).
refusal connect_and_read_to_close(std::uint16_t port) {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    BOOST_REQUIRE(fd >= 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    BOOST_REQUIRE(::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
    refusal out;
    const auto deadline = std::chrono::steady_clock::now() + 5s;
    for (;;) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
            deadline - std::chrono::steady_clock::now());
        pollfd p{fd, POLLIN, 0};
        if (left.count() <= 0 || ::poll(&p, 1, static_cast<int>(left.count())) <= 0) break;
        char buf[4096];
        const ssize_t n = ::recv(fd, buf, sizeof buf, 0);
        if (n > 0) {
            out.raw.append(buf, static_cast<std::size_t>(n));
            continue;
        }
        out.reset = n < 0 && errno == ECONNRESET;
        break;
    }
    ::close(fd);
    return out;
}

void check_refusal(const refusal& r) {
    BOOST_TEST(r.raw.starts_with("HTTP/1.1 503 Service Unavailable\r\n"), r.raw);
    BOOST_TEST(r.raw.find("\r\nRetry-After: 1\r\n") != std::string::npos);
    BOOST_TEST(r.raw.find("\r\nConnection: close\r\n") != std::string::npos);
    BOOST_TEST(r.raw.find("\r\nX-Request-Id: ") != std::string::npos);
    const auto body_at = r.raw.find("\r\n\r\n");
    BOOST_REQUIRE(body_at != std::string::npos);
    const auto body = boost::json::parse(r.raw.substr(body_at + 4)).as_object();
    BOOST_TEST(body.at("type").as_string() == "api_error");
    BOOST_TEST(std::string(body.at("message").as_string()).find("too many open connections") !=
               std::string::npos);
    BOOST_TEST(!r.reset);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(connection_limit)

BOOST_AUTO_TEST_CASE(beyond_the_limit_is_a_clean_503) {
    test::running_server server(limited(3, 1));
    std::vector<std::unique_ptr<http_connection>> held;
    for (int i = 0; i < 3; ++i) held.push_back(held_connection(server.port()));

    check_refusal(connect_and_read_to_close(server.port()));
    // A client that sends its request first gets the same answer.
    http_connection eager(server.port());
    eager.send("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
    auto r = eager.read_response();
    BOOST_REQUIRE(r);
    BOOST_TEST(r->result_int() == 503u);
    BOOST_TEST(!r->keep_alive());
    BOOST_TEST(eager.closed_by_peer());

    // The held ones are still served.
    held[0]->send("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
    auto still = held[0]->read_response();
    BOOST_REQUIRE(still);
    BOOST_TEST(still->result_int() == 200u);

    // A freed place is taken again (once the server has seen the close).
    held.pop_back();
    bool served = false;
    for (int i = 0; i < 100 && !served; ++i) {
        served = test::http_request(server.port(), "GET", "/healthz").result_int() == 200;
        if (!served) std::this_thread::sleep_for(20ms);
    }
    BOOST_TEST(served);
}

BOOST_AUTO_TEST_CASE(the_limit_is_process_wide) {
    // Two threads, each with its own acceptor: a per-thread count would let
    // up to 8 in; the kernel spreads the extra connections over both.
    test::running_server server(limited(4, 2));
    std::vector<std::unique_ptr<http_connection>> held;
    for (int i = 0; i < 4; ++i) held.push_back(held_connection(server.port()));
    for (int i = 0; i < 12; ++i) {
        BOOST_TEST_CONTEXT("extra connection " << i) {
            check_refusal(connect_and_read_to_close(server.port()));
        }
    }
}

BOOST_AUTO_TEST_SUITE_END()
