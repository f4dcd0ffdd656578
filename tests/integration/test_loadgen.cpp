// The load generator (bench/loadgen): its pure parts (histogram, durations,
// mix files, request rendering, response parsing, the command line) and
// whole runs against an in-test server with a known delay, which pin down
// the numbers a load generator exists for: closed-loop throughput, latency
// measured from the intended send time in open loop (no coordinated
// omission), and pipelining.

#include <atomic>
#include <chrono>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/test/unit_test.hpp>

#include "loadgen/histogram.hpp"
#include "loadgen/options.hpp"
#include "loadgen/response_parser.hpp"
#include "loadgen/run.hpp"
#include "loadgen/workload.hpp"

using namespace std::chrono_literals;

namespace {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;
constexpr auto use_tuple = asio::as_tuple(asio::use_awaitable);

// An HTTP/1.1 server on its own thread that answers each request after a
// fixed delay, one request at a time per connection (pipelined requests wait
// their turn). Targets steer it: /s/NNN answers status NNN, /d/NNN delays
// NNN ms instead, /close closes the connection after answering.
class delay_server {
  public:
    explicit delay_server(std::chrono::milliseconds delay)
        : delay_(delay), acceptor_(ioc_, {asio::ip::make_address("127.0.0.1"), 0}) {
        asio::co_spawn(ioc_, accept(), asio::detached);
        thread_ = std::thread([this] { ioc_.run(); });
    }
    ~delay_server() {
        ioc_.stop();
        thread_.join();
    }

    std::uint16_t port() const { return acceptor_.local_endpoint().port(); }
    int accepted() const { return accepted_; }
    std::vector<std::string> targets() const {
        std::lock_guard lock(mutex_);
        return targets_;
    }

  private:
    asio::awaitable<void> accept() {
        for (;;) {
            auto [ec, socket] = co_await acceptor_.async_accept(use_tuple);
            if (ec) co_return;
            ++accepted_;
            asio::co_spawn(ioc_, session(std::move(socket)), asio::detached);
        }
    }

    asio::awaitable<void> session(tcp::socket socket) {
        std::string buf;
        char chunk[4096];
        asio::steady_timer timer(ioc_);
        for (;;) {
            std::size_t head_end;
            while ((head_end = buf.find("\r\n\r\n")) == std::string::npos) {
                auto [ec, n] = co_await socket.async_read_some(asio::buffer(chunk), use_tuple);
                if (ec) co_return;
                buf.append(chunk, n);
            }
            const std::string head = buf.substr(0, head_end);
            std::size_t length = 0;
            if (const auto cl = head.find("Content-Length: "); cl != std::string::npos)
                length = std::stoul(head.substr(cl + 16));
            while (buf.size() < head_end + 4 + length) {
                auto [ec, n] = co_await socket.async_read_some(asio::buffer(chunk), use_tuple);
                if (ec) co_return;
                buf.append(chunk, n);
            }
            buf.erase(0, head_end + 4 + length);

            const auto sp = head.find(' ');
            const std::string target = head.substr(sp + 1, head.find(' ', sp + 1) - sp - 1);
            {
                std::lock_guard lock(mutex_);
                targets_.push_back(target);
            }
            int status = 200;
            auto delay = delay_;
            if (target.starts_with("/s/")) status = std::stoi(target.substr(3));
            if (target.starts_with("/d/"))
                delay = std::chrono::milliseconds(std::stoi(target.substr(3)));
            const bool close = target == "/close";

            if (delay.count() > 0) {
                timer.expires_after(delay);
                co_await timer.async_wait(use_tuple);
            }
            const std::string response = "HTTP/1.1 " + std::to_string(status) + " X\r\n" +
                                         (close ? "Connection: close\r\n" : "") +
                                         "Content-Length: 2\r\n\r\nok";
            auto [ec, n] = co_await asio::async_write(socket, asio::buffer(response), use_tuple);
            if (ec || close) co_return;
        }
    }

    std::chrono::milliseconds delay_;
    asio::io_context ioc_;
    tcp::acceptor acceptor_;
    std::thread thread_;
    std::atomic<int> accepted_{0};
    mutable std::mutex mutex_;
    std::vector<std::string> targets_;
};

loadgen::options options_for(std::uint16_t port, int connections,
                             std::chrono::milliseconds run_time) {
    loadgen::options o;
    o.host = "127.0.0.1";
    o.port = std::to_string(port);
    o.connections = connections;
    o.run_time = run_time;
    o.mix = {loadgen::request_kind{1, "GET", "/", ""}};
    return o;
}

double ms(std::uint64_t us) {
    return static_cast<double>(us) / 1000.0;
}

std::vector<loadgen::request_kind> mix_of(std::string_view text) {
    std::string error;
    auto mix = loadgen::parse_mix(text, error);
    BOOST_REQUIRE_MESSAGE(mix, error);
    return *mix;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(loadgen)

// ---- histogram -------------------------------------------------------------

BOOST_AUTO_TEST_CASE(histogram_percentiles_of_known_data) {
    ::loadgen::histogram h;
    for (std::uint64_t v = 1; v <= 10000; ++v) h.record(v);
    BOOST_TEST(h.count() == 10000u);
    BOOST_TEST(h.min() == 1u);
    BOOST_TEST(h.max() == 10000u);
    BOOST_TEST(h.mean() == 5000.5, boost::test_tools::tolerance(1e-9));
    const auto near = [](std::uint64_t got, double want) {
        return got >= want && got <= want * 1.01;  // the bucket's highest value: not below
    };
    BOOST_TEST(near(h.percentile(50), 5000));
    BOOST_TEST(near(h.percentile(90), 9000));
    BOOST_TEST(near(h.percentile(99), 9900));
    BOOST_TEST(near(h.percentile(99.9), 9990));
    BOOST_TEST(h.percentile(100) == 10000u);
    BOOST_TEST(h.percentile(99.99) == 10000u);  // capped at the maximum

    // Small values are exact; the rest is within 1/128 of the value.
    ::loadgen::histogram small;
    for (int i = 0; i < 10; ++i) small.record(7);
    small.record(200);
    BOOST_TEST(small.percentile(50) == 7u);
    BOOST_TEST(small.percentile(100) == 200u);
    for (std::uint64_t v : {255ull, 256ull, 1000ull, 123456ull, 99'999'999ull}) {
        const auto hi = ::loadgen::histogram::highest_of(::loadgen::histogram::index_of(v));
        BOOST_TEST(hi >= v);
        BOOST_TEST(static_cast<double>(hi - v) <= static_cast<double>(v) / 128.0);
    }
    BOOST_TEST(::loadgen::histogram::index_of(1'000'000'000) ==
               ::loadgen::histogram::bucket_count() - 1);
}

BOOST_AUTO_TEST_CASE(histogram_merge_equals_recording_everything_in_one) {
    ::loadgen::histogram all, a, b;
    for (std::uint64_t v = 1; v <= 50000; v += 7) {
        all.record(v * 3);
        (v % 2 ? a : b).record(v * 3);
    }
    ::loadgen::histogram empty;
    a.merge(empty);
    empty.merge(b);
    a.merge(empty);
    BOOST_TEST(a.count() == all.count());
    BOOST_TEST(a.min() == all.min());
    BOOST_TEST(a.max() == all.max());
    BOOST_TEST(a.mean() == all.mean(), boost::test_tools::tolerance(1e-12));
    for (double p : {50.0, 90.0, 99.0, 99.9, 99.99})
        BOOST_TEST(a.percentile(p) == all.percentile(p));
    BOOST_TEST((a.buckets() == all.buckets()));
}

// ---- durations, mix files, requests ----------------------------------------

BOOST_AUTO_TEST_CASE(durations_parse) {
    using ::loadgen::parse_duration;
    BOOST_TEST((parse_duration("500ms") == 500ms));
    BOOST_TEST((parse_duration("10s") == 10s));
    BOOST_TEST((parse_duration("2m") == 2min));
    BOOST_TEST((parse_duration("1.5s") == 1500ms));
    BOOST_TEST((parse_duration("250us") == 250us));
    BOOST_TEST((parse_duration("3") == 3s));
    BOOST_TEST((parse_duration("0s") == 0s));
    for (const char* bad : {"", "ms", "10x", "-1s", "1e3s", "1.2.3s", "5 s"})
        BOOST_TEST(!parse_duration(bad), bad);
}

BOOST_AUTO_TEST_CASE(mix_file_parses_and_rejects_bad_lines) {
    const auto mix = mix_of(
        "# a comment\n"
        "\n"
        "80 GET /v1/customers/{id}\n"
        "  5 POST /v1/customers username=u{seq}&phone_number=1-800-759-3000\r\n"
        "5 PATCH /v1/customers/{id} {\"display_name\": \"n {seq}\"}\n"
        "1 DELETE /v1/customers/{next_id}");
    BOOST_REQUIRE(mix.size() == 4u);
    BOOST_TEST(mix[0].weight == 80u);
    BOOST_TEST(mix[0].method == "GET");
    BOOST_TEST(mix[0].path == "/v1/customers/{id}");
    BOOST_TEST(mix[0].body.empty());
    BOOST_TEST(mix[1].body == "username=u{seq}&phone_number=1-800-759-3000");
    BOOST_TEST(mix[2].body == R"({"display_name": "n {seq}"})");  // the rest of the line
    BOOST_TEST(mix[3].method == "DELETE");

    std::string error;
    BOOST_TEST(!::loadgen::parse_mix("1 GET /\nx GET /", error));
    BOOST_TEST(error.starts_with("line 2:"));
    BOOST_TEST(!::loadgen::parse_mix("1 get /", error));
    BOOST_TEST(!::loadgen::parse_mix("1 GET nopath", error));
    BOOST_TEST(!::loadgen::parse_mix("# only comments\n", error));
    BOOST_TEST(!::loadgen::parse_mix("0 GET /", error));
}

BOOST_AUTO_TEST_CASE(requests_render_with_placeholders) {
    ::loadgen::request_factory f(
        mix_of("1 POST /v1/customers/{next_id}/x username=u{seq}&again={seq}&of={next_id}"),
        {"a", "b"}, "example:8080", {"Authorization: Bearer t"});
    ::loadgen::fast_rng rng(1);
    std::string out;
    bool head = true;
    BOOST_REQUIRE(f.append(out, rng, head));
    BOOST_TEST(!head);
    BOOST_TEST(out ==
               "POST /v1/customers/a/x HTTP/1.1\r\nHost: example:8080\r\n"
               "Authorization: Bearer t\r\n"
               "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 24\r\n\r\n"
               "username=u1&again=1&of=a");
    out.clear();
    BOOST_REQUIRE(f.append(out, rng, head));
    BOOST_TEST(out.ends_with("\r\n\r\nusername=u2&again=2&of=b"));
    // {next_id} ran out: nothing more, and the factory says so.
    out.clear();
    BOOST_TEST(!f.append(out, rng, head));
    BOOST_TEST(out.empty());
    BOOST_TEST(f.ids_exhausted());

    // {id} is any line, any number of times; JSON bodies say so; a request
    // without placeholders is rendered once and copied.
    ::loadgen::request_factory g(mix_of("1 PATCH /c/{id} {\"n\":1}\n1 HEAD /h"), {"x", "y", "z"},
                                 "h", {});
    std::set<std::string> seen;
    int heads = 0;
    for (int i = 0; i < 200; ++i) {
        out.clear();
        BOOST_REQUIRE(g.append(out, rng, head));
        if (head) {
            ++heads;
            BOOST_TEST(out == "HEAD /h HTTP/1.1\r\nHost: h\r\n\r\n");
            continue;
        }
        BOOST_TEST(
            out.find("Content-Type: application/json\r\nContent-Length: 7\r\n\r\n{\"n\":1}") !=
            std::string::npos);
        seen.insert(out.substr(9, 1));
    }
    BOOST_TEST(heads > 50);
    BOOST_TEST(heads < 150);
    BOOST_TEST((seen == std::set<std::string>{"x", "y", "z"}));
    BOOST_TEST(!g.ids_exhausted());
}

BOOST_AUTO_TEST_CASE(response_parser_handles_split_chunked_head_and_close) {
    using ::loadgen::response_parser;
    const auto parse_all = [](response_parser& p, std::string_view bytes, bool byte_by_byte) {
        // Feeds the bytes as the read loop would; returns what was consumed.
        std::string pending;
        std::size_t total = 0;
        for (std::size_t i = 0; i < bytes.size();) {
            const std::size_t n = byte_by_byte ? 1 : bytes.size();
            pending.append(bytes.substr(i, n));
            i += n;
            std::size_t used = 0;
            const auto st = p.parse(pending.data(), pending.size(), used);
            pending.erase(0, used);
            total += used;
            if (st != response_parser::state::need_more) return std::make_pair(st, total);
        }
        return std::make_pair(response_parser::state::need_more, total);
    };
    const std::string plain = "HTTP/1.1 201 Created\r\ncontent-length: 5\r\n\r\nhello";
    for (bool split : {false, true}) {
        response_parser p;
        p.reset(false);
        const auto [st, used] = parse_all(p, plain + "HTTP/1.1 ...", split);
        BOOST_TEST((st == response_parser::state::done));
        BOOST_TEST(used == plain.size());
        BOOST_TEST(p.status() == 201);
        BOOST_TEST(p.keep_alive());
    }
    const std::string chunked =
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
        "5\r\nhello\r\n1a; ext\r\nabcdefghijklmnopqrstuvwxyz\r\n0\r\nX-Trailer: 1\r\n\r\n";
    for (bool split : {false, true}) {
        response_parser p;
        p.reset(false);
        const auto [st, used] = parse_all(p, chunked, split);
        BOOST_TEST((st == response_parser::state::done));
        BOOST_TEST(used == chunked.size());
        BOOST_TEST(!p.keep_alive());
    }
    response_parser p;
    p.reset(true);  // HEAD: no body despite the length
    BOOST_TEST((parse_all(p, "HTTP/1.1 200 OK\r\nContent-Length: 99\r\n\r\n", false).first ==
                response_parser::state::done));
    p.reset(false);  // an interim 100 Continue, then a 204
    BOOST_TEST(
        (parse_all(p, "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 204 No Content\r\n\r\n", true).first ==
         response_parser::state::done));
    BOOST_TEST(p.status() == 204);
    p.reset(false);  // HTTP/1.0 without a length: the body runs to the close
    BOOST_TEST((parse_all(p, "HTTP/1.0 200 OK\r\n\r\nabc", false).first ==
                response_parser::state::need_more));
    BOOST_TEST(p.finish_on_eof());
    p.reset(false);
    BOOST_TEST(
        (parse_all(p, "HTTX/1.1 200 OK\r\n\r\n", false).first == response_parser::state::error));
}

BOOST_AUTO_TEST_CASE(command_line) {
    const auto parse = [](std::vector<const char*> args) {
        args.insert(args.begin(), "loadgen");
        return ::loadgen::parse_args(static_cast<int>(args.size()), args.data());
    };
    const auto ok = parse({"--url",
                           "http://localhost:8080",
                           "--connections",
                           "8",
                           "--threads=2",
                           "--duration",
                           "2s",
                           "--warmup",
                           "500ms",
                           "--rate",
                           "1000",
                           "--pipeline",
                           "4",
                           "--method",
                           "POST",
                           "--path",
                           "/v1/customers",
                           "--body",
                           "username=u{seq}",
                           "--header",
                           "Authorization: Bearer x",
                           "--timeout",
                           "1s",
                           "--json",
                           "out.json"});
    BOOST_REQUIRE_MESSAGE(ok.opts, ok.error);
    const auto& o = *ok.opts;
    BOOST_TEST(o.host == "localhost");
    BOOST_TEST(o.port == "8080");
    BOOST_TEST(o.host_header() == "localhost:8080");
    BOOST_TEST(o.connections == 8);
    BOOST_TEST(o.threads == 2);
    BOOST_TEST((o.run_time == 2s && o.warmup == 500ms && o.timeout == 1s));
    BOOST_TEST(*o.rate == 1000.0);
    BOOST_TEST(o.pipeline == 4);
    BOOST_REQUIRE(o.mix.size() == 1u);
    BOOST_TEST(o.mix[0].method == "POST");
    BOOST_TEST(o.mix[0].body == "username=u{seq}");
    BOOST_TEST(o.headers.size() == 1u);
    BOOST_TEST(o.json_path == "out.json");

    const auto defaults = parse({"--url", "http://[::1]:81/"});
    BOOST_REQUIRE(defaults.opts);
    BOOST_TEST(defaults.opts->host == "::1");
    BOOST_TEST(defaults.opts->host_header() == "[::1]:81");
    BOOST_TEST(defaults.opts->connections == 64);
    BOOST_TEST(!defaults.opts->rate);
    BOOST_TEST(defaults.opts->mix[0].path == "/healthz");

    BOOST_TEST(parse({"--help"}).help);
    for (const auto& bad : std::vector<std::vector<const char*>>{
             {},
             {"--url", "https://x:1"},
             {"--url", "http://x:1/v1"},
             {"--url", "http://x:1", "--connections", "0"},
             {"--url", "http://x:1", "--duration", "soon"},
             {"--url", "http://x:1", "--rate", "-5"},
             {"--url", "http://x:1", "--bogus", "1"},
             {"--url", "http://x:1", "--path", "/{id}"},  // no --ids
             {"--url", "http://x:1", "--mix", "/nonexistent/mix"},
             {"--url", "http://x:1", "--header", "no colon"},
             {"--url"}})
        BOOST_TEST(!parse(bad).opts);
}

// ---- whole runs against a server with a known delay ------------------------
// Bounds are loose: the machine is shared and this may run under ASan.

BOOST_AUTO_TEST_CASE(closed_loop_throughput_is_connections_over_delay) {
    delay_server server(20ms);
    auto o = options_for(server.port(), 4, 1000ms);
    o.warmup = 200ms;
    const auto r = ::loadgen::run(o);
    BOOST_TEST_MESSAGE(::loadgen::summary(r));
    BOOST_TEST(r.connected);
    BOOST_TEST(!r.open_loop);
    BOOST_TEST(r.duration_s == 1.0, boost::test_tools::tolerance(0.01));
    BOOST_TEST(r.rps() > 100.0);  // 4 / 0.020 s = 200; one connection would give 50
    BOOST_TEST(r.rps() <= 205.0);
    BOOST_TEST(ms(r.totals.latency_us.percentile(50)) >= 19.5);
    BOOST_TEST(ms(r.totals.latency_us.percentile(50)) < 60.0);
    BOOST_TEST(r.totals.status[2] == r.requests());
    BOOST_TEST(r.errors_total() == 0u);
    BOOST_TEST(server.accepted() == 4);
}

BOOST_AUTO_TEST_CASE(open_loop_below_capacity_sees_the_service_time) {
    delay_server server(20ms);
    auto o = options_for(server.port(), 4, 1000ms);
    o.warmup = 200ms;
    o.rate = 100.0;  // capacity is 200/s
    const auto r = ::loadgen::run(o);
    BOOST_TEST_MESSAGE(::loadgen::summary(r));
    BOOST_TEST(r.open_loop);
    BOOST_TEST(r.rps() > 85.0);
    BOOST_TEST(r.rps() < 110.0);
    BOOST_TEST(ms(r.totals.latency_us.percentile(50)) >= 19.5);
    BOOST_TEST(ms(r.totals.latency_us.percentile(50)) < 60.0);
    BOOST_TEST(ms(r.totals.latency_us.percentile(90)) < 100.0);  // queueing would be 200+
    BOOST_TEST(r.errors_total() == 0u);
}

// The coordinated-omission correction: at twice the capacity a queue builds
// up, the request due at time t is answered at about 2t, and the measured
// latency grows with the run. A closed-loop tool would still say 20 ms.
BOOST_AUTO_TEST_CASE(open_loop_above_capacity_counts_the_queueing) {
    delay_server server(20ms);
    auto o = options_for(server.port(), 2, 750ms);
    o.rate = 200.0;  // capacity is 100/s
    const auto shorter = ::loadgen::run(o);
    o.run_time = 1500ms;
    const auto longer = ::loadgen::run(o);
    BOOST_TEST_MESSAGE(::loadgen::summary(shorter) << ::loadgen::summary(longer));
    const auto p99_short = ms(shorter.totals.latency_us.percentile(99));
    const auto p99_long = ms(longer.totals.latency_us.percentile(99));
    BOOST_TEST(p99_short > 200.0);  // far above the 20 ms service time
    BOOST_TEST(p99_long > 450.0);   // about half the run
    BOOST_TEST(p99_long > 1.5 * p99_short);
    BOOST_TEST(ms(longer.totals.latency_us.percentile(50)) > 150.0);
    BOOST_TEST(longer.rps() > 50.0);  // what the server manages, not the target
    BOOST_TEST(longer.rps() < 105.0);
    BOOST_TEST(longer.totals.incomplete > 50u);  // the backlog at the end
    BOOST_TEST(longer.errors_total() == 0u);
}

BOOST_AUTO_TEST_CASE(pipelined_requests_wait_for_each_other) {
    delay_server server(20ms);
    auto o = options_for(server.port(), 1, 1000ms);
    o.warmup = 200ms;
    o.pipeline = 4;
    const auto r = ::loadgen::run(o);
    BOOST_TEST_MESSAGE(::loadgen::summary(r));
    BOOST_TEST(ms(r.totals.latency_us.percentile(50)) >= 75.0);  // 4 x 20 ms
    BOOST_TEST(ms(r.totals.latency_us.percentile(50)) < 110.0);
    BOOST_TEST(r.rps() > 38.0);  // still 1 / 20 ms
    BOOST_TEST(r.rps() <= 51.0);
    BOOST_TEST(server.accepted() == 1);
}

BOOST_AUTO_TEST_CASE(status_classes_are_counted_apart) {
    delay_server server(0ms);
    auto o = options_for(server.port(), 4, 300ms);
    o.mix = mix_of("1 GET /s/200\n1 GET /s/302\n1 GET /s/404\n1 GET /s/503");
    const auto r = ::loadgen::run(o);
    BOOST_TEST_MESSAGE(::loadgen::summary(r));
    for (int c = 2; c <= 5; ++c) BOOST_TEST(r.totals.status[c] > 10u);
    BOOST_TEST(r.requests() ==
               r.totals.status[2] + r.totals.status[3] + r.totals.status[4] + r.totals.status[5]);
    BOOST_TEST(r.errors_total() == r.totals.status[4] + r.totals.status[5]);
    const auto json = ::loadgen::to_json(r);
    BOOST_TEST(json.find("\"4xx\":" + std::to_string(r.totals.status[4])) != std::string::npos);
    BOOST_TEST(json.find("\"mode\":\"closed\"") != std::string::npos);
    BOOST_TEST(json.find("\"target_rate\":null") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(next_id_exhaustion_ends_the_run_early) {
    delay_server server(1ms);
    auto o = options_for(server.port(), 4, 10000ms);
    o.pipeline = 2;
    o.mix = mix_of("1 DELETE /x/{next_id}\n1 GET /y/{id}");
    for (int i = 0; i < 50; ++i) o.ids.push_back("id" + std::to_string(i));
    const auto started = std::chrono::steady_clock::now();
    const auto r = ::loadgen::run(o);
    BOOST_TEST_MESSAGE(::loadgen::summary(r));
    BOOST_TEST((std::chrono::steady_clock::now() - started < 5s));
    BOOST_TEST(r.ids_exhausted);
    BOOST_TEST(r.duration_s < 5.0);
    BOOST_TEST(r.errors_total() == 0u);
    BOOST_TEST(r.requests() == server.targets().size());  // in flight ones were answered
    std::set<std::string> deleted;
    for (const auto& t : server.targets())
        if (t.starts_with("/x/")) BOOST_TEST(deleted.insert(t).second, t);  // each once
    BOOST_TEST(deleted.size() == 50u);
    BOOST_TEST(::loadgen::to_json(r).find("\"ids_exhausted\":true") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(timeouts_closes_and_refused_connections) {
    delay_server server(0ms);
    {  // a request slower than --timeout is an error, and the connection is replaced
        auto o = options_for(server.port(), 1, 700ms);
        o.mix = mix_of("1 GET /d/1000");
        o.timeout = 150ms;
        const auto r = ::loadgen::run(o);
        BOOST_TEST_MESSAGE(::loadgen::summary(r));
        BOOST_TEST(r.totals.timeouts >= 2u);
        BOOST_TEST(r.totals.timeouts <= 5u);
        BOOST_TEST(r.requests() == 0u);
        BOOST_TEST(r.totals.reconnects >= 1u);
    }
    {  // the server closing after each response: reconnect, no request lost
        auto o = options_for(server.port(), 2, 300ms);
        o.mix = mix_of("1 GET /close");
        const auto r = ::loadgen::run(o);
        BOOST_TEST_MESSAGE(::loadgen::summary(r));
        BOOST_TEST(r.requests() > 10u);
        BOOST_TEST(r.totals.reconnects + 2 >= r.requests());
        BOOST_TEST(r.errors_total() == 0u);
    }
    {  // nothing listens: the run ends at once, and exit code 1
        std::uint16_t port;
        {
            asio::io_context ioc;
            tcp::acceptor a(ioc, {asio::ip::make_address("127.0.0.1"), 0});
            port = a.local_endpoint().port();
        }
        const auto started = std::chrono::steady_clock::now();
        const auto r = ::loadgen::run(options_for(port, 8, 10000ms));
        BOOST_TEST((std::chrono::steady_clock::now() - started < 2s));
        BOOST_TEST(!r.connected);
        BOOST_TEST(::loadgen::exit_code(r) == 1);
        BOOST_TEST(!r.error.empty());
        BOOST_TEST_MESSAGE(::loadgen::summary(r));
    }
}

BOOST_AUTO_TEST_SUITE_END()
