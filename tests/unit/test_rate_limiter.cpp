// The per-token limiter's arithmetic (GCRA) with an injected clock: burst,
// refill, Retry-After, the RateLimit header values, independence of tokens,
// sweeping idle entries, and the count under concurrent threads.

#include "customers/api/rate_limiter.hpp"

#include <thread>
#include <vector>

#include <boost/test/unit_test.hpp>

using namespace customers;
using namespace std::chrono_literals;
using api::rate_limiter;

namespace {

rate_limiter make(std::uint32_t rps, std::uint32_t burst) {
    return rate_limiter(api::rate_limit_config{rps, burst});
}

// An arbitrary monotonic origin, far from 0 like steady_clock's.
constexpr std::chrono::nanoseconds t0 = 1'000'000s;

}  // namespace

BOOST_AUTO_TEST_SUITE(rate_limit)

BOOST_AUTO_TEST_CASE(burst_then_denied_with_retry_after) {
    auto rl = make(10, 5);  // one request per 100 ms, 5 at once
    for (std::uint32_t i = 0; i < 5; ++i) {
        const auto d = rl.acquire("a", t0);
        BOOST_TEST_CONTEXT(i) {
            BOOST_TEST(d.allowed);
            BOOST_TEST(d.remaining == 4 - i);
            BOOST_TEST(d.reset_s == 1);  // at most 500 ms to refill: rounded up
        }
    }
    const auto denied = rl.acquire("a", t0);
    BOOST_TEST(!denied.allowed);
    BOOST_TEST(denied.remaining == 0u);
    BOOST_TEST(denied.retry_after_s == 1);  // 100 ms, but Retry-After is whole seconds >= 1
    BOOST_TEST(denied.reset_s == 1);
}

BOOST_AUTO_TEST_CASE(refills_at_the_sustained_rate) {
    auto rl = make(10, 5);
    for (int i = 0; i < 5; ++i) BOOST_TEST(rl.acquire("a", t0).allowed);
    BOOST_TEST(!rl.acquire("a", t0 + 99ms).allowed);
    auto d = rl.acquire("a", t0 + 100ms);
    BOOST_TEST(d.allowed);
    BOOST_TEST(d.remaining == 0u);
    BOOST_TEST(!rl.acquire("a", t0 + 150ms).allowed);
    // 250 ms later two more have refilled.
    BOOST_TEST(rl.acquire("a", t0 + 350ms).allowed);
    d = rl.acquire("a", t0 + 350ms);
    BOOST_TEST(d.allowed);
    BOOST_TEST(!rl.acquire("a", t0 + 350ms).allowed);
    // A full bucket again after (burst / rate) of silence.
    d = rl.acquire("a", t0 + 10s);
    BOOST_TEST(d.allowed);
    BOOST_TEST(d.remaining == 4u);
}

BOOST_AUTO_TEST_CASE(denied_requests_do_not_push_recovery_back) {
    auto rl = make(1, 1);
    BOOST_TEST(rl.acquire("a", t0).allowed);
    for (int i = 0; i < 100; ++i) BOOST_TEST(!rl.acquire("a", t0 + 10ms * i).allowed);
    BOOST_TEST(rl.acquire("a", t0 + 1s).allowed);
}

BOOST_AUTO_TEST_CASE(retry_after_and_reset_round_up_to_seconds) {
    auto rl = make(1, 3);  // one per second
    for (int i = 0; i < 3; ++i) BOOST_TEST(rl.acquire("a", t0).allowed);
    auto d = rl.acquire("a", t0 + 200ms);
    BOOST_TEST(!d.allowed);
    BOOST_TEST(d.retry_after_s == 1);  // 800 ms
    BOOST_TEST(d.reset_s == 3);        // 2.8 s
    d = rl.acquire("a", t0 + 1s);
    BOOST_TEST(d.allowed);
    BOOST_TEST(d.remaining == 0u);
    BOOST_TEST(d.reset_s == 3);  // exactly 3 s
    d = rl.acquire("a", t0 + 1s);
    BOOST_TEST(!d.allowed);
    BOOST_TEST(d.retry_after_s == 1);

    auto slow = make(1, 1);
    BOOST_TEST(slow.acquire("a", t0).allowed);
    BOOST_TEST(slow.acquire("a", t0 + 1ms).retry_after_s == 1);  // 999 ms
    auto slower = make(2, 1);
    BOOST_TEST(slower.acquire("a", t0).allowed);
    BOOST_TEST(slower.acquire("a", t0).retry_after_s == 1);  // 500 ms
}

BOOST_AUTO_TEST_CASE(tokens_are_independent) {
    auto rl = make(1, 2);
    BOOST_TEST(rl.acquire("a", t0).allowed);
    BOOST_TEST(rl.acquire("a", t0).allowed);
    BOOST_TEST(!rl.acquire("a", t0).allowed);
    const auto b = rl.acquire("b", t0);
    BOOST_TEST(b.allowed);
    BOOST_TEST(b.remaining == 1u);
}

BOOST_AUTO_TEST_CASE(headers_in_the_documented_format) {
    auto rl = make(100, 200);
    BOOST_TEST(rl.policy() == "100;w=1;burst=200");
    const auto d = rl.acquire("a", t0);
    BOOST_TEST(rl.header_value(d) == "limit=200, remaining=199, reset=1");
    rate_limiter::decision full;
    full.remaining = 200;
    BOOST_TEST(rl.header_value(full) == "limit=200, remaining=200, reset=0");
}

BOOST_AUTO_TEST_CASE(idle_entries_are_swept) {
    auto rl = make(1000, 10);
    constexpr int n = 50'000;  // about 780 per shard, below the first sweep
    for (int i = 0; i < n; ++i) rl.acquire("token-" + std::to_string(i), t0);
    BOOST_TEST(rl.size() == std::size_t(n));  // nothing idle yet: nothing dropped
    // A second later every old bucket is full again; new tokens sweep them.
    for (int i = 0; i < n; ++i) rl.acquire("later-" + std::to_string(i), t0 + 1s);
    BOOST_TEST(rl.size() >= std::size_t(n));
    BOOST_TEST(rl.size() < std::size_t(n) * 3 / 2);
    // A swept token starts with a full bucket, as a fresh one does.
    BOOST_TEST(rl.acquire("token-1", t0 + 2s).remaining == 9u);
    // A busy one keeps its count.
    BOOST_TEST(rl.acquire("later-1", t0 + 1s).remaining == 8u);
}

BOOST_AUTO_TEST_CASE(concurrent_threads_share_one_budget) {
    auto rl = make(1, 1000);  // the clock stands still: exactly 1000 are allowed
    std::atomic<int> allowed{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t)
        threads.emplace_back([&] {
            for (int i = 0; i < 1000; ++i)
                if (rl.acquire("shared", t0).allowed) ++allowed;
        });
    for (auto& t : threads) t.join();
    BOOST_TEST(allowed.load() == 1000);
}

BOOST_AUTO_TEST_SUITE_END()
