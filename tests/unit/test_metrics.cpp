// The Prometheus text exposition, the per-thread cells and their merge, and
// the access log's line format.

#include <boost/json/parse.hpp>
#include <boost/test/unit_test.hpp>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "customers/obs/access_log.hpp"
#include "customers/obs/exposition.hpp"
#include "customers/obs/http_metrics.hpp"
#include "customers/obs/process_metrics.hpp"
#include "customers/obs/redis_metrics.hpp"
#include "customers/obs/registry.hpp"
#include "customers/util/time_format.hpp"

using namespace customers;
using namespace std::chrono_literals;
using boost::beast::http::verb;

namespace {

bool contains_line(const std::string& text, const std::string& line) {
    return ("\n" + text).find("\n" + line + "\n") != std::string::npos;
}

obs::route_labels test_routes() {
    return obs::route_labels({"/healthz", "/v1/customers/:id", "/v1/customers/:id", "/metrics"});
}

}  // namespace

BOOST_AUTO_TEST_SUITE(metrics)

BOOST_AUTO_TEST_CASE(family_and_samples) {
    obs::exposition out;
    out.family("jobs_total", "counter", "Jobs done.\nSecond \\ line.");
    out.sample("jobs_total", {{"kind", "a"}, {"queue", "q1"}}, std::uint64_t{3});
    out.sample("jobs_total", {}, 0.25);
    BOOST_TEST(out.text() ==
               "# HELP jobs_total Jobs done.\\nSecond \\\\ line.\n"
               "# TYPE jobs_total counter\n"
               "jobs_total{kind=\"a\",queue=\"q1\"} 3\n"
               "jobs_total 0.25\n");
}

BOOST_AUTO_TEST_CASE(label_values_are_escaped) {
    obs::exposition out;
    out.sample("x", {{"v", "a\"b\\c\nd"}}, std::uint64_t{1});
    BOOST_TEST(out.text() == "x{v=\"a\\\"b\\\\c\\nd\"} 1\n");
}

BOOST_AUTO_TEST_CASE(special_numbers) {
    std::string s;
    obs::append_number(s, std::numeric_limits<double>::infinity());
    s += ' ';
    obs::append_number(s, -std::numeric_limits<double>::infinity());
    s += ' ';
    obs::append_number(s, std::nan(""));
    s += ' ';
    obs::append_number(s, 0.0005);
    s += ' ';
    obs::append_number(s, 1795565456.6);
    s += ' ';
    obs::append_number(s, 4096000.0);
    s += ' ';
    obs::append_number(s, 0.00001);
    BOOST_TEST(s == "+Inf -Inf NaN 0.0005 1795565456.6 4096000 1e-05");
}

BOOST_AUTO_TEST_CASE(bucket_bounds_are_inclusive) {
    BOOST_TEST(obs::duration_bucket(0ns) == 0u);
    BOOST_TEST(obs::duration_bucket(500us) == 0u);  // le="0.0005" counts 0.5 ms itself
    BOOST_TEST(obs::duration_bucket(501us) == 1u);
    BOOST_TEST(obs::duration_bucket(1ms) == 1u);
    BOOST_TEST(obs::duration_bucket(10s) == 13u);
    BOOST_TEST(obs::duration_bucket(11s) == 14u);  // +Inf
    BOOST_TEST(obs::duration_bucket(-5ns) == 0u);
}

BOOST_AUTO_TEST_CASE(histogram_is_cumulative_with_inf_sum_and_count) {
    obs::duration_histogram a, b;  // two threads' cells
    a.observe(200us);
    a.observe(3ms);
    b.observe(3ms);
    b.observe(20s);
    obs::histogram_totals h;
    h.add(a);
    h.add(b);
    BOOST_TEST(h.count() == 4u);

    obs::exposition out;
    out.histogram("lat_seconds", {{"route", "/r"}}, h);
    const std::string& t = out.text();
    BOOST_TEST(contains_line(t, "lat_seconds_bucket{route=\"/r\",le=\"0.0005\"} 1"));
    BOOST_TEST(contains_line(t, "lat_seconds_bucket{route=\"/r\",le=\"0.001\"} 1"));
    BOOST_TEST(contains_line(t, "lat_seconds_bucket{route=\"/r\",le=\"0.0025\"} 1"));
    BOOST_TEST(contains_line(t, "lat_seconds_bucket{route=\"/r\",le=\"0.005\"} 3"));
    BOOST_TEST(contains_line(t, "lat_seconds_bucket{route=\"/r\",le=\"10\"} 3"));
    BOOST_TEST(contains_line(t, "lat_seconds_bucket{route=\"/r\",le=\"+Inf\"} 4"));
    BOOST_TEST(contains_line(t, "lat_seconds_sum{route=\"/r\"} 20.0062"));
    BOOST_TEST(contains_line(t, "lat_seconds_count{route=\"/r\"} 4"));
    // Buckets in ascending order, each line once: 15 buckets, sum, count.
    BOOST_TEST(std::count(t.begin(), t.end(), '\n') == 17);
    BOOST_TEST(t.find("le=\"0.0005\"") < t.find("le=\"0.001\""));
    BOOST_TEST(t.find("le=\"10\"") < t.find("le=\"+Inf\""));
}

BOOST_AUTO_TEST_CASE(route_labels_are_the_distinct_patterns_then_unmatched) {
    const obs::route_labels r = test_routes();
    BOOST_TEST(r.size() == 4u);
    BOOST_TEST(r.slot_of_row(1) == r.slot_of_row(2));  // GET and PATCH of one pattern
    BOOST_TEST(r.label(r.slot_of_row(2)) == "/v1/customers/:id");
    BOOST_TEST(r.label(r.slot_of_row(3)) == "/metrics");
    BOOST_TEST(r.label(r.unmatched()) == "unmatched");
}

BOOST_AUTO_TEST_CASE(methods_outside_the_known_set_share_one_label) {
    BOOST_TEST(obs::method_label(obs::method_slot(verb::get)) == "GET");
    BOOST_TEST(obs::method_label(obs::method_slot(verb::delete_)) == "DELETE");
    BOOST_TEST(obs::method_label(obs::method_slot(verb::propfind)) == "other");
    BOOST_TEST(obs::method_label(obs::method_slot(verb::unknown)) == "other");
}

BOOST_AUTO_TEST_CASE(registry_sums_threads) {
    obs::registry reg(test_routes());
    const auto& routes = reg.routes();
    obs::http_metrics h1(routes.size()), h2(routes.size());
    obs::redis_metrics r1, r2;
    reg.add_thread(h1, r1);
    reg.add_thread(h2, r2);

    const std::size_t by_id = routes.slot_of_row(1), get = obs::method_slot(verb::get);
    h1.record(by_id, get, 200, 1ms);
    h2.record(by_id, get, 200, 2ms);
    h2.record(by_id, get, 404, 2ms);
    h1.record(routes.unmatched(), obs::method_slot(verb::propfind), 404, 1ms);
    h1.connections_active.set(3);
    h2.connections_active.set(2);
    r1.count(obs::redis_result::ok, 5);
    r2.count(obs::redis_result::ok);
    r2.count(obs::redis_result::timeout);
    r1.connected.set(1);
    r1.round_trips.observe(100us);

    const std::string t = reg.render();
    BOOST_TEST(contains_line(
        t, R"(http_requests_total{method="GET",route="/v1/customers/:id",status="200"} 2)"));
    BOOST_TEST(contains_line(
        t, R"(http_requests_total{method="GET",route="/v1/customers/:id",status="404"} 1)"));
    BOOST_TEST(contains_line(
        t, R"(http_requests_total{method="other",route="unmatched",status="404"} 1)"));
    BOOST_TEST(contains_line(
        t, R"(http_request_duration_seconds_count{method="GET",route="/v1/customers/:id"} 3)"));
    BOOST_TEST(contains_line(
        t, R"(http_request_duration_seconds_sum{method="GET",route="/v1/customers/:id"} 0.005)"));
    // Series nobody has used are left out.
    BOOST_TEST(t.find("route=\"/healthz\"") == std::string::npos);
    BOOST_TEST(contains_line(t, "http_connections_active 5"));
    BOOST_TEST(contains_line(t, R"(redis_commands_total{result="ok"} 6)"));
    BOOST_TEST(contains_line(t, R"(redis_commands_total{result="timeout"} 1)"));
    BOOST_TEST(contains_line(t, R"(redis_commands_total{result="unavailable"} 0)"));
    BOOST_TEST(contains_line(t, R"(redis_command_duration_seconds_bucket{le="0.0005"} 1)"));
    BOOST_TEST(contains_line(t, "redis_command_duration_seconds_count 1"));
    BOOST_TEST(contains_line(t, "redis_connected 1"));
    BOOST_TEST(contains_line(t, "redis_connections 2"));
    BOOST_TEST(t.find("\nprocess_cpu_seconds_total ") != std::string::npos);
    BOOST_TEST(t.find("\nprocess_resident_memory_bytes ") != std::string::npos);
    BOOST_TEST(t.find("\nprocess_open_fds ") != std::string::npos);
    BOOST_TEST(t.find("\nprocess_max_fds ") != std::string::npos);
    BOOST_TEST(t.find("\nprocess_start_time_seconds ") != std::string::npos);
    // Every family is declared once, before its samples.
    BOOST_TEST(t.find("# TYPE http_requests_total counter\n") < t.find("http_requests_total{"));
    BOOST_TEST(t.find("# TYPE http_request_duration_seconds histogram\n") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(redis_is_connected_only_when_every_thread_is) {
    obs::registry reg(test_routes());
    BOOST_TEST(!reg.every_redis_connected());  // no thread yet
    obs::http_metrics h1(reg.routes().size()), h2(reg.routes().size()), h3(reg.routes().size());
    obs::redis_metrics r1, r2, r3;
    reg.add_thread(h1, r1);
    reg.add_thread(h2, r2);
    reg.add_thread(h3, r3);
    BOOST_TEST(!reg.every_redis_connected());
    r1.connected.set(1);
    r3.connected.set(1);
    BOOST_TEST(!reg.every_redis_connected());  // two of three: not ready
    r2.connected.set(1);
    BOOST_TEST(reg.every_redis_connected());
    r1.connected.set(0);
    BOOST_TEST(!reg.every_redis_connected());
}

BOOST_AUTO_TEST_CASE(process_start_time_is_plausible) {
    obs::exposition out;
    obs::append_process_metrics(out);
    const std::string& t = out.text();
    const auto at = t.find("\nprocess_start_time_seconds ");
    BOOST_TEST_REQUIRE(at != std::string::npos);
    const double start = std::stod(t.substr(at + 28));
    const double now =
        std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
    BOOST_TEST(start <= now + 1);
    BOOST_TEST(start > now - 24 * 3600);  // this test process did not start yesterday
}

BOOST_AUTO_TEST_CASE(rfc3339_with_milliseconds_in_utc) {
    std::string s;
    util::append_rfc3339_ms(s, std::chrono::system_clock::time_point(1'700'000'000'123ms));
    BOOST_TEST(s == "2023-11-14T22:13:20.123Z");
    s.clear();
    util::append_rfc3339_ms(s, std::chrono::system_clock::time_point(5ms));
    BOOST_TEST(s == "1970-01-01T00:00:00.005Z");
}

BOOST_AUTO_TEST_CASE(access_fields) {
    std::string s = "{";
    obs::append_access_fields(
        s, {"req-1", "PATCH", "/v1/customers/:id", 200, 1234567ns, 42, "acme\"x"});
    BOOST_TEST(s == R"({"request_id":"req-1","method":"PATCH","route":"/v1/customers/:id",)"
                    R"("status":200,"duration_s":0.001234,"bytes":42,"project_id":"acme\"x"})");
    s = "{";
    obs::append_access_fields(s, {"r", "GET", "/healthz", 200, 2500ms, 15, {}});
    const auto o = boost::json::parse(s).as_object();
    BOOST_TEST(o.at("project_id").is_null());
    BOOST_TEST(o.at("duration_s").as_double() == 2.5);
}

BOOST_AUTO_TEST_CASE(access_log_writes_every_line_to_its_sink) {
    std::mutex m;
    std::vector<std::string> lines;
    {
        obs::access_log log([&](std::string_view line) {
            std::lock_guard lock(m);
            lines.emplace_back(line);
        });
        auto& writer = log.make_writer();
        for (int i = 0; i < 100; ++i)
            writer.write({"id" + std::to_string(i), "GET", "/healthz", 200, 1ms, 15, "p"});
        BOOST_TEST(log.dropped() == 0u);
    }  // the destructor writes what is queued
    BOOST_TEST_REQUIRE(lines.size() == 100u);
    for (int i = 0; i < 100; ++i) {
        const auto o = boost::json::parse(lines[i]).as_object();
        BOOST_TEST(o.at("request_id").as_string() == "id" + std::to_string(i));  // in order
        BOOST_TEST(o.at("time").as_string().size() == 24u);
        BOOST_TEST(o.size() == 8u);
    }
}

BOOST_AUTO_TEST_CASE(access_log_drops_and_counts_what_does_not_fit) {
    std::vector<std::string> lines;  // the sink runs on the output thread, read after it ended
    std::uint64_t dropped = 0;
    {
        // A buffer for about two lines, and an interval long enough that the
        // output thread does not empty it in between (a drop counted either
        // way: what matters is written + dropped == sent).
        obs::access_log log([&](std::string_view line) { lines.emplace_back(line); },
                            {std::chrono::hours(1), 400});
        auto& writer = log.make_writer();
        for (int i = 0; i < 10; ++i) writer.write({"id", "GET", "/healthz", 200, 1ms, 15, {}});
        dropped = log.dropped();
    }
    BOOST_TEST(lines.size() == 2u);
    BOOST_TEST(dropped == 8u);
}

BOOST_AUTO_TEST_CASE(access_log_collects_every_writer) {
    std::vector<std::string> lines;
    {
        obs::access_log log([&](std::string_view line) { lines.emplace_back(line); });
        auto& a = log.make_writer();
        auto& b = log.make_writer();
        std::thread t([&] {
            for (int i = 0; i < 1000; ++i) b.write({"b", "GET", "/healthz", 200, 1ms, 15, {}});
        });
        for (int i = 0; i < 1000; ++i) a.write({"a", "GET", "/healthz", 200, 1ms, 15, {}});
        t.join();
    }
    BOOST_TEST(lines.size() == 2000u);
    for (const std::string& line : lines) BOOST_TEST(boost::json::parse(line).is_object());
}

BOOST_AUTO_TEST_SUITE_END()
