// Configuration: defaults, config/default.json, the JSON / environment / flag
// layers and their precedence, validation ranges, and error keys.

#include "customers/app/config.hpp"

#include <sched.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <set>
#include <string>
#include <vector>

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>
#include <boost/test/unit_test.hpp>

#include "customers/app/cpu_limit.hpp"

namespace app = customers::app;
using std::chrono::milliseconds;

namespace {

const std::string default_json_path = std::string(CUSTOMERS_SOURCE_DIR) + "/config/default.json";

// Checks that f() throws config_error whose key() is `key` and whose what()
// contains `fragment`.
void expect_error(const std::function<void()>& f, const std::string& key,
                  const std::string& fragment = {}) {
    try {
        f();
    } catch (const app::config_error& e) {
        BOOST_TEST_CONTEXT("what(): " << e.what()) {
            BOOST_TEST(e.key() == key);
            BOOST_TEST(std::string(e.what()).find(fragment) != std::string::npos,
                       "message lacks \"" << fragment << "\"");
        }
        return;
    }
    BOOST_ERROR("no config_error thrown, expected one for key \"" << key << "\"");
}

app::env_lookup env_of(std::map<std::string, std::string> vars) {
    return [vars = std::move(vars)](const char* name) -> const char* {
        auto it = vars.find(name);
        return it == vars.end() ? nullptr : it->second.c_str();
    };
}

app::cli_flags flags_of(std::vector<std::string_view> args) {
    return app::parse_flags(args);
}

// Every millisecond field with its dotted JSON key.
struct ms_field {
    std::string key;
    std::function<milliseconds&(app::config&)> get;
};
const std::vector<ms_field> ms_fields = {
    {"http.header_timeout_ms", [](app::config& c) -> auto& {return c.http.header_timeout;
}  // namespace
}
, {"http.body_timeout_ms", [](app::config& c) -> auto& {return c.http.body_timeout;
}
}
, {"http.idle_timeout_ms", [](app::config& c) -> auto& {return c.http.idle_timeout;
}
}
, {"http.shutdown_timeout_ms", [](app::config& c) -> auto& {return c.http.shutdown_timeout;
}
}
, {"redis.command_timeout_ms", [](app::config& c) -> auto& {return c.redis.command_timeout;
}
}
, {"redis.connect_timeout_ms", [](app::config& c) -> auto& {return c.redis.connect_timeout;
}
}
, {"redis.reconnect_min_ms", [](app::config& c) -> auto& {return c.redis.reconnect_min;
}
}
, {"redis.reconnect_max_ms", [](app::config& c) -> auto& {return c.redis.reconnect_max;
}
}
,
}
;

// {"section": {"name": value}} for the dotted key "section.name".
std::string json_for(const std::string& dotted, const std::string& value) {
    auto dot = dotted.find('.');
    if (dot == std::string::npos) return "{\"" + dotted + "\": " + value + "}";
    return "{\"" + dotted.substr(0, dot) + "\": {\"" + dotted.substr(dot + 1) + "\": " + value +
           "}}";
}

void expect_same(const app::config& got, const app::config& want) {
    BOOST_TEST(got.listen_host == want.listen_host);
    BOOST_TEST(got.listen_port == want.listen_port);
    BOOST_TEST(got.threads == want.threads);
    BOOST_TEST(got.log_level == want.log_level);
    BOOST_TEST(got.access_log == want.access_log);
    BOOST_TEST(got.http.max_header_bytes == want.http.max_header_bytes);
    BOOST_TEST(got.http.max_body_bytes == want.http.max_body_bytes);
    BOOST_TEST(got.http.max_connections == want.http.max_connections);
    BOOST_TEST(got.http.max_auth_failures == want.http.max_auth_failures);
    BOOST_TEST(got.redis.url == want.redis.url);
    BOOST_TEST(got.rate_limit.requests_per_second == want.rate_limit.requests_per_second);
    BOOST_TEST(got.rate_limit.burst == want.rate_limit.burst);
    for (const auto& f : ms_fields) {
        BOOST_TEST_CONTEXT(f.key) {
            auto g = got;
            auto w = want;
            BOOST_TEST(f.get(g).count() == f.get(w).count());
        }
    }
}

void expect_all_differ(const app::config& a, const app::config& b) {
    BOOST_TEST(a.listen_host != b.listen_host);
    BOOST_TEST(a.listen_port != b.listen_port);
    BOOST_TEST(a.threads != b.threads);
    BOOST_TEST(a.log_level != b.log_level);
    BOOST_TEST(a.access_log != b.access_log);
    BOOST_TEST(a.http.max_header_bytes != b.http.max_header_bytes);
    BOOST_TEST(a.http.max_body_bytes != b.http.max_body_bytes);
    BOOST_TEST(a.http.max_connections != b.http.max_connections);
    BOOST_TEST(a.http.max_auth_failures != b.http.max_auth_failures);
    BOOST_TEST(a.redis.url != b.redis.url);
    BOOST_TEST(a.rate_limit.requests_per_second != b.rate_limit.requests_per_second);
    BOOST_TEST(a.rate_limit.burst != b.rate_limit.burst);
    for (const auto& f : ms_fields) {
        BOOST_TEST_CONTEXT(f.key) {
            auto x = a;
            auto y = b;
            BOOST_TEST(f.get(x).count() != f.get(y).count());
        }
    }
}

// A config in which every field differs from the defaults; `sentinel_json`
// spells the same values.
app::config sentinel() {
    app::config c;
    c.listen_host = "192.0.2.1";
    c.listen_port = 1234;
    c.threads = 7;
    c.log_level = "error";
    c.access_log = false;
    c.http.max_header_bytes = 2000;
    c.http.max_body_bytes = 3000;
    c.http.max_connections = 4000;
    c.http.max_auth_failures = 5000;
    c.redis.url = "redis://192.0.2.2:6380";
    c.rate_limit.requests_per_second = 5;
    c.rate_limit.burst = 6;
    int n = 101;
    for (const auto& f : ms_fields) f.get(c) = milliseconds(n++);
    return c;
}
const char* const sentinel_json = R"({
    "listen": "192.0.2.1:1234", "threads": 7, "log_level": "error", "access_log": false,
    "http": {"header_timeout_ms": 101, "body_timeout_ms": 102, "idle_timeout_ms": 103,
             "max_header_bytes": 2000, "max_body_bytes": 3000, "shutdown_timeout_ms": 104,
             "max_connections": 4000, "max_auth_failures": 5000},
    "redis": {"url": "redis://192.0.2.2:6380", "command_timeout_ms": 105,
              "connect_timeout_ms": 106, "reconnect_min_ms": 107, "reconnect_max_ms": 108},
    "rate_limit": {"requests_per_second": 5, "burst": 6}})";

struct temp_file {
    std::string path;
    explicit temp_file(std::string_view content) {
        static int counter = 0;
        path = (std::filesystem::temp_directory_path() /
                ("customers_test_config_" + std::to_string(::getpid()) + "_" +
                 std::to_string(counter++) + ".json"))
                   .string();
        std::ofstream(path) << content;
    }
    ~temp_file() {
        std::error_code ec;
        std::filesystem::remove(path, ec);
    }
};

}  // namespace

BOOST_AUTO_TEST_SUITE(config)

BOOST_AUTO_TEST_CASE(struct_defaults) {
    app::config c;
    BOOST_TEST(c.listen_host == "127.0.0.1");
    BOOST_TEST(c.listen_port == 8080);
    BOOST_TEST(c.threads == 0u);
    BOOST_TEST(c.log_level == "info");
    BOOST_TEST(c.access_log);
    BOOST_TEST(c.http.header_timeout.count() == 10'000);
    BOOST_TEST(c.http.body_timeout.count() == 10'000);
    BOOST_TEST(c.http.idle_timeout.count() == 60'000);
    BOOST_TEST(c.http.max_header_bytes == 8192u);
    BOOST_TEST(c.http.max_body_bytes == 65536u);
    BOOST_TEST(c.http.shutdown_timeout.count() == 10'000);
    BOOST_TEST(c.http.max_connections == 10'000u);
    BOOST_TEST(c.http.max_auth_failures == 10u);
    BOOST_TEST(c.rate_limit.requests_per_second == 100u);
    BOOST_TEST(c.rate_limit.burst == 200u);
    BOOST_TEST(c.rate_limit.enabled());
    BOOST_TEST(c.redis.url == "redis://127.0.0.1:6379");
    BOOST_TEST(c.redis.command_timeout.count() == 1'000);
    BOOST_TEST(c.redis.connect_timeout.count() == 1'000);
    BOOST_TEST(c.redis.reconnect_min.count() == 50);
    BOOST_TEST(c.redis.reconnect_max.count() == 2'000);
    BOOST_CHECK_NO_THROW(app::validate(c));
}

BOOST_AUTO_TEST_CASE(effective_threads) {
    app::config c;
    BOOST_TEST(c.effective_threads() >= 1u);
    BOOST_TEST(c.effective_threads() == app::usable_cpus());
    c.threads = 5;
    BOOST_TEST(c.effective_threads() == 5u);
}

// threads: 0 follows the affinity mask (taskset, a cpuset), not the
// machine's CPU count: narrowed to one CPU, one thread.
BOOST_AUTO_TEST_CASE(effective_threads_follow_the_affinity_mask) {
    cpu_set_t all;
    BOOST_TEST_REQUIRE(::sched_getaffinity(0, sizeof all, &all) == 0);
    if (CPU_COUNT(&all) < 2) {
        BOOST_TEST_MESSAGE("only one CPU allowed here: nothing to narrow");
        return;
    }
    int first = 0;
    while (!CPU_ISSET(first, &all)) ++first;
    cpu_set_t one;
    CPU_ZERO(&one);
    CPU_SET(first, &one);
    BOOST_TEST_REQUIRE(::sched_setaffinity(0, sizeof one, &one) == 0);
    const app::config c;
    const unsigned narrowed = c.effective_threads();
    ::sched_setaffinity(0, sizeof all, &all);  // this thread runs the other tests too
    BOOST_TEST(narrowed == 1u);
}

BOOST_AUTO_TEST_CASE(default_json_equals_struct_defaults) {
    // Start from values that differ everywhere, so a key missing from the file
    // shows up as a mismatch.
    const app::config base = sentinel();
    expect_all_differ(base, app::config{});
    app::config loaded = app::apply_json_file(base, default_json_path);
    expect_same(loaded, app::config{});
}

BOOST_AUTO_TEST_CASE(default_json_documents_every_key) {
    std::ifstream in(default_json_path);
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    const auto root = boost::json::parse(text).as_object();
    std::set<std::string> keys;
    for (const auto& [k, v] : root) {
        if (k.starts_with("_")) continue;
        if (!v.is_object())
            keys.insert(std::string(k));
        else
            for (const auto& [k2, v2] : v.as_object())
                if (!k2.starts_with("_")) keys.insert(std::string(k) + "." + std::string(k2));
    }
    BOOST_TEST(keys.size() == 19u);
    std::set<std::string> documented;
    std::map<std::string, std::string> doc;
    for (const auto& [k, v] : root.at("_doc").as_object()) {
        documented.insert(std::string(k));
        BOOST_TEST_CONTEXT(k) {
            BOOST_TEST_REQUIRE(v.is_string());
            BOOST_TEST(v.as_string().size() > 20u);
        }
        doc[std::string(k)] = std::string(v.as_string());
    }
    BOOST_TEST(documented == keys, boost::test_tools::per_element());
    BOOST_TEST(doc["listen"].find("CUSTOMERS_LISTEN") != std::string::npos);
    BOOST_TEST(doc["listen"].find("--listen") != std::string::npos);
    BOOST_TEST(doc["redis.url"].find("CUSTOMERS_REDIS_URL") != std::string::npos);
    BOOST_TEST(doc["redis.url"].find("--redis") != std::string::npos);
    BOOST_TEST(doc["threads"].find("CUSTOMERS_THREADS") != std::string::npos);
    BOOST_TEST(doc["threads"].find("--threads") != std::string::npos);
    BOOST_TEST(doc["log_level"].find("CUSTOMERS_LOG_LEVEL") != std::string::npos);
    BOOST_TEST(std::string(root.at("_about").as_string()).find("--config FILE") !=
               std::string::npos);
}

BOOST_AUTO_TEST_CASE(json_sets_every_key) {
    expect_same(app::apply_json(app::config{}, sentinel_json), sentinel());
}

BOOST_AUTO_TEST_CASE(json_keeps_unmentioned_keys) {
    expect_same(app::apply_json(sentinel(), "{}"), sentinel());
    auto want = sentinel();
    want.http.max_body_bytes = 4096;
    expect_same(app::apply_json(sentinel(), R"({"http": {"max_body_bytes": 4096}})"), want);
    auto c = app::apply_json(sentinel(), R"({"listen": "[::1]:0"})");
    BOOST_TEST(c.listen_host == "::1");
    BOOST_TEST(c.listen_port == 0);
}

BOOST_AUTO_TEST_CASE(json_ignores_underscore_keys) {
    const char* text = R"({"_a": 1, "_b": {"x": [1, 2]}, "http": {"_c": "x"},
                           "redis": {"_d": null, "_e": {"url": 5}}})";
    expect_same(app::apply_json(sentinel(), text), sentinel());
}

BOOST_AUTO_TEST_CASE(json_unknown_keys) {
    for (auto [text, key] : std::vector<std::pair<std::string, std::string>>{
             {R"({"foo": 1})", "foo"},
             {R"({"http": {"foo": 1}})", "http.foo"},
             {R"({"redis": {"bar": true}})", "redis.bar"},
             {R"({"listen_port": 80})", "listen_port"},
             {R"({"http": {"max_header_bytes": 8192, "header_timeout": 5}})",
              "http.header_timeout"},
             {R"({"http": {"url": "redis://x"}})", "http.url"},
         }) {
        expect_error([&] { app::apply_json({}, text); }, key, "unknown key");
    }
}

BOOST_AUTO_TEST_CASE(json_wrong_types) {
    const std::string str = "expected a string", num = "expected an integer",
                      obj = "expected an object";
    for (auto [text, key, msg] : std::vector<std::tuple<std::string, std::string, std::string>>{
             {R"({"listen": 8080})", "listen", str},
             {R"({"threads": "4"})", "threads", num},
             {R"({"threads": 4.0})", "threads", num},
             {R"({"threads": true})", "threads", num},
             {R"({"threads": 1e400})", "threads", num},
             {R"({"log_level": ["info"]})", "log_level", str},
             {R"({"http": []})", "http", obj},
             {R"({"redis": "redis://x"})", "redis", obj},
             {R"({"http": {"max_header_bytes": null}})", "http.max_header_bytes", num},
             {R"({"http": {"max_body_bytes": "1"}})", "http.max_body_bytes", num},
             {R"({"redis": {"url": {}}})", "redis.url", str},
         }) {
        expect_error([&] { app::apply_json({}, text); }, key, msg);
    }
    for (const auto& f : ms_fields) {
        expect_error([&] { app::apply_json({}, json_for(f.key, "\"100\"")); }, f.key, num);
        expect_error([&] { app::apply_json({}, json_for(f.key, "1.5")); }, f.key, num);
    }
}

BOOST_AUTO_TEST_CASE(json_out_of_range) {
    const std::string range = "must be between";
    for (auto [key, value] : std::vector<std::pair<std::string, std::string>>{
             {"threads", "1025"},
             {"threads", "-1"},
             {"threads", "18446744073709551615"},
             {"http.max_header_bytes", "1023"},
             {"http.max_header_bytes", "1048577"},
             {"http.max_body_bytes", "0"},
             {"http.max_body_bytes", "16777217"},
             {"http.max_connections", "0"},
             {"http.max_connections", "10000001"},
             {"http.max_auth_failures", "-1"},
             {"http.max_auth_failures", "1000001"},
             {"rate_limit.requests_per_second", "-1"},
             {"rate_limit.requests_per_second", "1000001"},
             {"rate_limit.burst", "1000001"},
         }) {
        expect_error([&] { app::apply_json({}, json_for(key, value)); }, key, range);
    }
    for (const auto& f : ms_fields) {
        for (const char* bad : {"0", "-1", "3600001"})
            expect_error([&] { app::apply_json({}, json_for(f.key, bad)); }, f.key, range);
        app::config c = app::apply_json({}, json_for(f.key, "3600000"));
        BOOST_TEST(f.get(c).count() == 3'600'000);
    }
    BOOST_TEST(app::apply_json({}, R"({"threads": 1024})").threads == 1024u);
}

BOOST_AUTO_TEST_CASE(rate_limit_is_off_only_with_both_zero) {
    app::config off = app::apply_json({}, R"({"rate_limit": {"requests_per_second": 0,
                                                             "burst": 0}})");
    BOOST_CHECK_NO_THROW(app::validate(off));
    BOOST_TEST(!off.rate_limit.enabled());
    expect_error([] { app::validate(app::apply_json({}, R"({"rate_limit": {"burst": 0}})")); },
                 "rate_limit.burst", "both be 0");
    expect_error(
        [] { app::validate(app::apply_json({}, R"({"rate_limit": {"requests_per_second": 0}})")); },
        "rate_limit.requests_per_second", "both be 0");
    expect_error([] { app::apply_json({}, R"({"rate_limit": {"rps": 1}})"); }, "rate_limit.rps",
                 "unknown key");
}

BOOST_AUTO_TEST_CASE(json_bad_values) {
    expect_error([] { app::apply_json({}, R"({"log_level": "verbose"})"); }, "log_level",
                 "verbose");
    expect_error([] { app::apply_json({}, R"({"listen": "localhost"})"); }, "listen",
                 "missing port");
    expect_error([] { app::apply_json({}, R"({"redis": {"url": "http://127.0.0.1:6379"}})"); },
                 "redis.url", "invalid Redis URL");
}

BOOST_AUTO_TEST_CASE(json_syntax_errors) {
    for (const char* text :
         {"", "{", R"({"threads": 1,})", "// comment\n{}", "{} {}", "nul", R"({"threads": 01})"}) {
        BOOST_TEST_CONTEXT(text) {
            expect_error([&] { app::apply_json({}, text); }, "--config", "invalid JSON");
        }
    }
    expect_error([] { app::apply_json({}, "{\n  \"threads\": 1,\n  oops\n}"); }, "--config",
                 "line 3, column 3");
    expect_error([] { app::apply_json({}, "[]"); }, "--config", "top level");
}

BOOST_AUTO_TEST_CASE(json_duplicate_keys) {
    expect_error([] { app::apply_json({}, R"({"threads": 1, "threads": 2})"); }, "threads",
                 "duplicate key");
    expect_error(
        [] { app::apply_json({}, R"({"http": {"max_body_bytes": 1, "max_body_bytes": 2}})"); },
        "http.max_body_bytes", "duplicate key");
    expect_error([] { app::apply_json({}, R"({"redis": {}, "threads": 1, "redis": {}})"); },
                 "redis", "duplicate key");
    expect_error([] { app::apply_json({}, R"({"_x": [{"a": 1}, {"a": 1, "a": 2}]})"); }, "_x[1].a",
                 "duplicate key");
    // The same name in different objects is not a duplicate.
    auto c =
        app::apply_json({}, R"({"_n": {"a": 1}, "http": {"_n": 1}, "redis": {"_n": {"a": 2}}})");
    expect_same(c, app::config{});
}

BOOST_AUTO_TEST_CASE(json_file_errors) {
    const std::string missing = "/nonexistent-customers-dir/config.json";
    expect_error([&] { app::apply_json_file({}, missing); }, missing, "cannot open");
    const std::string dir = std::filesystem::temp_directory_path().string();
    expect_error([&] { app::apply_json_file({}, dir); }, dir, "cannot read");
    temp_file broken("{\"threads\": ");
    expect_error([&] { app::apply_json_file({}, broken.path); }, broken.path, "invalid JSON");
    temp_file unknown(R"({"http": {"foo": 1}})");
    expect_error([&] { app::apply_json_file({}, unknown.path); }, "http.foo", "unknown key");
    temp_file good(R"({"threads": 9})");
    BOOST_TEST(app::apply_json_file({}, good.path).threads == 9u);
}

BOOST_AUTO_TEST_CASE(env_applies_each_variable) {
    const app::config base = sentinel();
    expect_same(app::apply_env(base, env_of({})), base);
    expect_same(app::apply_env(base, app::env_lookup{}), base);
    // Set but empty counts as unset.
    expect_same(app::apply_env(base, env_of({{"CUSTOMERS_LISTEN", ""},
                                             {"CUSTOMERS_THREADS", ""},
                                             {"CUSTOMERS_LOG_LEVEL", ""},
                                             {"CUSTOMERS_REDIS_URL", ""}})),
                base);

    auto want = base;
    want.listen_host = "::1";
    want.listen_port = 9000;
    expect_same(app::apply_env(base, env_of({{"CUSTOMERS_LISTEN", "[::1]:9000"}})), want);
    want = base;
    want.redis.url = "redis://10.0.0.1:7000/3";
    expect_same(app::apply_env(base, env_of({{"CUSTOMERS_REDIS_URL", want.redis.url}})), want);
    want = base;
    want.threads = 12;
    expect_same(app::apply_env(base, env_of({{"CUSTOMERS_THREADS", "12"}})), want);
    want = base;
    want.log_level = "debug";
    expect_same(app::apply_env(base, env_of({{"CUSTOMERS_LOG_LEVEL", "debug"}})), want);
    want = base;  // the sentinel has it off
    want.access_log = true;
    expect_same(app::apply_env(base, env_of({{"CUSTOMERS_ACCESS_LOG", "true"}})), want);
    expect_same(app::apply_env(base, env_of({{"CUSTOMERS_ACCESS_LOG", "1"}})), want);
    expect_same(app::apply_env(want, env_of({{"CUSTOMERS_ACCESS_LOG", "0"}})), base);
    expect_same(app::apply_env(want, env_of({{"CUSTOMERS_ACCESS_LOG", "false"}})), base);
}

BOOST_AUTO_TEST_CASE(env_errors) {
    for (const char* bad : {"abc", "-1", "1025", " 4", "4x", "+4", "99999999999999999999"}) {
        expect_error(
            [&] {
                app::apply_env({}, env_of({{"CUSTOMERS_THREADS", bad}}));
            },
            "CUSTOMERS_THREADS");
    }
    for (const char* bad : {"8080", ":80", "host:", "host:65536"}) {
        expect_error(
            [&] {
                app::apply_env({}, env_of({{"CUSTOMERS_LISTEN", bad}}));
            },
            "CUSTOMERS_LISTEN");
    }
    for (const char* bad : {"verbose", "INFO"}) {
        expect_error(
            [&] {
                app::apply_env({}, env_of({{"CUSTOMERS_LOG_LEVEL", bad}}));
            },
            "CUSTOMERS_LOG_LEVEL", "unknown log level");
    }
    expect_error(
        [] {
            app::apply_env({}, env_of({{"CUSTOMERS_REDIS_URL", "http://x"}}));
        },
        "CUSTOMERS_REDIS_URL", "invalid Redis URL");
    for (const char* bad : {"yes", "TRUE", "2"})
        expect_error(
            [&] {
                app::apply_env({}, env_of({{"CUSTOMERS_ACCESS_LOG", bad}}));
            },
            "CUSTOMERS_ACCESS_LOG", "expected true, false, 1 or 0");
    expect_error([] { app::apply_json({}, R"({"access_log": "yes"})"); }, "access_log",
                 "expected true or false");
}

BOOST_AUTO_TEST_CASE(parse_flags_forms) {
    auto f = flags_of(
        {"--config", "a.json", "--listen=0.0.0.0:9", "--redis", "redis://h:1", "--threads=3"});
    BOOST_TEST(f.config_file == "a.json");
    BOOST_TEST(f.listen == "0.0.0.0:9");
    BOOST_TEST(f.redis_url == "redis://h:1");
    BOOST_TEST(f.threads == "3");
    BOOST_TEST(!f.help);
    f = flags_of({"--config=b.json", "--listen", "[::1]:1", "--redis=redis://:p=w@h", "--threads",
                  "0", "--help"});
    BOOST_TEST(f.config_file == "b.json");
    BOOST_TEST(f.listen == "[::1]:1");
    BOOST_TEST(f.redis_url == "redis://:p=w@h");
    BOOST_TEST(f.threads == "0");
    BOOST_TEST(f.help);
    f = flags_of({});
    BOOST_TEST((f.config_file.empty() && f.listen.empty() && f.redis_url.empty() &&
                f.threads.empty() && !f.help));
    BOOST_TEST(flags_of({"-h"}).help);
}

BOOST_AUTO_TEST_CASE(parse_flags_errors) {
    using args = std::vector<std::string_view>;
    for (auto [a, key, msg] : std::vector<std::tuple<args, std::string, std::string>>{
             {{"--port", "1"}, "--port", "unknown flag"},
             {{"--port=1"}, "--port", "unknown flag"},
             {{"--"}, "--", "unknown flag"},
             {{"--threads"}, "--threads", "missing value"},
             {{"--listen", "--threads", "2"}, "--listen", "missing value"},
             {{"--threads="}, "--threads", "missing value"},
             {{"--config", ""}, "--config", "missing value"},
             {{"--threads", "1", "--threads=2"}, "--threads", "more than once"},
             {{"serve"}, "serve", "unexpected argument"},
             {{"-x"}, "-x", "unexpected argument"},
             {{"--help=yes"}, "--help", "takes no value"},
         }) {
        expect_error([&] { app::parse_flags(a); }, key, msg);
    }
}

BOOST_AUTO_TEST_CASE(apply_flags_layer) {
    const app::config base = sentinel();
    expect_same(app::apply_flags(base, app::cli_flags{}), base);
    app::cli_flags only_file;
    only_file.config_file = "ignored-here.json";
    expect_same(app::apply_flags(base, only_file), base);

    auto want = base;
    want.listen_host = "0.0.0.0";
    want.listen_port = 0;
    want.redis.url = "unix:///tmp/redis.sock";
    want.threads = 1024;
    expect_same(app::apply_flags(base, flags_of({"--listen", "0.0.0.0:0", "--redis",
                                                 "unix:///tmp/redis.sock", "--threads=1024"})),
                want);

    expect_error([] { app::apply_flags({}, flags_of({"--threads=x"})); }, "--threads");
    expect_error([] { app::apply_flags({}, flags_of({"--threads=1025"})); }, "--threads",
                 "must be between 0 and 1024");
    expect_error([] { app::apply_flags({}, flags_of({"--listen=nohost"})); }, "--listen",
                 "missing port");
    expect_error([] { app::apply_flags({}, flags_of({"--redis=http://x"})); }, "--redis",
                 "invalid Redis URL");
}

BOOST_AUTO_TEST_CASE(load_precedence) {
    temp_file file(R"({"threads": 2, "listen": "127.0.0.2:1002", "log_level": "warn",
                       "redis": {"url": "redis://127.0.0.2:6002"},
                       "http": {"max_body_bytes": 1234}})");
    const auto env = env_of({{"CUSTOMERS_THREADS", "3"},
                             {"CUSTOMERS_LISTEN", "127.0.0.3:1003"},
                             {"CUSTOMERS_REDIS_URL", "redis://127.0.0.3:6003"},
                             {"CUSTOMERS_LOG_LEVEL", "error"}});
    const auto no_env = env_of({});
    auto flags = flags_of(
        {"--threads", "4", "--listen", "127.0.0.4:1004", "--redis", "redis://127.0.0.4:6004"});
    auto file_flag = flags_of({"--config", file.path});

    expect_same(app::load({}, no_env), app::config{});  // defaults

    auto want = app::config{};  // defaults < file
    want.threads = 2;
    want.listen_host = "127.0.0.2";
    want.listen_port = 1002;
    want.log_level = "warn";
    want.redis.url = "redis://127.0.0.2:6002";
    want.http.max_body_bytes = 1234;
    expect_same(app::load(file_flag, no_env), want);

    want.threads = 3;  // file < env
    want.listen_host = "127.0.0.3";
    want.listen_port = 1003;
    want.log_level = "error";
    want.redis.url = "redis://127.0.0.3:6003";
    expect_same(app::load(file_flag, env), want);

    flags.config_file = file.path;  // env < flags; log_level has no flag
    want.threads = 4;
    want.listen_host = "127.0.0.4";
    want.listen_port = 1004;
    want.redis.url = "redis://127.0.0.4:6004";
    expect_same(app::load(flags, env), want);

    // Without a file: env over defaults, flags over env, key by key.
    auto c = app::load(flags_of({"--listen=127.0.0.5:1005"}), env);
    BOOST_TEST(c.threads == 3u);
    BOOST_TEST(c.listen_host == "127.0.0.5");
    BOOST_TEST(c.listen_port == 1005);
    BOOST_TEST(c.http.max_body_bytes == app::config{}.http.max_body_bytes);
}

BOOST_AUTO_TEST_CASE(load_errors) {
    temp_file inverted(R"({"redis": {"reconnect_min_ms": 500, "reconnect_max_ms": 100}})");
    expect_error(
        [&] {
            app::load(flags_of({"--config", inverted.path}), env_of({}));
        },
        "redis.reconnect_min_ms", "reconnect_max_ms");
    expect_error([] { app::load(flags_of({"--config=/nonexistent-customers/x.json"}), {}); },
                 "/nonexistent-customers/x.json", "cannot open");
    expect_error(
        [] {
            app::load({}, env_of({{"CUSTOMERS_THREADS", "many"}}));
        },
        "CUSTOMERS_THREADS");
    expect_error([] { app::load(flags_of({"--threads", "2000"}), env_of({})); }, "--threads");
}

BOOST_AUTO_TEST_CASE(validate_ranges) {
    app::config ok;
    ok.redis.reconnect_min = milliseconds(1);
    ok.redis.reconnect_max = milliseconds(3'600'000);
    BOOST_CHECK_NO_THROW(app::validate(ok));

    auto check = [&](const std::string& key, const std::function<void(app::config&)>& set_good,
                     const std::function<void(app::config&)>& set_bad) {
        BOOST_TEST_CONTEXT(key) {
            auto c = ok;
            set_good(c);
            BOOST_CHECK_NO_THROW(app::validate(c));
            c = ok;
            set_bad(c);
            expect_error([&] { app::validate(c); }, key);
        }
    };
    check(
        "threads", [](auto& c) { c.threads = 1024; }, [](auto& c) { c.threads = 1025; });
    for (const auto& f : ms_fields) {
        const auto& get = f.get;
        check(
            f.key, [&](auto& c) { get(c) = milliseconds(1); },
            [&](auto& c) { get(c) = milliseconds(0); });
        check(
            f.key, [&](auto& c) { get(c) = milliseconds(3'600'000); },
            [&](auto& c) { get(c) = milliseconds(3'600'001); });
        check(
            f.key, [&](auto& c) { get(c) = milliseconds(2); },
            [&](auto& c) { get(c) = milliseconds(-5); });
    }
    check(
        "http.max_header_bytes", [](auto& c) { c.http.max_header_bytes = 1024; },
        [](auto& c) { c.http.max_header_bytes = 1023; });
    check(
        "http.max_header_bytes", [](auto& c) { c.http.max_header_bytes = 1024 * 1024; },
        [](auto& c) { c.http.max_header_bytes = 1024 * 1024 + 1; });
    check(
        "http.max_body_bytes", [](auto& c) { c.http.max_body_bytes = 1; },
        [](auto& c) { c.http.max_body_bytes = 0; });
    check(
        "http.max_body_bytes", [](auto& c) { c.http.max_body_bytes = 16 * 1024 * 1024; },
        [](auto& c) { c.http.max_body_bytes = 16 * 1024 * 1024 + 1; });
    check(
        "http.max_auth_failures", [](auto& c) { c.http.max_auth_failures = 0; },
        [](auto& c) { c.http.max_auth_failures = 1'000'001; });
    check(
        "redis.reconnect_min_ms",
        [](auto& c) { c.redis.reconnect_min = c.redis.reconnect_max = milliseconds(300); },
        [](auto& c) {
            c.redis.reconnect_min = milliseconds(301);
            c.redis.reconnect_max = milliseconds(300);
        });
    for (const char* level : {"debug", "info", "warn", "error", "off"}) {
        for (const char* bad : {"", "INFO", "trace"}) {
            check(
                "log_level", [&](auto& c) { c.log_level = level; },
                [&](auto& c) { c.log_level = bad; });
        }
    }
    check(
        "listen", [](auto& c) { c.listen_port = 0; }, [](auto& c) { c.listen_host = ""; });
    check(
        "listen", [](auto& c) { c.listen_port = 65535; }, [](auto& c) { c.listen_host = ""; });
    check(
        "redis.url", [](auto& c) { c.redis.url = "unix:///tmp/redis.sock"; },
        [](auto& c) { c.redis.url = ""; });
    check(
        "redis.url", [](auto& c) { c.redis.url = "redis://:secret@127.0.0.1:6379/2"; },
        [](auto& c) { c.redis.url = "http://127.0.0.1:6379"; });
}

BOOST_AUTO_TEST_CASE(parse_listen_cases) {
    for (auto [text, host, port] : std::vector<std::tuple<std::string, std::string, int>>{
             {"127.0.0.1:8080", "127.0.0.1", 8080},
             {"localhost:80", "localhost", 80},
             {"[::1]:8080", "::1", 8080},
             {"0.0.0.0:0", "0.0.0.0", 0},
             {"example.com:65535", "example.com", 65535},
             {"[fe80::1%eth0]:1", "fe80::1%eth0", 1},
         }) {
        std::string h;
        std::uint16_t p = 1;
        app::parse_listen(text, "listen", h, p);
        BOOST_TEST_CONTEXT(text) {
            BOOST_TEST(h == host);
            BOOST_TEST(p == port);
        }
    }
    for (auto [text, msg] : std::vector<std::pair<std::string, std::string>>{
             {"", "missing port"},
             {"127.0.0.1", "missing port"},
             {"127.0.0.1:", "missing port"},
             {"[::1]", "missing port"},
             {":8080", "empty host"},
             {"[]:80", "empty host"},
             {"[::1:80", "missing ']'"},
             {"[::1]x80", "expected ':'"},
             {"[localhost]:80", "not an IPv6"},
             {"::1:80", "IPv6 addresses need brackets"},
             {"ho st:80", "invalid character"},
             {"host:65536", "port must be"},
             {"host:-1", "port must be"},
             {"host:+80", "port must be"},
             {"host:80x", "port must be"},
             {"host:99999999999", "port must be"},
         }) {
        std::string h = "unchanged";
        std::uint16_t p = 42;
        expect_error([&] { app::parse_listen(text, "SOME_KEY", h, p); }, "SOME_KEY", msg);
        BOOST_TEST_CONTEXT(text) {  // a failed parse leaves the outputs alone
            BOOST_TEST(h == "unchanged");
            BOOST_TEST(p == 42);
        }
    }
}

BOOST_AUTO_TEST_SUITE_END()
