// The per-token rate limit end to end: 429 with Retry-After in the error
// shape, RateLimit-Policy and RateLimit on every authenticated /v1
// response, tokens independent, one budget across threads, health exempt.
// The limiter's arithmetic is unit-tested with an injected clock; here the
// rate is 1 per second, so a stall of the machine can only add requests
// (assertions allow for the elapsed time rather than assume none).

#include <chrono>
#include <regex>
#include <thread>

#include <boost/test/unit_test.hpp>

#include "support/api_fixture.hpp"

using namespace customers;
using namespace std::chrono_literals;
using test::json_object;
namespace bhttp = boost::beast::http;

namespace {

constexpr std::uint32_t burst = 4;

struct limited : test::api_fixture {
    explicit limited(unsigned threads = 1)
        : test::api_fixture(threads, {}, [](app::config& c) {
              c.rate_limit = {1, burst};
          }) {}
};

struct limited_two_threads : limited {
    limited_two_threads() : limited(2) {}
};

struct rate_header {
    long limit = -1, remaining = -1, reset = -1;
};

rate_header parse_rate(const test::http_response& r) {
    static const std::regex format(R"(limit=(\d+), remaining=(\d+), reset=(\d+))");
    const std::string value(r["RateLimit"]);
    std::smatch m;
    rate_header h;
    BOOST_TEST_REQUIRE(std::regex_match(value, m, format), "RateLimit: " << value);
    h.limit = std::stol(m[1]);
    h.remaining = std::stol(m[2]);
    h.reset = std::stol(m[3]);
    return h;
}

double seconds_since(std::chrono::steady_clock::time_point t) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
}

}  // namespace

BOOST_FIXTURE_TEST_SUITE(rate_limit_api, limited)

BOOST_AUTO_TEST_CASE(burst_then_429_with_headers) {
    const std::string other = make_token("proj_other");
    // The first request of a token finds a full bucket.
    auto first = call("GET", "/v1/customers");
    BOOST_TEST(first.result_int() == 200u);
    BOOST_TEST(first["RateLimit-Policy"] == "1;w=1;burst=4");
    auto h = parse_rate(first);
    BOOST_TEST(h.limit == long(burst));
    BOOST_TEST(h.remaining == long(burst) - 1);
    BOOST_TEST(h.reset == 1);

    // Spend the rest until refused; at 1 per second that takes a few
    // requests more than the burst only if the machine stalls.
    test::http_response refused;
    int sent = 1;
    for (; sent < 50; ++sent) {
        auto r = call("GET", "/v1/customers/0000000000000000");  // 404s count too
        if (r.result_int() == 429) {
            refused = std::move(r);
            break;
        }
        BOOST_TEST(r.result_int() == 404u);
        BOOST_TEST(!r["RateLimit"].empty());  // on errors as well
    }
    BOOST_REQUIRE(refused.result_int() == 429u);
    BOOST_TEST(sent >= int(burst));
    BOOST_TEST(refused["RateLimit-Policy"] == "1;w=1;burst=4");
    h = parse_rate(refused);
    BOOST_TEST(h.remaining == 0);
    BOOST_TEST(h.reset >= 1);
    BOOST_TEST(h.reset <= long(burst));
    BOOST_TEST(refused[bhttp::field::retry_after] == "1");
    const auto body = json_object(refused);
    BOOST_TEST(body.at("type").as_string() == "invalid_request");
    BOOST_TEST(std::string(body.at("message").as_string()).starts_with("too many requests"));
    BOOST_TEST(body.at("documentation_url").as_string() ==
               "https://protocol.chat/docs/errors/invalid_request");
    // A refused create wrote nothing.
    const long long keys = key_count();
    auto create_refused = call("POST", "/v1/customers", "username=late&phone_number=123");
    if (create_refused.result_int() == 429u) BOOST_TEST(key_count() == keys);

    // Another token has its own budget.
    auto theirs = call_as(other, "GET", "/v1/customers");
    BOOST_TEST(theirs.result_int() == 200u);
    BOOST_TEST(parse_rate(theirs).remaining == long(burst) - 1);

    // After Retry-After, the token is served again.
    std::this_thread::sleep_for(1100ms);
    BOOST_TEST(call("GET", "/v1/customers").result_int() == 200u);
}

BOOST_AUTO_TEST_CASE(unauthenticated_and_exempt_requests_are_not_limited) {
    for (int i = 0; i < 3 * int(burst); ++i) {
        auto health = call("GET", "/healthz");
        BOOST_TEST(health.result_int() == 200u);
        BOOST_TEST(health["RateLimit"].empty());
        BOOST_TEST(health["RateLimit-Policy"].empty());
        auto ready = call("GET", "/readyz");
        BOOST_TEST(ready.result_int() == 200u);
        BOOST_TEST(ready["RateLimit"].empty());
        auto anonymous = call_as("", "GET", "/v1/customers");
        BOOST_TEST(anonymous.result_int() == 401u);  // no limit before authentication
        BOOST_TEST(anonymous["RateLimit"].empty());
    }
    // None of that spent the token's budget.
    auto r = call("GET", "/v1/customers");
    BOOST_TEST(r.result_int() == 200u);
    BOOST_TEST(parse_rate(r).remaining == long(burst) - 1);
}

BOOST_FIXTURE_TEST_CASE(one_budget_across_threads, limited_two_threads) {
    // One connection per request: the kernel spreads them over both
    // threads; a per-thread budget would allow up to twice the burst.
    const auto start = std::chrono::steady_clock::now();
    int allowed = 0;
    for (int i = 0; i < 4 * int(burst); ++i) {
        const auto r = call("GET", "/v1/customers");
        BOOST_TEST((r.result_int() == 200u || r.result_int() == 429u));
        allowed += r.result_int() == 200u;
    }
    const double elapsed = seconds_since(start);
    BOOST_TEST(allowed >= int(burst));
    BOOST_TEST(allowed <= int(burst) + int(elapsed) + 1,
               "allowed " << allowed << " in " << elapsed << " s");
}

BOOST_AUTO_TEST_SUITE_END()
