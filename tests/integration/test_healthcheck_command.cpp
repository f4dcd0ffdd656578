// `customers-server healthcheck` against real listeners: a running server
// (healthy), a non-2xx answer, a closed port and a peer that never answers
// (unhealthy), and usage errors; also through the real binary.

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <map>
#include <string>
#include <vector>

#include <boost/test/unit_test.hpp>

#include "customers/app/healthcheck_command.hpp"
#include "support/child_process.hpp"
#include "support/redis_server.hpp"
#include "support/server_fixture.hpp"

using namespace customers;
using namespace std::chrono_literals;

namespace {

int healthcheck(std::vector<std::string> args, std::map<std::string, std::string> env = {}) {
    const std::vector<std::string_view> views(args.begin(), args.end());
    const app::env_lookup getenv = [&env](const char* name) -> const char* {
        auto it = env.find(name);
        return it == env.end() ? nullptr : it->second.c_str();
    };
    return app::run_healthcheck_command(views, getenv);
}

std::string url(std::uint16_t port, const std::string& path) {
    return "http://127.0.0.1:" + std::to_string(port) + path;
}

// A socket that listens but never accepts: the kernel completes the TCP
// handshake, and then nothing is ever answered.
class silent_listener {
  public:
    silent_listener() : fd_(::socket(AF_INET, SOCK_STREAM, 0)) {
        BOOST_REQUIRE(fd_ >= 0);
        sockaddr_in addr{};
        addr.sin_family = AF_INET;
        addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        BOOST_REQUIRE(::bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
        BOOST_REQUIRE(::listen(fd_, 4) == 0);
        socklen_t len = sizeof addr;
        BOOST_REQUIRE(::getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len) == 0);
        port_ = ntohs(addr.sin_port);
    }
    ~silent_listener() { ::close(fd_); }
    silent_listener(const silent_listener&) = delete;
    silent_listener& operator=(const silent_listener&) = delete;
    std::uint16_t port() const { return port_; }

  private:
    int fd_;
    std::uint16_t port_ = 0;
};

}  // namespace

BOOST_AUTO_TEST_SUITE(healthcheck_command)

BOOST_AUTO_TEST_CASE(a_running_server_is_healthy) {
    test::redis_server redis;
    test::running_server server(test::test_config(redis.url()));
    const std::string port = std::to_string(server.port());
    BOOST_TEST(healthcheck({"--url", url(server.port(), "/healthz")}) == 0);
    // Without --url: /healthz on the configured listen address, from the
    // flags or the environment, a wildcard address probed on loopback.
    BOOST_TEST(healthcheck({"--listen", "127.0.0.1:" + port}) == 0);
    BOOST_TEST(healthcheck({}, {{"CUSTOMERS_LISTEN", "0.0.0.0:" + port}}) == 0);
}

BOOST_AUTO_TEST_CASE(a_non_2xx_answer_is_unhealthy) {
    test::redis_server redis;
    test::running_server server(test::test_config(redis.url()));
    BOOST_TEST(healthcheck({"--url", url(server.port(), "/no-such-path")}) == 1);
    // /readyz is 503 while Redis is down, whereas /healthz stays 200.
    redis.stop();
    BOOST_TEST(healthcheck({"--url", url(server.port(), "/readyz")}) == 1);
    BOOST_TEST(healthcheck({"--url", url(server.port(), "/healthz")}) == 0);
}

BOOST_AUTO_TEST_CASE(a_closed_port_is_unhealthy) {
    BOOST_TEST(healthcheck({"--url", url(test::free_port(), "/healthz")}) == 1);
}

BOOST_AUTO_TEST_CASE(a_peer_that_never_answers_is_unhealthy_after_the_timeout) {
    silent_listener peer;
    BOOST_TEST(healthcheck({"--url", url(peer.port(), "/healthz"), "--timeout-ms=200"}) == 1);
}

BOOST_AUTO_TEST_CASE(usage_errors_exit_2) {
    BOOST_TEST(healthcheck({"--url", "https://127.0.0.1/healthz"}) == 2);
    BOOST_TEST(healthcheck({"--url"}) == 2);
    BOOST_TEST(healthcheck({"--timeout-ms", "0"}) == 2);
    BOOST_TEST(healthcheck({"--timeout-ms", "soon"}) == 2);
    BOOST_TEST(healthcheck({"--url=http://a/", "--url=http://b/"}) == 2);
    BOOST_TEST(healthcheck({"--bogus"}) == 2);
    BOOST_TEST(healthcheck({"--listen", "127.0.0.1:0"}) == 2);  // nothing to probe
    BOOST_TEST(healthcheck({}, {{"CUSTOMERS_LISTEN", "nonsense"}}) == 2);
}

BOOST_AUTO_TEST_CASE(the_binary_exits_0_when_healthy_and_1_when_not) {
    test::redis_server redis;
    test::running_server server(test::test_config(redis.url()));
    test::child_process healthy(
        {CUSTOMERS_SERVER_BINARY, "healthcheck", "--url", url(server.port(), "/healthz")});
    const auto healthy_code = healthy.wait(10s);
    BOOST_REQUIRE(healthy_code.has_value());
    BOOST_TEST(*healthy_code == 0);

    test::child_process unhealthy(
        {CUSTOMERS_SERVER_BINARY, "healthcheck", "--url", url(test::free_port(), "/healthz")},
        "/dev/null");
    const auto unhealthy_code = unhealthy.wait(10s);
    BOOST_REQUIRE(unhealthy_code.has_value());
    BOOST_TEST(*unhealthy_code == 1);
}

BOOST_AUTO_TEST_SUITE_END()
