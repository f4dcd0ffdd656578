#include <algorithm>
#include <chrono>
#include <set>

#include <boost/test/unit_test.hpp>

#include "customers/domain/ids.hpp"

using namespace customers::domain;

BOOST_AUTO_TEST_SUITE(ids)

BOOST_AUTO_TEST_CASE(new_ids_have_the_contract_format) {
    for (int i = 0; i < 1000; ++i) {
        const std::string id = new_id();
        BOOST_TEST(id.size() == 16u);
        BOOST_TEST(is_valid_id(id));
        BOOST_TEST((std::all_of(id.begin(), id.end(), [](char c) {
            return std::isalnum(static_cast<unsigned char>(c));
        })));
    }
}

BOOST_AUTO_TEST_CASE(ids_made_one_after_another_sort_in_creation_order) {
    // Far more ids than microseconds pass: the time part must still grow.
    std::vector<std::string> made;
    for (int i = 0; i < 20000; ++i) made.push_back(new_id());
    BOOST_TEST(std::is_sorted(made.begin(), made.end()));
    BOOST_TEST(std::set<std::string>(made.begin(), made.end()).size() == made.size());
    const bool time_parts_grow =
        std::adjacent_find(made.begin(), made.end(), [](const auto& a, const auto& b) {
            return id_micros(a) >= id_micros(b);
        }) == made.end();
    BOOST_TEST(time_parts_grow);
}

BOOST_AUTO_TEST_CASE(byte_order_is_time_order) {
    const std::string earlier = make_id(1'700'000'000'000'000ULL, 999'999);
    const std::string later = make_id(1'700'000'000'000'001ULL, 0);
    BOOST_TEST(earlier < later);
    BOOST_TEST(id_micros(earlier) == 1'700'000'000'000'000ULL);
    BOOST_TEST(id_micros(later) == 1'700'000'000'000'001ULL);
    // The alphabet is in ASCII order: '9' < 'A' < 'Z' < 'a'.
    BOOST_TEST(make_id(9, 0) < make_id(10, 0));
    BOOST_TEST(make_id(35, 0) < make_id(36, 0));
}

BOOST_AUTO_TEST_CASE(now_is_encoded_in_the_time_part) {
    const auto now =
        static_cast<std::uint64_t>(std::chrono::duration_cast<std::chrono::microseconds>(
                                       std::chrono::system_clock::now().time_since_epoch())
                                       .count());
    const std::uint64_t t = id_micros(new_id());
    BOOST_TEST(t + 5'000'000 > now);
    BOOST_TEST(t < now + 5'000'000);
}

BOOST_AUTO_TEST_CASE(malformed_ids_are_rejected) {
    for (std::string_view bad :
         {"", "abc", "WAz8eIbvDR60rou", "WAz8eIbvDR60rouKx", "WAz8eIbvDR60rou*", "WAz8eIbvDR60ro{}",
          "WAz8eIbvDR60ro:1", "WAz8eIbvDR60r../", "WAz8eIbvDR60rou ", "WAz8eIbvDR60rou\xc3"}) {
        BOOST_TEST_CONTEXT(bad) {
            BOOST_TEST(!is_valid_id(bad));
        }
    }
    BOOST_TEST(is_valid_id("WAz8eIbvDR60rouK"));
}

BOOST_AUTO_TEST_SUITE_END()
