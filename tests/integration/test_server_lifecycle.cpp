// The server against a real redis-server: readiness follows Redis, and a
// SIGTERM lets in-flight requests finish before the process exits 0.

#include <csignal>
#include <fstream>
#include <sstream>
#include <thread>

#include <boost/test/unit_test.hpp>

#include "support/child_process.hpp"
#include "support/http_client.hpp"
#include "support/redis_server.hpp"
#include "support/server_fixture.hpp"
#include "support/server_process.hpp"

using namespace customers;
using namespace std::chrono_literals;
namespace bhttp = boost::beast::http;

namespace {

// Polls /readyz until it answers `status` or the timeout passes.
bool readyz_becomes(std::uint16_t port, unsigned status, std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
        if (test::http_request(port, "GET", "/readyz").result_int() == status) return true;
        std::this_thread::sleep_for(50ms);
    }
    return false;
}

// The value of an unlabelled sample in the server's /metrics, -1 if absent.
long long metric_value(std::uint16_t port, const std::string& name) {
    const std::string text = test::http_request(port, "GET", "/metrics").body();
    const std::size_t at = text.find("\n" + name + " ");
    return at == std::string::npos ? -1 : std::stoll(text.substr(at + name.size() + 2));
}

bool metric_becomes(std::uint16_t port, const std::string& name, long long value) {
    for (int i = 0; i < 500; ++i) {
        if (metric_value(port, name) == value) return true;
        std::this_thread::sleep_for(10ms);
    }
    return false;
}

// Closes one of the server's Redis connections from the Redis side.
void kill_one_server_connection(test::redis_server& redis) {
    const std::string clients = redis.command({"CLIENT", "LIST"}).str;
    std::istringstream lines(clients);
    for (std::string line; std::getline(lines, line);) {
        if (line.find("cmd=client|list") != std::string::npos) continue;  // this very query
        const std::string id = line.substr(3, line.find(' ') - 3);        // "id=N ..."
        BOOST_REQUIRE(redis.command({"CLIENT", "KILL", "ID", id}).integer == 1);
        return;
    }
    BOOST_FAIL("no server connection in CLIENT LIST: " << clients);
}

// An empty log file of this test process's own under $TMPDIR.
std::string fresh_log(const std::string& name) {
    const std::string path =
        test::temp_path("customers-" + name + "-" + std::to_string(::getpid()) + ".log");
    std::remove(path.c_str());
    return path;
}

std::string read_file(const std::string& path) {
    std::ifstream in(path);
    return {std::istreambuf_iterator<char>(in), {}};
}

}  // namespace

BOOST_AUTO_TEST_SUITE(server_lifecycle)

BOOST_AUTO_TEST_CASE(readyz_follows_redis_state) {
    test::redis_server redis;
    test::running_server server(test::test_config(redis.url()));
    BOOST_TEST(readyz_becomes(server.port(), 200, 5s));

    redis.stop();
    BOOST_TEST(readyz_becomes(server.port(), 503, 5s));
    // Liveness does not depend on the store.
    BOOST_TEST(test::http_request(server.port(), "GET", "/healthz").result_int() == 200u);

    redis.start();
    BOOST_TEST(readyz_becomes(server.port(), 200, 5s));
}

BOOST_AUTO_TEST_CASE(readyz_is_503_while_any_thread_has_no_redis_connection) {
    test::redis_server redis;
    app::config cfg = test::test_config(redis.url());
    cfg.threads = 2;
    // A killed connection stays down for the whole test.
    cfg.redis.reconnect_min = cfg.redis.reconnect_max = 60s;
    test::running_server server(cfg);
    BOOST_REQUIRE(metric_becomes(server.port(), "redis_connected", 2));
    BOOST_REQUIRE(readyz_becomes(server.port(), 200, 5s));

    kill_one_server_connection(redis);
    BOOST_REQUIRE(metric_becomes(server.port(), "redis_connected", 1));
    // Each probe on a fresh connection, so the kernel spreads them over both
    // threads: the one still connected must not answer ready either.
    for (int i = 0; i < 16; ++i) {
        auto r = test::http_request(server.port(), "GET", "/readyz");
        BOOST_TEST(r.result_int() == 503u);
        BOOST_TEST(!r[bhttp::field::retry_after].empty());
    }
}

BOOST_AUTO_TEST_CASE(readyz_answers_503_within_the_deadline_when_redis_hangs) {
    test::redis_server redis;
    test::running_server server(test::test_config(redis.url()));  // 500 ms command deadline
    BOOST_REQUIRE(readyz_becomes(server.port(), 200, 5s));
    redis.pause();
    const auto start = std::chrono::steady_clock::now();
    auto r = test::http_request(server.port(), "GET", "/readyz");
    const auto elapsed = std::chrono::steady_clock::now() - start;
    redis.resume();
    BOOST_TEST(r.result_int() == 503u);
    BOOST_TEST(!r[bhttp::field::retry_after].empty());
    BOOST_TEST(elapsed < 1500ms);
    BOOST_TEST(readyz_becomes(server.port(), 200, 5s));
}

BOOST_AUTO_TEST_CASE(sigterm_lets_in_flight_requests_finish_and_exits_0) {
    test::redis_server redis;
    const std::string log = fresh_log("sigterm");
    test::server_process started(redis.url(), 2, log);
    const std::uint16_t port = started.port();
    test::child_process& server = started.process();
    BOOST_REQUIRE(readyz_becomes(port, 200, 5s));

    // An idle keep-alive connection, and a request held in flight by a
    // paused Redis (the default command deadline is 1 s).
    test::http_connection idle(port);
    idle.send("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
    BOOST_REQUIRE(idle.read_response());
    test::http_connection busy(port);
    redis.pause();
    busy.send("GET /readyz HTTP/1.1\r\nHost: x\r\n\r\n");
    std::this_thread::sleep_for(200ms);

    server.signal(SIGTERM);
    // The idle connection is closed at once; new connections are refused.
    BOOST_TEST(idle.closed_by_peer(2s));
    std::this_thread::sleep_for(100ms);
    BOOST_TEST(!test::healthz_answers(port));

    // Redis wakes up before the deadline: the in-flight request completes
    // normally, marked as the connection's last.
    redis.resume();
    auto r = busy.read_response(3s);
    BOOST_REQUIRE(r);
    BOOST_TEST(r->result_int() == 200u);
    BOOST_TEST((*r)[bhttp::field::connection] == "close");
    BOOST_TEST(busy.closed_by_peer(2s));

    const auto code = server.wait(5s);
    BOOST_REQUIRE(code.has_value());
    BOOST_TEST(*code == 0);
    BOOST_TEST_MESSAGE(read_file(log));
}

BOOST_AUTO_TEST_CASE(a_second_signal_during_the_drain_exits_at_once) {
    test::redis_server redis;
    const std::string log = fresh_log("second-signal");
    test::server_process started(redis.url(), 1, log);
    const std::uint16_t port = started.port();
    test::child_process& server = started.process();

    // A request whose body never completes keeps the drain waiting for the
    // body deadline and the shutdown timeout (10 s each by default).
    test::http_connection busy(port);
    busy.send("POST /v1/customers HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\nab");
    std::this_thread::sleep_for(100ms);

    server.signal(SIGTERM);
    bool draining = false;  // the listener is closed once the drain has begun
    for (int i = 0; i < 200 && !draining; ++i) {
        draining = !test::healthz_answers(port);
        if (!draining) std::this_thread::sleep_for(10ms);
    }
    BOOST_REQUIRE(draining);
    BOOST_REQUIRE(!server.wait(100ms).has_value());  // still draining

    server.signal(SIGINT);
    const auto code = server.wait(5s);  // a hang guard: the exit is immediate
    BOOST_REQUIRE(code.has_value());
    BOOST_TEST(*code == 128 + SIGINT);
    const std::string text = read_file(log);
    BOOST_TEST(text.find("exiting now") != std::string::npos, text);
    std::remove(log.c_str());
}

BOOST_AUTO_TEST_CASE(bad_configuration_exits_2_naming_the_key) {
    const std::string log = "/tmp/customers-badcfg-" + std::to_string(::getpid()) + ".log";
    test::child_process server({CUSTOMERS_SERVER_BINARY, "--threads", "many"}, log);
    const auto code = server.wait(5s);
    BOOST_REQUIRE(code.has_value());
    BOOST_TEST(*code == 2);
    BOOST_TEST(read_file(log).find("--threads") != std::string::npos);
    std::remove(log.c_str());
}

BOOST_AUTO_TEST_SUITE_END()
