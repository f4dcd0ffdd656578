// Listing (API.md §5): order, cursors both ways, has_more, filters, and a
// walk that stays exact while other customers come and go.

#include <atomic>
#include <set>
#include <thread>

#include <boost/test/unit_test.hpp>

#include "support/api_fixture.hpp"

using namespace customers;
using test::json_object;

namespace {

struct page {
    std::vector<std::string> ids;
    bool has_more = false;
};

page list(test::api_fixture& f, const std::string& query) {
    auto r = f.call("GET", "/v1/customers?" + query);
    BOOST_REQUIRE_MESSAGE(r.result_int() == 200, query << ": " << r.body());
    const auto o = json_object(r);
    page p;
    p.has_more = o.at("has_more").as_bool();
    for (const auto& c : o.at("data").as_array()) p.ids.emplace_back(c.at("id").as_string());
    return p;
}

// Every id, newest first, by walking forward with starting_after.
std::vector<std::string> walk_forward(test::api_fixture& f, int limit,
                                      const std::string& filter = {}) {
    std::vector<std::string> all;
    std::string query = "limit=" + std::to_string(limit) + filter;
    for (int guard = 0; guard < 10000; ++guard) {
        page p = list(f, query);
        all.insert(all.end(), p.ids.begin(), p.ids.end());
        if (!p.has_more) {
            BOOST_TEST(p.ids.size() <= static_cast<std::size_t>(limit));
            break;
        }
        BOOST_TEST(p.ids.size() == static_cast<std::size_t>(limit));
        query = "limit=" + std::to_string(limit) + filter + "&starting_after=" + p.ids.back();
    }
    return all;
}

}  // namespace

BOOST_FIXTURE_TEST_SUITE(api_pagination, test::api_fixture)

BOOST_AUTO_TEST_CASE(walks_both_ways_over_hundreds) {
    std::vector<std::string> created;  // oldest first
    for (int i = 0; i < 230; ++i)
        created.emplace_back(create("walker" + std::to_string(i)).at("id").as_string());
    const std::vector<std::string> newest_first(created.rbegin(), created.rend());

    BOOST_TEST(list(*this, "").ids.size() == 10u);  // default limit
    for (int limit : {1, 7, 10, 100}) {
        BOOST_TEST_CONTEXT("limit " << limit) {
            BOOST_TEST(walk_forward(*this, limit) == newest_first,
                       boost::test_tools::per_element());
        }
    }
    // Backward from the oldest with ending_before: each page is newest first
    // and has_more says whether newer ones remain.
    std::vector<std::string> back;
    std::string cursor = created.front();
    back.push_back(cursor);
    for (;;) {
        page p = list(*this, "limit=9&ending_before=" + cursor);
        BOOST_REQUIRE(!p.ids.empty());
        BOOST_TEST(std::is_sorted(p.ids.rbegin(), p.ids.rend()));
        back.insert(back.end(), p.ids.rbegin(), p.ids.rend());
        cursor = p.ids.front();
        if (!p.has_more) break;
        BOOST_TEST(p.ids.size() == 9u);
    }
    BOOST_TEST(back == created, boost::test_tools::per_element());
    // At either end, has_more is false and pages are empty past the end.
    BOOST_TEST(!list(*this, "limit=5&starting_after=" + created.front()).has_more);
    BOOST_TEST(list(*this, "limit=5&starting_after=" + created.front()).ids.empty());
    BOOST_TEST(list(*this, "limit=5&ending_before=" + created.back()).ids.empty());
    BOOST_TEST(list(*this, "limit=100&ending_before=" + created[101]).has_more == true);
    BOOST_TEST(list(*this, "limit=100&ending_before=" + created[100]).has_more == true);
    BOOST_TEST(list(*this, "limit=100&ending_before=" + created[129]).has_more == false);
}

BOOST_AUTO_TEST_CASE(cursor_of_a_deleted_customer_still_works) {
    std::vector<std::string> ids;
    for (int i = 0; i < 6; ++i)
        ids.emplace_back(create("gone" + std::to_string(i)).at("id").as_string());
    BOOST_TEST(call("DELETE", "/v1/customers/" + ids[3]).result_int() == 204u);
    page after = list(*this, "limit=2&starting_after=" + ids[3]);
    BOOST_TEST(after.ids == (std::vector<std::string>{ids[2], ids[1]}),
               boost::test_tools::per_element());
    BOOST_TEST(after.has_more);
    page before = list(*this, "limit=10&ending_before=" + ids[3]);
    BOOST_TEST(before.ids == (std::vector<std::string>{ids[5], ids[4]}),
               boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(filters_combine_with_each_other_and_cursors) {
    std::map<std::string, std::pair<bool, bool>> truth;  // id -> (terminated, flagged)
    for (int i = 0; i < 40; ++i) {
        const bool flagged = i % 3 == 0;
        auto c = create("filt" + std::to_string(i),
                        flagged ? "is_flagged=true&external_id=e" + std::to_string(i) : "");
        const std::string id(c.at("id").as_string());
        const bool terminated = i % 4 == 0;
        if (terminated)
            BOOST_TEST(call("PATCH", "/v1/customers/" + id, "status=terminated").result_int() ==
                       200u);
        truth[id] = {terminated, flagged};
    }
    auto expect = [&](auto pred) {
        std::vector<std::string> out;
        for (auto it = truth.rbegin(); it != truth.rend(); ++it)
            if (pred(it->second.first, it->second.second)) out.push_back(it->first);
        return out;
    };
    auto check = [&](const std::string& filter, auto pred) {
        BOOST_TEST_CONTEXT(filter) {
            BOOST_TEST(walk_forward(*this, 3, filter) == expect(pred),
                       boost::test_tools::per_element());
        }
    };
    check("&active=true", [](bool t, bool) { return !t; });
    check("&active=false", [](bool t, bool) { return t; });
    check("&status=terminated", [](bool t, bool) { return t; });
    check("&status=active&is_flagged=true", [](bool t, bool f) { return !t && f; });
    check("&is_flagged=false", [](bool, bool f) { return !f; });
    check("&active=true&status=terminated", [](bool, bool) { return false; });

    page one = list(*this, "external_id=e3");
    BOOST_REQUIRE(one.ids.size() == 1u);
    BOOST_TEST(!one.has_more);
    BOOST_TEST(list(*this, "external_id=e3&active=true").ids.size() == 1u);  // 3 % 4 != 0
    BOOST_TEST(list(*this, "external_id=e0&active=true").ids.empty());       // 0 is terminated
    BOOST_TEST(list(*this, "external_id=nope").ids.empty());
    BOOST_TEST(list(*this, "external_id=e3&starting_after=" + one.ids[0]).ids.empty());
}

BOOST_AUTO_TEST_CASE(bad_list_parameters_are_400) {
    for (std::string q :
         {"limit=0", "limit=101", "limit=abc", "starting_after=bad", "ending_before=x*",
          "starting_after=WAz8eIbvDR60rouK&ending_before=WAz8eIbvDR60rouK", "active=maybe",
          "status=gone", "is_flagged=2", "unknown=1"}) {
        auto r = call("GET", "/v1/customers?" + q);
        BOOST_TEST(r.result_int() == 400u, q);
        BOOST_TEST(json_object(r).contains("param"), q);
    }
    auto r = call("GET", "/v1/customers?limit=0");
    BOOST_TEST(json_object(r).at("message").as_string() == "limit must be between 1 and 100");
}

BOOST_AUTO_TEST_CASE(walk_is_exact_while_others_come_and_go) {
    std::vector<std::string> steady;
    for (int i = 0; i < 150; ++i)
        steady.emplace_back(create("steady" + std::to_string(i)).at("id").as_string());
    std::atomic<bool> stop{false};
    std::atomic<int> churned{0};
    // No Boost.Test assertions off the main thread: they are not thread-safe.
    std::thread churn([&] {
        for (int i = 0; !stop && i < 2000; ++i) {
            auto r = call("POST", "/v1/customers",
                          "username=churn" + std::to_string(i) + "&phone_number=123");
            if (r.result_int() != 201) continue;
            if (i % 2 == 0)
                call("DELETE", "/v1/customers/" + std::string(json_object(r).at("id").as_string()));
            ++churned;
        }
    });
    std::vector<std::string> seen;
    for (int round = 0; round < 3; ++round) {
        seen = walk_forward(*this, 7);
        std::set<std::string> unique(seen.begin(), seen.end());
        BOOST_TEST(unique.size() == seen.size());                          // nothing repeated
        for (const auto& id : steady) BOOST_TEST(unique.count(id) == 1u);  // nothing skipped
        BOOST_TEST(std::is_sorted(seen.rbegin(), seen.rend()));
    }
    stop = true;
    churn.join();
    BOOST_TEST(churned > 0);
}

BOOST_AUTO_TEST_SUITE_END()
