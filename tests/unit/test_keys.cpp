// The bucket function of the username / external id / conversation maps.
// The Lua scripts compute the same function (src/store/scripts.cpp); these
// values pin it, so a change to either side that moves entries shows up here
// (and in the integration test that deletes what the server created).

#include <algorithm>
#include <string>
#include <vector>

#include <boost/test/unit_test.hpp>

#include "customers/store/keys.hpp"

using namespace customers::store;

BOOST_AUTO_TEST_SUITE(keys_buckets)

BOOST_AUTO_TEST_CASE(fnv1a_32_reference_values) {
    BOOST_TEST(keys::fnv1a32("") == 0x811c9dc5u);
    BOOST_TEST(keys::fnv1a32("a") == 0xe40c292cu);
    BOOST_TEST(keys::fnv1a32("foobar") == 0xbf9cf968u);
    BOOST_TEST(keys::fnv1a32("\xc3\xa9t\xc3\xa9") == 0xffb58817u);  // bytes >= 0x80 unsigned
}

BOOST_AUTO_TEST_CASE(bucket_values_and_keys) {
    static_assert(keys::buckets == 4096);
    BOOST_TEST(keys::bucket("FrankMcCallister") == 3690u);
    BOOST_TEST(keys::bucket("ext-1") == 2846u);
    BOOST_TEST(keys::bucket("xgQQXg3hrtjh7AvZ") == 1012u);
    BOOST_TEST(keys::usernames("proj_1", "FrankMcCallister") == "{proj_1}:un:3690");
    BOOST_TEST(keys::external_ids("proj_1", "ext-1") == "{proj_1}:ex:2846");
    BOOST_TEST(keys::conversations("proj_1", "xgQQXg3hrtjh7AvZ") == "{proj_1}:cv:1012");
    BOOST_TEST(keys::usernames_prefix("p") == "{p}:un:");
    BOOST_TEST(keys::external_ids_prefix("p") == "{p}:ex:");
    BOOST_TEST(keys::conversations_prefix("p") == "{p}:cv:");
}

BOOST_AUTO_TEST_CASE(buckets_spread_evenly) {
    // 100,000 seeder-like usernames over 4096 buckets: about 24 each; none
    // far above (a listpack holds hash-max-listpack-entries).
    std::vector<int> count(keys::buckets);
    for (int i = 0; i < 100'000; ++i) ++count[keys::bucket("user_" + std::to_string(i))];
    const int most = *std::max_element(count.begin(), count.end());
    const int least = *std::min_element(count.begin(), count.end());
    BOOST_TEST(most < 60);
    BOOST_TEST(least > 0);
}

BOOST_AUTO_TEST_SUITE_END()
