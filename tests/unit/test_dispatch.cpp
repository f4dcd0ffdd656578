// http::dispatch(): the step from a parsed request to its route's handler,
// without sockets.

#include <span>
#include <stdexcept>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/json/parse.hpp>
#include <boost/test/unit_test.hpp>

#include "customers/http/errors.hpp"
#include "customers/http/response_writer.hpp"
#include "customers/http/router.hpp"

using namespace customers;
using http::verb;

namespace {

// What the handlers of this table get: the routed target, and a project.
struct test_context {
    http::routed_target target;
    std::string project_id{};
};

boost::asio::awaitable<http::response> throws(test_context& ctx) {
    ctx.project_id = "proj_boom";
    throw std::logic_error("bug");
    co_return http::response{};
}

boost::asio::awaitable<http::response> echo_params(test_context& ctx) {
    ctx.project_id = "proj_echo";
    co_return http::make_json(
        http::status::ok, std::string(ctx.target.params[0]) + "|" + std::string(ctx.target.query));
}

constexpr auto table = std::to_array<http::route<test_context>>({
    {verb::get, "/boom", &throws},
    {verb::get, "/echo/:id", &echo_params},
});

struct fixture {
    boost::asio::io_context ioc;
    http::request_facts facts;

    http::response run(verb method, std::string_view target) {
        http::request req{method, target, 11};
        facts = {};
        auto fut = boost::asio::co_spawn(
            ioc,
            http::dispatch(std::span(table), req, facts,
                           [](const http::routed_target& t) { return test_context{t}; }),
            boost::asio::use_future);
        ioc.run();
        ioc.restart();
        return fut.get();
    }
};

}  // namespace

BOOST_FIXTURE_TEST_SUITE(dispatch, fixture)

BOOST_AUTO_TEST_CASE(handler_exception_becomes_500_api_error) {
    http::response r = run(verb::get, "/boom");
    BOOST_TEST(r.result_int() == 500u);
    const auto o = boost::json::parse(r.body()).as_object();
    BOOST_TEST(o.at("type").as_string() == "api_error");
    BOOST_TEST(o.at("message").as_string() == "internal error");  // no internals leak
    BOOST_TEST(facts.route == 0u);
    BOOST_TEST(facts.project_id == "proj_boom");
}

BOOST_AUTO_TEST_CASE(params_and_query_reach_the_handler) {
    http::response r = run(verb::get, "/echo/abc?x=1");
    BOOST_TEST(r.result_int() == 200u);
    BOOST_TEST(r.body() == "abc|x=1");
    BOOST_TEST(facts.route == 1u);
    BOOST_TEST(facts.project_id == "proj_echo");
}

BOOST_AUTO_TEST_CASE(unknown_path_is_404_in_error_shape) {
    http::response r = run(verb::get, "/nope?x=1");
    BOOST_TEST(r.result_int() == 404u);
    const auto o = boost::json::parse(r.body()).as_object();
    BOOST_TEST(o.at("type").as_string() == "invalid_request");
    BOOST_TEST(o.at("message").as_string() == "no such endpoint: /nope");
    BOOST_TEST(facts.route == http::no_route);
}

BOOST_AUTO_TEST_CASE(wrong_method_is_405_with_allow) {
    http::response r = run(verb::post, "/echo/abc");
    BOOST_TEST(r.result_int() == 405u);
    BOOST_TEST(r[boost::beast::http::field::allow] == "GET, HEAD");
    const auto o = boost::json::parse(r.body()).as_object();
    BOOST_TEST(o.at("type").as_string() == "invalid_request");
    BOOST_TEST(facts.route == 1u);  // the row whose pattern fitted, for the metrics
}

BOOST_AUTO_TEST_SUITE_END()

// The hand-written head must be what an HTTP parser reads back.
namespace {
http::response parse_back(const std::string& head, const std::string& body) {
    boost::beast::http::response_parser<boost::beast::http::string_body> p;
    p.eager(true);
    boost::system::error_code ec;
    const std::string wire = head + body;
    p.put(boost::asio::buffer(wire), ec);
    if (!ec && !p.is_done()) p.put_eof(ec);
    BOOST_REQUIRE_MESSAGE(!ec, ec.message() << "\n" << head);
    BOOST_REQUIRE(p.is_done());
    return p.release();
}
}  // namespace

BOOST_AUTO_TEST_SUITE(response_writer)

BOOST_AUTO_TEST_CASE(head_has_status_fields_and_common_headers) {
    http::response r = http::make_json(http::status::created, R"({"id":"x"})");
    r.set(boost::beast::http::field::location, "/v1/customers/x");
    std::string head;
    http::write_head(r, {"req-1", true, 11}, head);
    BOOST_TEST(head.starts_with("HTTP/1.1 201 Created\r\n"));
    BOOST_TEST(head.ends_with("\r\n\r\n"));
    const http::response back = parse_back(head, r.body());
    BOOST_TEST(back.result_int() == 201u);
    BOOST_TEST(back["X-Request-Id"] == "req-1");
    BOOST_TEST(back[boost::beast::http::field::server] == "customers-api");
    BOOST_TEST(back[boost::beast::http::field::date].size() == 29u);
    BOOST_TEST(back[boost::beast::http::field::content_length] == "10");
    BOOST_TEST(back[boost::beast::http::field::content_type] == "application/json");
    BOOST_TEST(back[boost::beast::http::field::location] == "/v1/customers/x");
    BOOST_TEST(back.keep_alive());
    BOOST_TEST(back.body() == R"({"id":"x"})");
}

BOOST_AUTO_TEST_CASE(connection_header_follows_keep_alive_and_version) {
    http::response r = http::make_json(http::status::ok, "{}");
    std::string head;
    http::write_head(r, {"a", false, 11}, head);
    BOOST_TEST(head.find("Connection: close\r\n") != std::string::npos);
    http::write_head(r, {"a", true, 10}, head);
    BOOST_TEST(head.find("Connection: keep-alive\r\n") != std::string::npos);
    http::write_head(r, {"a", true, 11}, head);
    BOOST_TEST(head.find("Connection:") == std::string::npos);
}

BOOST_AUTO_TEST_CASE(no_content_has_no_length) {
    http::response r{http::status::no_content, 11};
    std::string head;
    http::write_head(r, {"a", true, 11}, head);
    BOOST_TEST(head.starts_with("HTTP/1.1 204 No Content\r\n"));
    BOOST_TEST(head.find("Content-Length") == std::string::npos);
    BOOST_TEST(parse_back(head, "").result_int() == 204u);
}

BOOST_AUTO_TEST_SUITE_END()
