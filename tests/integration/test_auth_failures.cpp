// A connection that keeps failing authentication is closed after
// http.max_auth_failures 401s (10 by default): a keep-alive client cycling
// through made-up tokens cannot make the server ask Redis about each one.

#include <string>

#include <boost/test/unit_test.hpp>

#include "support/api_fixture.hpp"

using namespace customers;
using namespace std::chrono_literals;
namespace bhttp = boost::beast::http;

namespace {

// Every command Redis has executed (INFO commandstats), INFO itself aside.
long long commands_executed(test::redis_server& redis) {
    const std::string info = redis.command({"INFO", "commandstats"}).str;
    long long total = 0;
    for (std::size_t at = info.find("cmdstat_"); at != std::string::npos;
         at = info.find("cmdstat_", at + 1)) {
        const std::size_t colon = info.find(':', at);
        if (info.compare(at, colon - at, "cmdstat_info") == 0) continue;
        total += std::stoll(info.substr(info.find("calls=", colon) + 6));
    }
    return total;
}

std::string request_with_token(const std::string& token) {
    return "GET /v1/customers HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + token + "\r\n\r\n";
}

struct outcome {
    int answered = 0;  // responses read
    int unauthorized = 0;
    bool told_close = false;  // the last one said Connection: close
};

// A plausible token (long enough to be looked up) that nobody created.
std::string made_up_token(int i) {
    std::string digits = std::to_string(i);
    return "made-up-token-" + std::string(8 - digits.size(), '0') + digits;
}

// Sends up to `attempts` requests, one at a time on `c`, each with a token
// nobody created, until the server says it closes the connection.
outcome send_bogus_tokens(test::http_connection& c, int attempts) {
    outcome o;
    for (int i = 0; i < attempts && !o.told_close; ++i) {
        if (!c.try_send(request_with_token(made_up_token(i)))) break;
        const auto r = c.read_response(5s);
        if (!r) break;
        ++o.answered;
        if (r->result_int() == 401) ++o.unauthorized;
        o.told_close = (*r)[bhttp::field::connection] == "close";
    }
    return o;
}

}  // namespace

BOOST_FIXTURE_TEST_SUITE(auth_failures, test::api_fixture)

BOOST_AUTO_TEST_CASE(three_hundred_bogus_tokens_on_one_connection_cost_a_few_commands) {
    const long long before = commands_executed(redis);
    test::http_connection c(server.port());
    const outcome o = send_bogus_tokens(c, 300);
    const long long used = commands_executed(redis) - before;
    BOOST_TEST_MESSAGE(o.answered << " answered, Redis executed " << used << " commands");

    BOOST_TEST(o.answered == 10);
    BOOST_TEST(o.unauthorized == 10);
    BOOST_TEST(o.told_close);
    BOOST_TEST(c.closed_by_peer(5s));
    BOOST_TEST(used <= 30);
}

BOOST_AUTO_TEST_CASE(failures_do_not_close_a_connection_before_the_limit) {
    test::http_connection c(server.port());
    const outcome o = send_bogus_tokens(c, 9);
    BOOST_TEST(o.unauthorized == 9);
    BOOST_TEST(!o.told_close);
    // The same connection still serves its client once it authenticates.
    BOOST_REQUIRE(c.try_send(request_with_token(token)));
    const auto r = c.read_response(5s);
    BOOST_REQUIRE(r.has_value());
    BOOST_TEST(r->result_int() == 200u);
    BOOST_TEST((*r)[bhttp::field::connection] != "close");
}

BOOST_AUTO_TEST_SUITE_END()
