// The healthcheck subcommand's target: --url parsing, and the default
// derived from the listen address (wildcards probed on loopback).

#include <boost/test/unit_test.hpp>

#include "customers/app/config.hpp"
#include "customers/app/healthcheck_command.hpp"

namespace app = customers::app;

namespace {

app::probe_target target(std::string host, std::uint16_t port, std::string path) {
    return {std::move(host), port, std::move(path)};
}

}  // namespace

BOOST_AUTO_TEST_SUITE(healthcheck_target)

BOOST_AUTO_TEST_CASE(parses_host_port_and_path) {
    BOOST_TEST((app::parse_probe_url("http://127.0.0.1:8080/healthz") ==
                target("127.0.0.1", 8080, "/healthz")));
    BOOST_TEST((app::parse_probe_url("HTTP://localhost:9/readyz?x=1") ==
                target("localhost", 9, "/readyz?x=1")));
    BOOST_TEST(
        (app::parse_probe_url("http://[::1]:8080/healthz") == target("::1", 8080, "/healthz")));
}

BOOST_AUTO_TEST_CASE(port_defaults_to_80_and_path_to_root) {
    BOOST_TEST((app::parse_probe_url("http://example") == target("example", 80, "/")));
    BOOST_TEST((app::parse_probe_url("http://[::1]") == target("::1", 80, "/")));
    BOOST_TEST((app::parse_probe_url("http://h:81?q") == target("h", 81, "/?q")));
}

BOOST_AUTO_TEST_CASE(refuses_what_it_cannot_probe) {
    for (const char* bad : {
             "",
             "127.0.0.1:8080/healthz",     // no scheme
             "https://127.0.0.1/healthz",  // TLS is not spoken
             "ftp://h/",                   //
             "http://",                    // no host
             "http://:8080/",              // no host
             "http://h:/",                 // empty port
             "http://h:0/",                // port 0
             "http://h:65536/",            // out of range
             "http://h:8o/",               // not digits
             "http://h:-1/",               //
             "http://user:pw@h/",          // user info
             "http://[::1/",               // unclosed bracket
             "http://[127.0.0.1]/",        // brackets around IPv4
             "http://[::1]x/",             // junk after the bracket
             "http://::1/",                // IPv6 without brackets
             "http://h/a b",               // space
             "http://h/\x01",              // control character
         }) {
        BOOST_TEST_CONTEXT("url: " << bad) {
            BOOST_TEST(!app::parse_probe_url(bad));
        }
    }
}

BOOST_AUTO_TEST_CASE(default_target_is_healthz_on_the_listen_address) {
    app::config c;
    c.listen_host = "10.1.2.3";
    c.listen_port = 9000;
    BOOST_TEST((app::default_probe_target(c) == target("10.1.2.3", 9000, "/healthz")));
}

BOOST_AUTO_TEST_CASE(wildcard_listen_addresses_are_probed_on_loopback) {
    app::config c;
    c.listen_port = 8080;
    c.listen_host = "0.0.0.0";
    BOOST_TEST(app::default_probe_target(c).host == "127.0.0.1");
    c.listen_host = "::";
    BOOST_TEST(app::default_probe_target(c).host == "::1");
}

BOOST_AUTO_TEST_CASE(port_0_cannot_be_probed_without_a_url) {
    app::config c;
    c.listen_port = 0;
    BOOST_CHECK_THROW(app::default_probe_target(c), app::config_error);
}

BOOST_AUTO_TEST_SUITE_END()
