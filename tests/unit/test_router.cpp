#include <boost/test/unit_test.hpp>

#include "customers/http/router.hpp"

using namespace customers::http;

namespace {
struct no_context {};

boost::asio::awaitable<response> dummy(no_context&) {
    co_return response{};
}

constexpr auto table = std::to_array<route<no_context>>({
    {verb::get, "/healthz", &dummy},
    {verb::get, "/v1/customers", &dummy},
    {verb::post, "/v1/customers", &dummy},
    {verb::get, "/v1/customers/:id", &dummy},
    {verb::patch, "/v1/customers/:id", &dummy},
    {verb::put, "/v1/customers/:id", &dummy},
    {verb::delete_, "/v1/customers/:id", &dummy},
    {verb::get, "/v1/a/:x/b/:y", &dummy},
});
}  // namespace

BOOST_AUTO_TEST_SUITE(router)

BOOST_AUTO_TEST_CASE(exact_path_and_method_found) {
    auto m = match_route(table, verb::get, "/healthz");
    BOOST_TEST((m.result == route_outcome::found));
    BOOST_TEST(m.matched == &table[0]);
    auto p = match_route(table, verb::post, "/v1/customers");
    BOOST_TEST(p.matched == &table[2]);
}

BOOST_AUTO_TEST_CASE(captures_path_parameters) {
    auto m = match_route(table, verb::delete_, "/v1/customers/WAz8eIbvDR60rouK");
    BOOST_TEST((m.result == route_outcome::found));
    BOOST_TEST(m.matched == &table[6]);
    BOOST_TEST(m.params[0] == "WAz8eIbvDR60rouK");
    auto two = match_route(table, verb::get, "/v1/a/1/b/2");
    BOOST_TEST(two.params[0] == "1");
    BOOST_TEST(two.params[1] == "2");
}

BOOST_AUTO_TEST_CASE(unknown_paths_are_not_found) {
    for (const char* path : {"/", "/healthz/", "/healthzz", "/v1/customers/a/b", "/v1/customers//",
                             "/v1", "", "healthz", "/v1/customers/"}) {
        BOOST_TEST_CONTEXT(path) {
            auto m = match_route(table, verb::get, path);
            BOOST_TEST((m.result == route_outcome::not_found));
            BOOST_TEST(m.matched == nullptr);
        }
    }
}

BOOST_AUTO_TEST_CASE(wrong_method_lists_allowed_ones) {
    auto m = match_route(table, verb::delete_, "/v1/customers");
    BOOST_TEST((m.result == route_outcome::method_not_allowed));
    BOOST_TEST(m.allow == "GET, HEAD, POST");
    auto id = match_route(table, verb::post, "/v1/customers/abc");
    BOOST_TEST(id.allow == "GET, HEAD, PATCH, PUT, DELETE");
    auto h = match_route(table, verb::post, "/healthz");
    BOOST_TEST(h.allow == "GET, HEAD");
}

BOOST_AUTO_TEST_CASE(head_is_served_by_the_get_row) {
    auto h = match_route(table, verb::head, "/healthz");
    BOOST_TEST((h.result == route_outcome::found));
    BOOST_TEST(h.matched == &table[0]);
    auto id = match_route(table, verb::head, "/v1/customers/WAz8eIbvDR60rouK");
    BOOST_TEST((id.result == route_outcome::found));
    BOOST_TEST(id.matched == &table[3]);
    BOOST_TEST(id.params[0] == "WAz8eIbvDR60rouK");
    BOOST_TEST((match_route(table, verb::head, "/nope").result == route_outcome::not_found));
}

BOOST_AUTO_TEST_CASE(a_head_row_wins_over_the_get_row) {
    constexpr auto with_head = std::to_array<route<no_context>>({
        {verb::get, "/x", &dummy},
        {verb::head, "/x", &dummy},
    });
    auto h = match_route(with_head, verb::head, "/x");
    BOOST_TEST(h.matched == &with_head[1]);
    BOOST_TEST(match_route(with_head, verb::post, "/x").allow == "GET, HEAD");
}

BOOST_AUTO_TEST_CASE(head_is_not_allowed_where_get_is_not) {
    constexpr auto post_only = std::to_array<route<no_context>>({{verb::post, "/x", &dummy}});
    auto h = match_route(post_only, verb::head, "/x");
    BOOST_TEST((h.result == route_outcome::method_not_allowed));
    BOOST_TEST(h.allow == "POST");
}

BOOST_AUTO_TEST_CASE(target_splits_at_first_question_mark) {
    std::string_view path, query;
    split_target("/v1/customers?limit=10&active=true", path, query);
    BOOST_TEST(path == "/v1/customers");
    BOOST_TEST(query == "limit=10&active=true");
    split_target("/healthz", path, query);
    BOOST_TEST(path == "/healthz");
    BOOST_TEST(query.empty());
    split_target("/x?a?b", path, query);
    BOOST_TEST(query == "a?b");
}

BOOST_AUTO_TEST_SUITE_END()
