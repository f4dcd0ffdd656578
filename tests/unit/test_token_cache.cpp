// The auth cache's memory of tokens (api::token_cache, util::expiring_lru):
// bounds, least-recently-used eviction, expiry, and known tokens kept apart
// from unknown ones. Time is passed in, so nothing here sleeps.

#include <string>

#include <boost/test/unit_test.hpp>

#include "customers/api/token_cache.hpp"
#include "customers/util/expiring_lru.hpp"

using namespace customers;
using namespace std::chrono_literals;
using status = api::token_cache::status;

namespace {

const api::token_cache::clock::time_point t0{};

api::token_cache make_cache(std::size_t max_known, std::size_t max_unknown) {
    api::token_cache_settings s;
    s.max_known = max_known;
    s.max_unknown = max_unknown;
    return api::token_cache(s);
}

status look(api::token_cache& c, const std::string& digest,
            api::token_cache::clock::time_point now = t0) {
    std::string project;
    return c.find(digest, now, project);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(token_cache)

BOOST_AUTO_TEST_CASE(a_flood_of_bogus_tokens_cannot_evict_valid_ones) {
    auto cache = make_cache(100, 10);
    for (int i = 0; i < 100; ++i)
        cache.remember_known("valid" + std::to_string(i), "proj" + std::to_string(i), t0);
    for (int i = 0; i < 10'000; ++i) {
        const std::string bogus = "bogus" + std::to_string(i);
        BOOST_REQUIRE(look(cache, bogus) == status::absent);
        cache.remember_unknown(bogus, t0);
    }
    for (int i = 0; i < 100; ++i) {
        std::string project;
        BOOST_TEST((cache.find("valid" + std::to_string(i), t0, project) == status::known));
        BOOST_TEST(project == "proj" + std::to_string(i));
    }
    // The newest bogus tokens are still remembered as unknown.
    BOOST_TEST((look(cache, "bogus9999") == status::unknown));
}

BOOST_AUTO_TEST_CASE(each_side_has_its_own_bound_and_drops_one_entry_when_full) {
    auto cache = make_cache(3, 2);
    for (std::string d : {"a", "b", "c"}) cache.remember_known(d, "p", t0);
    BOOST_TEST((look(cache, "a") == status::known));  // a is now the most recently used
    cache.remember_known("d", "p", t0);
    BOOST_TEST(cache.known_size() == 3u);
    BOOST_TEST((look(cache, "b") == status::absent));  // the least recently used went
    for (std::string d : {"a", "c", "d"}) BOOST_TEST((look(cache, d) == status::known), d);

    for (std::string d : {"x", "y", "z"}) cache.remember_unknown(d, t0);
    BOOST_TEST(cache.unknown_size() == 2u);
    BOOST_TEST((look(cache, "x") == status::absent));
    BOOST_TEST((look(cache, "y") == status::unknown));
    BOOST_TEST((look(cache, "z") == status::unknown));
    BOOST_TEST(cache.known_size() == 3u);  // untouched by the unknown side
}

BOOST_AUTO_TEST_CASE(entries_expire_after_their_ttl) {
    api::token_cache cache;  // 5 s for known tokens, 1 s for unknown ones
    cache.remember_known("k", "p", t0);
    cache.remember_unknown("u", t0);
    BOOST_TEST((look(cache, "k", t0 + 4999ms) == status::known));
    BOOST_TEST((look(cache, "u", t0 + 999ms) == status::unknown));
    BOOST_TEST((look(cache, "u", t0 + 1s) == status::absent));
    BOOST_TEST((look(cache, "k", t0 + 5s) == status::absent));
    BOOST_TEST(cache.known_size() == 0u);  // expired entries are dropped when met
    BOOST_TEST(cache.unknown_size() == 0u);
}

BOOST_AUTO_TEST_CASE(the_newest_answer_for_a_digest_wins) {
    auto cache = make_cache(4, 4);
    cache.remember_unknown("t", t0);
    cache.remember_known("t", "p", t0);  // created since
    BOOST_TEST((look(cache, "t") == status::known));
    cache.remember_unknown("t", t0);  // revoked since
    BOOST_TEST((look(cache, "t") == status::unknown));
    BOOST_TEST(cache.known_size() == 0u);
    BOOST_TEST(cache.unknown_size() == 1u);
}

BOOST_AUTO_TEST_CASE(lru_replaces_in_place_and_a_zero_capacity_keeps_nothing) {
    util::expiring_lru lru(2);
    lru.put("a", "1", t0 + 1s);
    lru.put("b", "2", t0 + 1s);
    lru.put("a", "3", t0 + 1s);  // replaced, and now the most recently used
    lru.put("c", "4", t0 + 1s);  // evicts b
    BOOST_TEST(lru.size() == 2u);
    BOOST_REQUIRE(lru.find("a", t0) != nullptr);
    BOOST_TEST(*lru.find("a", t0) == "3");
    BOOST_TEST(lru.find("b", t0) == nullptr);
    lru.erase("a");
    BOOST_TEST(lru.find("a", t0) == nullptr);
    BOOST_TEST(lru.size() == 1u);

    util::expiring_lru none(0);
    none.put("a", "1", t0 + 1s);
    BOOST_TEST(none.size() == 0u);
    BOOST_TEST(none.find("a", t0) == nullptr);
}

BOOST_AUTO_TEST_SUITE_END()
