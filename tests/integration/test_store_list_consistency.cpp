// A list page is one consistent read: walks through the pages while a second
// connection flips statuses and flags, moves an external id between two
// customers and creates and deletes others. Properties only: no customer
// that existed throughout is skipped or repeated, and no row contradicts the
// filter it was listed under.

#include <ctime>
#include <exception>
#include <map>
#include <set>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/test/unit_test.hpp>

#include "customers/store/customer_store.hpp"
#include "support/redis_harness.hpp"

using namespace customers;
using namespace customers::test::redis_harness;
using customers::test::run_coro;

namespace {

const std::string project = "proj_walk";

domain::customer_input new_customer(const std::string& username,
                                    std::optional<std::string> external_id = {}) {
    domain::customer_input in;
    in.username = username;
    in.phone_number = "123";
    if (external_id) in.external_id = std::optional<std::string>(*external_id);
    return in;
}

asio::awaitable<std::string> create(store::customer_store& s, domain::customer_input in) {
    auto c = co_await s.create(project, in);
    BOOST_REQUIRE(c.has_value());
    co_return c->id;
}

// The customers the writer changes, by what it changes about them.
struct population {
    std::string oldest;                  // never touched: the backward walks' cursor
    std::vector<std::string> flag_only;  // flag flips: always active
    std::vector<std::string> status;     // status and flag flips
    std::string steady_external;         // holds "steady-x" throughout, flag flips
    std::string swap_a, swap_b;          // "swap-x" moves between them
};

struct walk_result {
    std::vector<domain::customer> rows;  // in the order listed, newest first
};

// Every page of one walk: forward with starting_after, or backward with
// ending_before from `cursor`.
asio::awaitable<walk_result> walk(store::customer_store& s, store::list_query q, bool backward,
                                  const std::string& cursor = {}) {
    walk_result out;
    if (backward) q.ending_before = cursor;
    for (int guard = 0; guard < 1000; ++guard) {
        auto page = co_await s.list(project, q);
        BOOST_REQUIRE(page.has_value());
        if (backward)
            out.rows.insert(out.rows.begin(), page->data.begin(), page->data.end());
        else
            out.rows.insert(out.rows.end(), page->data.begin(), page->data.end());
        if (!page->has_more || page->data.empty()) co_return out;
        if (backward)
            q.ending_before = page->data.front().id;
        else
            q.starting_after = page->data.back().id;
    }
    BOOST_FAIL("a walk did not end");
    co_return out;
}

// Each id in `expected` exactly once, nothing twice, newest first.
void check_complete(const walk_result& w, const std::vector<std::string>& expected,
                    const std::string& what) {
    std::map<std::string, int> seen;
    for (const auto& c : w.rows) ++seen[c.id];
    for (const auto& [id, n] : seen) BOOST_TEST(n == 1, what << ": " << id << " listed " << n);
    for (const auto& id : expected) BOOST_TEST(seen.count(id) == 1u, what << ": skipped " << id);
    for (std::size_t i = 1; i < w.rows.size(); ++i)
        BOOST_TEST(w.rows[i - 1].id > w.rows[i].id, what << ": out of order");
}

// The writer: one change after another on its own connection until `stop`.
asio::awaitable<void> churn(store::customer_store& s, const population& p, const bool& stop,
                            int& changes) {
    std::vector<std::string> made;
    domain::customer_input flag, status, drop_x, take_x;
    drop_x.external_id = std::optional<std::string>();
    take_x.external_id = std::optional<std::string>("swap-x");
    const auto now = static_cast<std::int64_t>(std::time(nullptr));
    for (int i = 0; !stop; ++i) {
        flag.is_flagged = i / 7 % 2 == 0;
        status.terminated = i / 5 % 2 == 0;
        status.is_flagged = flag.is_flagged;
        const auto& pick_flag = p.flag_only[i % p.flag_only.size()];
        const auto& pick_status = p.status[i % p.status.size()];
        int failed = 0;  // transport failures: back off instead of spinning
        auto note = [&failed](const auto& r) {
            if (!r && r.error() == store::error::unavailable) ++failed;
        };
        note(co_await s.update(project, pick_flag, flag, now));
        note(co_await s.update(project, pick_status, status, now));
        note(co_await s.update(project, p.steady_external, status, now));
        // swap-x: from a to b and back, one owner or none at any instant.
        const bool to_b = i % 2 == 0;
        note(co_await s.update(project, to_b ? p.swap_a : p.swap_b, drop_x, now));
        note(co_await s.update(project, to_b ? p.swap_b : p.swap_a, take_x, now));
        auto c = co_await s.create(project, new_customer("churn" + std::to_string(i)));
        note(c);
        if (c) made.push_back(c->id);
        if (made.size() > 3) {
            note(co_await s.remove(project, made.front()));
            made.erase(made.begin());
        }
        if (failed > 0)
            co_await sleep_for(20ms);
        else
            changes += 7;
    }
}

// The walks, `rounds` times over: every page checked against what existed
// throughout and against the filter it was listed under.
asio::awaitable<void> check_walks(store::customer_store& reader, const population& p, int& rounds) {
    std::vector<std::string> throughout = p.flag_only;
    throughout.insert(throughout.end(), p.status.begin(), p.status.end());
    throughout.insert(throughout.end(), {p.steady_external, p.swap_a, p.swap_b});
    for (; rounds < 40; ++rounds) {
        for (std::size_t limit : {3u, 5u}) {
            store::list_query all;
            all.limit = limit;
            auto forward = co_await walk(reader, all, false);
            std::vector<std::string> expected = throughout;
            expected.push_back(p.oldest);
            check_complete(forward, expected, "forward");
            check_complete(co_await walk(reader, all, true, p.oldest), throughout, "backward");

            store::list_query active = all;
            active.terminated = false;
            auto a = co_await walk(reader, active, rounds % 2 == 1, p.oldest);
            if (rounds % 2 == 0) {
                std::vector<std::string> always_active = p.flag_only;
                always_active.push_back(p.oldest);
                check_complete(a, always_active, "active=true");
            } else {
                check_complete(a, p.flag_only, "active=true, backward");
            }
            for (const auto& c : a.rows)
                BOOST_TEST(!c.terminated, "active=true listed terminated " << c.id);

            store::list_query flagged = all;
            flagged.is_flagged = true;
            for (const auto& c : (co_await walk(reader, flagged, false)).rows)
                BOOST_TEST(c.is_flagged, "is_flagged=true listed unflagged " << c.id);
        }
        for (int i = 0; i < 10; ++i) {
            store::list_query swap;
            swap.external_id = "swap-x";
            auto page = co_await reader.list(project, swap);
            BOOST_REQUIRE(page.has_value());
            BOOST_TEST(page->data.size() <= 1u);
            for (const auto& c : page->data)
                BOOST_TEST((c.external_id == std::optional<std::string>("swap-x")),
                           "external_id=swap-x listed " << c.id << " without it");
            store::list_query steady;
            steady.external_id = "steady-x";
            auto held = co_await reader.list(project, steady);
            BOOST_REQUIRE(held.has_value());
            BOOST_TEST(held->data.size() == 1u, "external_id=steady-x missed");
        }
    }
}

}  // namespace

BOOST_FIXTURE_TEST_SUITE(store_list_consistency, redis_fixture)

BOOST_AUTO_TEST_CASE(walks_under_concurrent_changes_skip_repeat_and_mismatch_nothing) {
    // Deadlines far above any stall of a loaded machine: this test is about
    // what a page shows, not about timeouts.
    redis::connection_config cfg = fast_config(server.url());
    cfg.command_timeout = 20s;
    redis::connection& reader_conn = io.open(cfg);
    redis::connection& writer_conn = io.open(cfg);
    // Registered after the first connect: the first EVALSHA of each script
    // loads it (NOSCRIPT), as after a Redis restart.
    store::customer_store::register_scripts(reader_conn);
    store::customer_store::register_scripts(writer_conn);
    store::customer_store reader(reader_conn), writer(writer_conn);

    population p;
    run_coro(io.ioc, [&]() -> asio::awaitable<void> {
        p.oldest = co_await create(writer, new_customer("oldest"));
        for (int i = 0; i < 12; ++i) {
            p.flag_only.push_back(co_await create(writer, new_customer("f" + std::to_string(i))));
            p.status.push_back(co_await create(writer, new_customer("s" + std::to_string(i))));
        }
        p.steady_external = co_await create(writer, new_customer("x", "steady-x"));
        p.swap_a = co_await create(writer, new_customer("a", "swap-x"));
        p.swap_b = co_await create(writer, new_customer("b"));
    }());
    bool stop = false, writer_done = false;
    int changes = 0;
    asio::co_spawn(
        io.ioc,
        [&]() -> asio::awaitable<void> {
            co_await churn(writer, p, stop, changes);
            writer_done = true;
        },
        asio::detached);

    int rounds = 0;
    // The writer stops however the walks end (a failed BOOST_REQUIRE throws).
    std::exception_ptr failure;
    try {
        run_coro(io.ioc, check_walks(reader, p, rounds), std::chrono::seconds(120));
    } catch (...) {
        failure = std::current_exception();
    }
    stop = true;
    run_coro(io.ioc, eventually([&] { return writer_done; }, 30s), 40s);
    if (failure) std::rethrow_exception(failure);
    BOOST_TEST(rounds == 40);
    BOOST_TEST_MESSAGE(changes << " changes while walking");
    BOOST_TEST(changes > 0);
}

BOOST_AUTO_TEST_SUITE_END()
