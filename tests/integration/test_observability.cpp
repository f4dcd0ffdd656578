// GET /metrics and the access log against a real server and redis-server:
// counts move with real requests, labels carry route templates (never ids),
// and access log lines are JSON with exactly the documented fields and
// nothing secret.

#include <boost/json/parse.hpp>
#include <boost/test/unit_test.hpp>
#include <mutex>
#include <optional>
#include <thread>

#include "support/api_fixture.hpp"

using namespace customers;
using test::json_object;
namespace bhttp = boost::beast::http;

namespace {

std::string scrape(std::uint16_t port) {
    const auto r = test::http_request(port, "GET", "/metrics");
    BOOST_REQUIRE_EQUAL(r.result_int(), 200u);
    BOOST_TEST(r[bhttp::field::content_type] == "text/plain; version=0.0.4; charset=utf-8");
    return r.body();
}

// The value of one series ("name{labels}" exactly as exposed); 0 if absent.
double value_of(const std::string& text, const std::string& series) {
    const std::string needle = "\n" + series + " ";
    const auto at = ("\n" + text).find(needle);
    if (at == std::string::npos) return 0;
    return std::stod(text.substr(at + needle.size() - 1));
}

// Polls `done` (each try is a real request or a look at captured lines)
// until it holds, for at most 10 s: the condition is asserted afterwards,
// not the time it took.
template <typename F>
bool eventually(F done) {
    for (int i = 0; i < 1000; ++i) {
        if (done()) return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return done();
}

const std::string by_id_200 =
    R"(http_requests_total{method="GET",route="/v1/customers/:id",status="200"})";

}  // namespace

BOOST_FIXTURE_TEST_SUITE(observability_metrics, test::api_fixture)

BOOST_AUTO_TEST_CASE(metrics_need_no_token_and_count_real_requests) {
    const std::string id(create("metrics_user").at("id").as_string());
    const std::string before = scrape(server.port());
    for (int i = 0; i < 3; ++i) BOOST_TEST(call("GET", "/v1/customers/" + id).result_int() == 200u);
    BOOST_TEST(call("GET", "/v1/customers/" + id + "x").result_int() == 404u);
    BOOST_TEST(call("DELETE", "/v1/conversations/" + id).result_int() == 405u);
    BOOST_TEST(call("GET", "/nowhere/" + id).result_int() == 404u);
    BOOST_TEST(call_as("", "GET", "/v1/customers").result_int() == 401u);
    const std::string after = scrape(server.port());

    auto delta = [&](const std::string& series) {
        return value_of(after, series) - value_of(before, series);
    };
    BOOST_TEST(delta(by_id_200) == 3);
    BOOST_TEST(
        delta(R"(http_requests_total{method="GET",route="/v1/customers/:id",status="404"})") == 1);
    BOOST_TEST(
        delta(
            R"(http_requests_total{method="DELETE",route="/v1/conversations/:id",status="405"})") ==
        1);
    BOOST_TEST(delta(R"(http_requests_total{method="GET",route="unmatched",status="404"})") == 1);
    BOOST_TEST(delta(R"(http_requests_total{method="GET",route="/v1/customers",status="401"})") ==
               1);
    // The scrape before this one is counted too.
    BOOST_TEST(delta(R"(http_requests_total{method="GET",route="/metrics",status="200"})") == 1);
    BOOST_TEST(
        delta(R"(http_request_duration_seconds_count{method="GET",route="/v1/customers/:id"})") ==
        4);
    BOOST_TEST(
        delta(
            R"(http_request_duration_seconds_bucket{method="GET",route="/v1/customers/:id",le="+Inf"})") ==
        4);
    // Three HGETALLs answered (the 404's malformed id never reaches Redis;
    // the token is cached).
    BOOST_TEST(delta(R"(redis_commands_total{result="ok"})") >= 3);
    BOOST_TEST(delta("redis_command_duration_seconds_count") >= 3);
    BOOST_TEST(value_of(after, "redis_connected") == 1);
    BOOST_TEST(value_of(after, "http_connections_active") >= 1);  // the scrape's own
    BOOST_TEST(value_of(after, "process_open_fds") > 0);
    BOOST_TEST(value_of(after, "process_resident_memory_bytes") > 0);

    // Ids are never label values: not the customer's, not the unknown path's.
    BOOST_TEST(after.find(id) == std::string::npos);
    BOOST_TEST(after.find("nowhere") == std::string::npos);
}

BOOST_AUTO_TEST_CASE(redis_outage_shows_in_the_metrics) {
    const std::string id(create("outage_user").at("id").as_string());
    const std::string before = scrape(server.port());
    redis.stop();
    BOOST_TEST(eventually([&] { return value_of(scrape(server.port()), "redis_connected") == 0; }));
    BOOST_TEST(call("GET", "/v1/customers/" + id).result_int() == 503u);
    const std::string during = scrape(server.port());
    BOOST_TEST(value_of(during, R"(redis_commands_total{result="unavailable"})") >
               value_of(before, R"(redis_commands_total{result="unavailable"})"));
    BOOST_TEST(
        value_of(during,
                 R"(http_requests_total{method="GET",route="/v1/customers/:id",status="503"})") ==
        1);
    redis.start();
    BOOST_TEST(eventually([&] { return value_of(scrape(server.port()), "redis_connected") == 1; }));
}

BOOST_AUTO_TEST_SUITE_END()

namespace {

struct captured_lines {
    std::mutex m;
    std::vector<std::string> lines;

    obs::access_log::line_sink sink() {
        return [this](std::string_view line) {
            std::lock_guard lock(m);
            lines.emplace_back(line);
        };
    }
    std::vector<std::string> snapshot() {
        std::lock_guard lock(m);
        return lines;
    }
};

// Declared first, so the server (and its log writer) ends before the lines go.
struct access_log_fixture {
    captured_lines captured;
    test::api_fixture api{2, captured.sink()};
};

}  // namespace

BOOST_FIXTURE_TEST_SUITE(observability_access_log, access_log_fixture)

BOOST_AUTO_TEST_CASE(one_json_line_per_request_without_secrets) {
    const std::string phone = "1-800-759-3000";
    auto created = api.call("POST", "/v1/customers",
                            "username=LogUser&phone_number=" + phone + "&display_name=SecretName");
    BOOST_TEST_REQUIRE(created.result_int() == 201u);
    const std::string id(json_object(created).at("id").as_string());
    const auto got = test::http_request(
        api.server.port(), "GET", "/v1/customers/" + id, {},
        {{"Authorization", "Bearer " + api.token}, {"X-Request-Id", "trace-abc-123"}});
    BOOST_TEST_REQUIRE(got.result_int() == 200u);
    BOOST_TEST(api.call_as("wrong-token-value-000000", "GET", "/v1/customers?phone_number=" + phone)
                   .result_int() == 401u);
    BOOST_TEST(test::http_request(api.server.port(), "GET", "/healthz").result_int() == 200u);

    // Wait for the writer thread; find our lines among the readiness probes.
    std::optional<boost::json::object> create_line, get_line, denied_line, health_line;
    BOOST_TEST_REQUIRE(eventually([&] {
        for (const std::string& line : captured.snapshot()) {
            const auto o = boost::json::parse(line).as_object();  // every line is JSON
            const auto route = o.at("route").as_string();
            if (o.at("method") == "POST") create_line = o;
            if (o.at("request_id") == "trace-abc-123") get_line = o;
            if (o.at("status") == 401) denied_line = o;
            if (route == "/healthz") health_line = o;
        }
        return create_line && get_line && denied_line && health_line;
    }));

    for (const std::string& line : captured.snapshot()) {
        BOOST_TEST(line.find(api.token) == std::string::npos);
        BOOST_TEST(line.find("wrong-token-value") == std::string::npos);
        BOOST_TEST(line.find(phone) == std::string::npos);
        BOOST_TEST(line.find("SecretName") == std::string::npos);
        BOOST_TEST(line.find(id) == std::string::npos);  // route templates, not paths
        BOOST_TEST(line.find('\n') == std::string::npos);
        const auto o = boost::json::parse(line).as_object();
        BOOST_TEST(o.size() == 8u, line);
        for (const char* field : {"time", "request_id", "method", "route", "status", "duration_s",
                                  "bytes", "project_id"})
            BOOST_TEST(o.contains(field), field);
        const auto time = o.at("time").as_string();
        BOOST_TEST(time.size() == 24u);  // 2026-11-24T23:54:35.123Z
        BOOST_TEST(time.back() == 'Z');
        BOOST_TEST(o.at("duration_s").as_double() >= 0);
    }

    BOOST_TEST(create_line->at("route").as_string() == "/v1/customers");
    BOOST_TEST(create_line->at("status").as_int64() == 201);
    BOOST_TEST(create_line->at("project_id").as_string() == api.project);
    BOOST_TEST(create_line->at("bytes").as_int64() ==
               static_cast<std::int64_t>(created.body().size()));
    BOOST_TEST(get_line->at("route").as_string() == "/v1/customers/:id");
    BOOST_TEST(get_line->at("method").as_string() == "GET");
    BOOST_TEST(get_line->at("project_id").as_string() == api.project);
    BOOST_TEST(get_line->at("bytes").as_int64() == static_cast<std::int64_t>(got.body().size()));
    BOOST_TEST(denied_line->at("project_id").is_null());
    BOOST_TEST(health_line->at("project_id").is_null());
    BOOST_TEST(health_line->at("request_id").as_string().size() > 0u);
}

BOOST_AUTO_TEST_CASE(unreadable_requests_are_logged_as_unmatched) {
    test::http_connection c(api.server.port());
    c.send("GET /v1/customers HTTP/1.1\r\nHost: x\r\nBad Header\r\n\r\n");
    const auto r = c.read_response();
    BOOST_TEST_REQUIRE(r.has_value());
    BOOST_TEST(r->result_int() == 400u);
    BOOST_TEST(eventually([&] {
        for (const std::string& line : captured.snapshot()) {
            const auto o = boost::json::parse(line).as_object();
            if (o.at("status") == 400 && o.at("route") == "unmatched") return true;
        }
        return false;
    }));
}

BOOST_AUTO_TEST_SUITE_END()
