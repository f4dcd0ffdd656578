#include <string>
#include <string_view>

#include <boost/test/unit_test.hpp>

#include "customers/redis/url.hpp"

using customers::redis::endpoint;
using customers::redis::parse_url;

namespace {

endpoint parse_ok(std::string_view url) {
    auto r = parse_url(url);
    BOOST_TEST_INFO("url: " << url);
    BOOST_REQUIRE_MESSAGE(r.has_value(),
                          "unexpected error: " << (r ? std::string() : r.error().message));
    return *r;
}

// The error message for a URL that must be rejected.
std::string parse_error(std::string_view url) {
    auto r = parse_url(url);
    BOOST_TEST_INFO("url: " << url);
    BOOST_REQUIRE_MESSAGE(!r.has_value(), "parsed although it should not: " << url);
    return r.error().message;
}

bool contains(const std::string& text, std::string_view part) {
    return text.find(part) != std::string::npos;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(redis_url)

BOOST_AUTO_TEST_CASE(host_only_uses_defaults) {
    auto ep = parse_ok("redis://cache.internal");
    BOOST_TEST((ep.transport == endpoint::kind::tcp));
    BOOST_TEST(ep.host == "cache.internal");
    BOOST_TEST(ep.port == 6379);
    BOOST_TEST(ep.db == 0);
    BOOST_TEST(ep.username.empty());
    BOOST_TEST(ep.password.empty());
}

BOOST_AUTO_TEST_CASE(host_port_and_db) {
    auto ep = parse_ok("redis://127.0.0.1:6380/7");
    BOOST_TEST(ep.host == "127.0.0.1");
    BOOST_TEST(ep.port == 6380);
    BOOST_TEST(ep.db == 7);
    BOOST_TEST(parse_ok("redis://h:1/").db == 0);
    BOOST_TEST(parse_ok("redis://h:65535").port == 65535);
    BOOST_TEST(parse_ok("redis://h/42").db == 42);  // any non-negative db
    BOOST_TEST(parse_ok("REDIS://h").host == "h");  // schemes are case-insensitive
}

BOOST_AUTO_TEST_CASE(password_only_and_user_password) {
    auto ep = parse_ok("redis://:s3cret@h:1");
    BOOST_TEST(ep.username.empty());
    BOOST_TEST(ep.password == "s3cret");

    ep = parse_ok("redis://alice:pw@h:1/2");
    BOOST_TEST(ep.username == "alice");
    BOOST_TEST(ep.password == "pw");
    BOOST_TEST(ep.host == "h");
    BOOST_TEST(ep.db == 2);
}

BOOST_AUTO_TEST_CASE(credentials_are_percent_decoded) {
    auto ep = parse_ok("redis://us%40er:p%3Aw%2Fd%25@h");
    BOOST_TEST(ep.username == "us@er");
    BOOST_TEST(ep.password == "p:w/d%");
    // An unencoded '@' in the password: the last '@' ends the credentials.
    BOOST_TEST(parse_ok("redis://:a@b@h").password == "a@b");
}

BOOST_AUTO_TEST_CASE(ipv6_in_brackets) {
    auto ep = parse_ok("redis://[::1]:7000/3");
    BOOST_TEST(ep.host == "::1");
    BOOST_TEST(ep.port == 7000);
    BOOST_TEST(ep.db == 3);
    BOOST_TEST(parse_ok("redis://[fe80::1]").port == 6379);
}

BOOST_AUTO_TEST_CASE(unix_socket_paths) {
    auto ep = parse_ok("unix:///run/redis/redis.sock");
    BOOST_TEST((ep.transport == endpoint::kind::unix_socket));
    BOOST_TEST(ep.path == "/run/redis/redis.sock");
    BOOST_TEST(ep.db == 0);
    BOOST_TEST(parse_ok("unix:///tmp/r.sock?db=5").db == 5);
    BOOST_TEST(parse_ok("unix:///tmp/my%20dir/r.sock").path == "/tmp/my dir/r.sock");
}

BOOST_AUTO_TEST_CASE(rejects_bad_schemes) {
    BOOST_TEST(contains(parse_error("rediss://h:6380"), "TLS"));
    BOOST_TEST(contains(parse_error("http://h"), "unsupported scheme 'http://'"));
    BOOST_TEST(contains(parse_error("127.0.0.1:6379"), "missing scheme"));
    BOOST_TEST(contains(parse_error(""), "missing scheme"));
}

BOOST_AUTO_TEST_CASE(rejects_bad_ports) {
    BOOST_TEST(contains(parse_error("redis://h:0"), "port must be 1..65535"));
    BOOST_TEST(contains(parse_error("redis://h:65536"), "port must be 1..65535"));
    BOOST_TEST(contains(parse_error("redis://h:99999999999999999999"), "port must be 1..65535"));
    BOOST_TEST(contains(parse_error("redis://h:-1"), "port must be 1..65535"));
    BOOST_TEST(contains(parse_error("redis://h:12ab"), "port must be 1..65535"));
    BOOST_TEST(contains(parse_error("redis://h:"), "missing port"));
    BOOST_TEST(contains(parse_error("redis://[::1]:"), "missing port"));
}

BOOST_AUTO_TEST_CASE(rejects_bad_hosts) {
    BOOST_TEST(contains(parse_error("redis://"), "missing host"));
    BOOST_TEST(contains(parse_error("redis://:6379"), "missing host"));
    BOOST_TEST(contains(parse_error("redis://:pw@/1"), "missing host"));
    BOOST_TEST(contains(parse_error("redis://::1:6379"), "brackets"));
    BOOST_TEST(contains(parse_error("redis://[::1"), "missing ']'"));
    BOOST_TEST(contains(parse_error("redis://[::1]x"), "expected ':port'"));
    BOOST_TEST(contains(parse_error("redis://[]:1"), "missing host"));
}

BOOST_AUTO_TEST_CASE(rejects_bad_db) {
    BOOST_TEST(contains(parse_error("redis://h/x"), "db must be a non-negative integer"));
    BOOST_TEST(contains(parse_error("redis://h/-1"), "db must be a non-negative integer"));
    BOOST_TEST(contains(parse_error("redis://h/1/2"), "db must be a non-negative integer"));
    BOOST_TEST(contains(parse_error("redis://h/99999999999"), "db must be a non-negative integer"));
    BOOST_TEST(contains(parse_error("redis://h?db=1"), "query parameters are not supported"));
    BOOST_TEST(contains(parse_error("unix:///tmp/r.sock?db=x"), "db must be"));
    BOOST_TEST(contains(parse_error("unix:///tmp/r.sock?timeout=1"), "unknown query parameter"));
}

BOOST_AUTO_TEST_CASE(rejects_bad_credentials) {
    BOOST_TEST(contains(parse_error("redis://user@h"), "':' is required"));
    BOOST_TEST(contains(parse_error("redis://user:@h"), "password after ':' is empty"));
    BOOST_TEST(contains(parse_error("redis://:p%zz@h"), "percent-encoding in the password"));
    BOOST_TEST(contains(parse_error("redis://:p%4@h"), "percent-encoding in the password"));
    BOOST_TEST(contains(parse_error("redis://u%:p@h"), "percent-encoding in the username"));
}

BOOST_AUTO_TEST_CASE(rejects_bad_unix_paths) {
    BOOST_TEST(contains(parse_error("unix://relative.sock"), "absolute path"));
    BOOST_TEST(contains(parse_error("unix://host/tmp/r.sock"), "absolute path"));
    BOOST_TEST(contains(parse_error("unix://"), "absolute path"));
    BOOST_TEST(contains(parse_error("unix:///"), "missing socket path"));
    BOOST_TEST(contains(parse_error("unix:///" + std::string(200, 'a')), "too long"));
}

BOOST_AUTO_TEST_CASE(redacted_masks_the_password) {
    auto ep = parse_ok("redis://alice:hunter2@[::1]:7000/3");
    const std::string text = ep.redacted();
    BOOST_TEST(text == "redis://alice:***@[::1]:7000/3");
    BOOST_TEST(!contains(text, "hunter2"));
    BOOST_TEST(parse_ok("redis://:pw@h").redacted() == "redis://:***@h:6379");
    BOOST_TEST(parse_ok("redis://h").redacted() == "redis://h:6379");
    BOOST_TEST(parse_ok("unix:///tmp/r.sock?db=2").redacted() == "unix:///tmp/r.sock?db=2");
}

BOOST_AUTO_TEST_CASE(value_throws_with_the_message) {
    auto r = parse_url("redis://h:0");
    BOOST_CHECK_EXCEPTION(r.value(), std::invalid_argument, [](const std::invalid_argument& e) {
        return contains(e.what(), "port must be 1..65535");
    });
}

BOOST_AUTO_TEST_SUITE_END()
