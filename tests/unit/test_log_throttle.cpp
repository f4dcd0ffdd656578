// log::throttle: the first line of a kind passes, then one per interval with
// the count of those held back; kinds are independent and bounded.
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

#include <boost/test/unit_test.hpp>

#include "customers/util/log_throttle.hpp"

namespace log = customers::log;
using namespace std::chrono_literals;
using clock_type = log::throttle::clock;

BOOST_AUTO_TEST_SUITE(log_throttle)

BOOST_AUTO_TEST_CASE(one_line_per_interval_with_the_count_held_back) {
    log::throttle t(10s);
    const auto t0 = clock_type::time_point{} + 1h;
    BOOST_TEST((t.admit("update READONLY", t0) == std::optional<std::uint64_t>(0)));
    for (int i = 1; i <= 41; ++i)
        BOOST_TEST(!t.admit("update READONLY", t0 + i * 200ms).has_value());
    BOOST_TEST(!t.admit("update READONLY", t0 + 9999ms).has_value());
    // The interval has passed: this one goes out and reports the 42 held back.
    BOOST_TEST((t.admit("update READONLY", t0 + 10s) == std::optional<std::uint64_t>(42)));
    BOOST_TEST(!t.admit("update READONLY", t0 + 11s).has_value());
    // After a quiet spell the next line passes with what the window held.
    BOOST_TEST((t.admit("update READONLY", t0 + 1h) == std::optional<std::uint64_t>(1)));
    BOOST_TEST((t.admit("update READONLY", t0 + 2h) == std::optional<std::uint64_t>(0)));
}

BOOST_AUTO_TEST_CASE(kinds_are_throttled_apart) {
    log::throttle t(1s);
    const auto t0 = clock_type::time_point{} + 1h;
    BOOST_TEST(t.admit("create READONLY", t0).has_value());
    BOOST_TEST(t.admit("update READONLY", t0).has_value());
    BOOST_TEST(t.admit("update BUSY", t0).has_value());
    BOOST_TEST(!t.admit("update READONLY", t0 + 1ms).has_value());
    BOOST_TEST(!t.admit("create READONLY", t0 + 1ms).has_value());
}

BOOST_AUTO_TEST_CASE(ever_new_kinds_stay_bounded) {
    log::throttle t(1s, 4);
    const auto t0 = clock_type::time_point{} + 1h;
    int admitted = 0;
    for (int i = 0; i < 1000; ++i)
        if (t.admit("kind " + std::to_string(i), t0 + i * 1us)) ++admitted;
    // Four kinds of their own, then one shared window for the rest.
    BOOST_TEST(admitted == 5);
    // Once the tracked kinds have been quiet for an interval, new ones get
    // their own window again.
    BOOST_TEST((t.admit("fresh kind", t0 + 2s) == std::optional<std::uint64_t>(0)));
    BOOST_TEST(!t.admit("fresh kind", t0 + 2s + 1ms).has_value());
}

BOOST_AUTO_TEST_SUITE_END()
