// GET /openapi.json: the description built into the server, served without
// a token, cacheable, and covering every route of the route table. (The
// contract test, scripts/contract-test, checks the live responses against
// it.)

#include <set>

#include <boost/json/parse.hpp>
#include <boost/test/unit_test.hpp>

#include "customers/api/openapi.hpp"
#include "customers/api/routes.hpp"
#include "support/http_client.hpp"
#include "support/server_fixture.hpp"

using namespace customers;
namespace bhttp = boost::beast::http;
namespace json = boost::json;

namespace {

struct openapi_fixture {
    // No Redis: the document must not need one.
    test::running_server server{test::test_config("redis://127.0.0.1:1")};
    std::uint16_t port() { return server.port(); }
};

// "/v1/customers/:id" as OpenAPI writes it: "/v1/customers/{id}".
std::string openapi_path(std::string_view pattern) {
    std::string out;
    for (std::size_t i = 0; i < pattern.size(); ++i) {
        if (pattern[i] != ':') {
            out += pattern[i];
            continue;
        }
        const std::size_t end = std::min(pattern.find('/', i), pattern.size());
        out += '{';
        out.append(pattern.substr(i + 1, end - i - 1));
        out += '}';
        i = end - 1;
    }
    return out;
}

}  // namespace

BOOST_FIXTURE_TEST_SUITE(openapi_document, openapi_fixture)

BOOST_AUTO_TEST_CASE(served_as_json_without_a_token) {
    auto r = test::http_request(port(), "GET", "/openapi.json");
    BOOST_TEST(r.result_int() == 200u);
    BOOST_TEST(r[bhttp::field::content_type] == "application/json");
    BOOST_TEST(r[bhttp::field::cache_control] == "public, max-age=3600");
    BOOST_TEST(r[bhttp::field::etag] == api::openapi_etag());
    BOOST_TEST(r.body() == api::openapi_json());
    const json::object doc = json::parse(r.body()).as_object();
    BOOST_TEST(doc.at("openapi").as_string() == "3.1.0");
    BOOST_TEST(doc.at("components").as_object().contains("schemas"));
}

BOOST_AUTO_TEST_CASE(every_route_is_documented) {
    const json::object doc = json::parse(api::openapi_json()).as_object();
    const json::object& paths = doc.at("paths").as_object();
    for (const api::route& r : api::routes()) {
        const std::string path = openapi_path(r.pattern);
        std::string method(bhttp::to_string(r.method));
        for (char& c : method) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        BOOST_TEST_CONTEXT(method << " " << path) {
            BOOST_REQUIRE(paths.contains(path));
            BOOST_TEST(paths.at(path).as_object().contains(method));
        }
    }
    BOOST_TEST(openapi_path("/v1/customers/:id") == "/v1/customers/{id}");
}

BOOST_AUTO_TEST_CASE(revalidation_with_the_etag_is_304_without_a_body) {
    const std::string etag(api::openapi_etag());
    for (const std::string& inm : {etag, "W/" + etag, "\"other\", " + etag, std::string("*")}) {
        auto r = test::http_request(port(), "GET", "/openapi.json", {}, {{"If-None-Match", inm}});
        BOOST_TEST(r.result_int() == 304u, inm);
        BOOST_TEST(r.body().empty());
        BOOST_TEST(r[bhttp::field::etag] == etag);
        BOOST_TEST((r.find(bhttp::field::content_length) == r.end()));
    }
    auto stale =
        test::http_request(port(), "GET", "/openapi.json", {}, {{"If-None-Match", "\"0\""}});
    BOOST_TEST(stale.result_int() == 200u);
    BOOST_TEST(stale.body() == api::openapi_json());
}

BOOST_AUTO_TEST_SUITE_END()
