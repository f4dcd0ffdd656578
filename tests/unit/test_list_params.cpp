#include <boost/test/unit_test.hpp>

#include "customers/api/list_params.hpp"
#include "customers/store/list_merge.hpp"

using namespace customers;

namespace {
std::string param_of(std::string_view query) {
    store::list_query q;
    auto e = api::parse_list_query(query, q);
    return e ? e->param : std::string("<accepted>");
}
}  // namespace

BOOST_AUTO_TEST_SUITE(list_params)

BOOST_AUTO_TEST_CASE(defaults_and_seed_query) {
    store::list_query q;
    BOOST_TEST(!api::parse_list_query("", q));
    BOOST_TEST(q.limit == 10u);
    BOOST_TEST(!q.terminated.has_value());
    store::list_query seed;
    BOOST_TEST(!api::parse_list_query("active=true&limit=10", seed));
    BOOST_TEST(seed.terminated.value() == false);
    BOOST_TEST(seed.limit == 10u);
}

BOOST_AUTO_TEST_CASE(limit_bounds) {
    BOOST_TEST(param_of("limit=1") == "<accepted>");
    BOOST_TEST(param_of("limit=100") == "<accepted>");
    for (std::string_view bad : {"limit=0", "limit=101", "limit=abc", "limit=", "limit=-1",
                                 "limit=1.5", "limit=99999999999999999999"})
        BOOST_TEST(param_of(bad) == "limit", bad);
    store::list_query q;
    auto e = api::parse_list_query("limit=0", q);
    BOOST_TEST(e->message == "limit must be between 1 and 100");
}

BOOST_AUTO_TEST_CASE(cursors) {
    store::list_query q;
    BOOST_TEST(!api::parse_list_query("starting_after=WAz8eIbvDR60rouK", q));
    BOOST_TEST(q.starting_after.value() == "WAz8eIbvDR60rouK");
    BOOST_TEST(param_of("starting_after=WAz8eIbvDR60rouK&ending_before=hSIhXBhNe8X1d8Et") ==
               "ending_before");
    for (std::string_view bad :
         {"starting_after=short", "ending_before=WAz8eIbvDR60rou*",
          "starting_after=%7BWAz8eIbvDR60ro%7D", "ending_before=../../etc/passwd"})
        BOOST_TEST(param_of(bad) != "<accepted>", bad);
}

BOOST_AUTO_TEST_CASE(filters) {
    store::list_query q;
    BOOST_TEST(!api::parse_list_query("status=terminated&is_flagged=false&external_id=crm%201", q));
    BOOST_TEST(q.terminated.value());
    BOOST_TEST(!q.is_flagged.value());
    BOOST_TEST(q.external_id.value() == "crm 1");
    BOOST_TEST(!q.contradictory);
    store::list_query both;
    BOOST_TEST(!api::parse_list_query("active=true&status=terminated", both));
    BOOST_TEST(both.contradictory);
    store::list_query agree;
    BOOST_TEST(!api::parse_list_query("active=false&status=terminated", agree));
    BOOST_TEST(!agree.contradictory);
    BOOST_TEST(param_of("active=yes") == "active");
    BOOST_TEST(param_of("status=deleted") == "status");
    BOOST_TEST(param_of("is_flagged=1") == "is_flagged");
    BOOST_TEST(param_of("external_id=") == "external_id");
    BOOST_TEST(param_of("sort=asc") == "sort");
    BOOST_TEST(param_of("limit=5&limit=6") == "limit");
}

// The filter takes exactly the external_ids a customer can have, and says
// what is wrong in the same words as a create or update would.
BOOST_AUTO_TEST_CASE(external_id_filter_follows_the_customer_rule) {
    const std::vector<std::pair<std::string, std::string>> cases{
        {"crm-1", "crm-1"},
        {"crm%20id%20%231%20~", "crm id #1 ~"},
        {std::string(128, 'x'), std::string(128, 'x')},
        {std::string(129, 'x'), std::string(129, 'x')},
        {"tab%09here", "tab\there"},
        {"caf%C3%A9", "caf\xc3\xa9"},
    };
    for (const auto& [encoded, value] : cases) {
        store::list_query q;
        const auto filter = api::parse_list_query("external_id=" + encoded, q);
        domain::customer_input in;
        in.external_id = value;
        const auto body = domain::validate(in, domain::operation::update);
        BOOST_TEST_CONTEXT(encoded.substr(0, 20)) {
            BOOST_TEST(filter.has_value() == body.has_value());
            if (filter && body) {
                BOOST_TEST(filter->param == body->param);
                BOOST_TEST(filter->message == body->message);
            }
        }
    }
}

BOOST_AUTO_TEST_CASE(merge_forward_takes_newest_beyond_cursor) {
    // Two partitions, newest first, each limited to limit + 1.
    auto m = store::merge_ranges({{"0009", "0006", "0003"}, {"0008", "0007", "0001"}}, 2, false);
    BOOST_TEST(m.ids == (std::vector<std::string>{"0009", "0008"}),
               boost::test_tools::per_element());
    BOOST_TEST(m.has_more);
    auto last = store::merge_ranges({{"0002"}, {"0001"}}, 2, false);
    BOOST_TEST(last.ids.size() == 2u);
    BOOST_TEST(!last.has_more);
}

BOOST_AUTO_TEST_CASE(merge_backward_returns_page_newest_first) {
    // ending_before: ranges come oldest first (just above the cursor).
    auto m = store::merge_ranges({{"0004", "0006", "0009"}, {"0005", "0007", "0008"}}, 3, true);
    BOOST_TEST(m.ids == (std::vector<std::string>{"0006", "0005", "0004"}),
               boost::test_tools::per_element());
    BOOST_TEST(m.has_more);
    auto none = store::merge_ranges({{}, {}}, 3, true);
    BOOST_TEST(none.ids.empty());
    BOOST_TEST(!none.has_more);
}

BOOST_AUTO_TEST_CASE(merge_drops_a_customer_seen_in_two_partitions) {
    auto m = store::merge_ranges({{"0005", "0003"}, {"0005", "0004"}}, 10, false);
    BOOST_TEST(m.ids == (std::vector<std::string>{"0005", "0004", "0003"}),
               boost::test_tools::per_element());
}

BOOST_AUTO_TEST_SUITE_END()
