// redis::connection through a failover, against two real redis-servers whose
// roles are flipped with REPLICAOF. The address the connection uses is a
// unix-socket path that is a symlink, re-pointed from one server's socket to
// the other's: the way DNS moves to a new primary, but deterministic. Every
// (re)connect resolves the link again.
#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <functional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include <boost/test/unit_test.hpp>

#include "customers/redis/reply_policy.hpp"
#include "support/redis_harness.hpp"

namespace {
using namespace customers::test::redis_harness;
using customers::test::redis_server;
using customers::test::run_coro;

// A name for "the primary" that can be moved from one server to another.
class moving_name {
  public:
    explicit moving_name(const std::string& target) {
        std::string templ = "/tmp/cust-name-XXXXXX";
        if (::mkdtemp(templ.data()) == nullptr)
            throw std::runtime_error(std::string("mkdtemp: ") + std::strerror(errno));
        dir_ = templ;
        point_at(target);
    }
    ~moving_name() {
        std::error_code ignored;
        std::filesystem::remove_all(dir_, ignored);
    }
    moving_name(const moving_name&) = delete;
    moving_name& operator=(const moving_name&) = delete;

    // Atomically, as a DNS change is: a new link renamed over the old one.
    void point_at(const std::string& target) {
        const std::string next = dir_ + "/next.sock";
        std::filesystem::remove(next);
        std::filesystem::create_symlink(target, next);
        std::filesystem::rename(next, path());
    }
    std::string path() const { return dir_ + "/redis.sock"; }
    std::string url() const { return "unix://" + path(); }

  private:
    std::string dir_;
};

void replicate(redis_server& replica, const redis_server& primary) {
    const auto r = replica.command({"REPLICAOF", "127.0.0.1", std::to_string(primary.port())});
    BOOST_REQUIRE(r.is_status("OK"));
}

// Until the replica has synchronised (it answers LOADING while it loads).
void wait_for_link(const redis_server& replica) {
    for (int i = 0; i < 500; ++i) {
        const auto role = replica.command({"ROLE"});
        if (role.elements.size() >= 4 && role.elements[3].str == "connected") return;
        std::this_thread::sleep_for(10ms);
    }
    BOOST_FAIL("the replica never synchronised with its primary");
}

void promote(redis_server& replica) {
    BOOST_REQUIRE(replica.command({"REPLICAOF", "NO", "ONE"}).is_status("OK"));
}

// Sends `args` until the reply satisfies `done` or `max_attempts` were made;
// after each miss it waits for the connection to be up again (a hang guard,
// not a timing assertion). Returns the attempts used, 0 if never done, and
// collects the error codes seen on the way.
asio::awaitable<int> until_done(redis::connection& c, std::vector<std::string> args,
                                std::function<bool(const redis::reply&)> done, int max_attempts,
                                std::vector<std::string>& errors) {
    const std::vector<std::string_view> views(args.begin(), args.end());
    for (int attempt = 1; attempt <= max_attempts; ++attempt) {
        auto r = co_await c.exec(views);
        if (r && done(*r)) co_return attempt;
        errors.push_back(r ? std::string(redis::error_code_of(*r)) : r.error().message());
        co_await eventually([&c] { return c.connected(); }, 5s);
        co_await sleep_for(10ms);
    }
    co_return 0;
}

// Replicas synchronise at once (Redis 7 waits 5 s for more replicas first).
const std::vector<std::string> quick_sync{"--repl-diskless-sync-delay", "0"};

bool contains(const std::vector<std::string>& v, std::string_view s) {
    return std::find(v.begin(), v.end(), s) != v.end();
}

}  // namespace

BOOST_AUTO_TEST_SUITE(redis_failover)

BOOST_AUTO_TEST_CASE(writes_move_to_the_new_primary) {
    redis_server a(quick_sync), b(quick_sync);
    moving_name primary(a.unix_socket());
    replicate(b, a);
    connections io;
    auto& c = io.open(primary.url());
    run_coro(io.ioc, [](redis::connection& c) -> asio::awaitable<void> {
        auto r = co_await c.exec(redis::cmd("SET", "k", "before"));
        BOOST_REQUIRE(r.has_value());
        BOOST_TEST(r->is_status("OK"));
    }(c));

    // Failover: B promoted, A demoted yet still reachable, the name moved.
    promote(b);
    replicate(a, b);
    wait_for_link(a);
    primary.point_at(b.unix_socket());

    run_coro(io.ioc, [](asio::io_context& ioc, redis::connection& c) -> asio::awaitable<void> {
        // Sent together, so all are in flight when the first READONLY comes
        // back: each gets its own reply, none is cut off by the reconnect.
        std::vector<std::shared_ptr<outcome>> burst;
        for (int i = 0; i < 8; ++i)
            burst.push_back(
                spawn_exec(ioc, c, std::vector<std::string>{"SET", "b" + std::to_string(i), "x"}));
        BOOST_REQUIRE(co_await eventually(
            [&] { return std::ranges::all_of(burst, [](auto& o) { return o->done; }); }, 10s));
        for (const auto& o : burst) {
            BOOST_REQUIRE_MESSAGE(o->result.has_value(), "burst: " << o->error().message());
            BOOST_TEST(redis::error_code_of(*o->result) == "READONLY");
        }

        // Not a braced list inside co_await: GCC 12 rejects it (see redis::cmd).
        std::vector<std::string> errors, write{"SET", "k", "after"};
        const int attempts = co_await until_done(
            c, write, [](const redis::reply& r) { return r.is_status("OK"); }, 20, errors);
        BOOST_TEST_MESSAGE("write accepted after " << attempts << " attempts");
        BOOST_TEST(attempts > 0, "writes still refused after 20 attempts");
        BOOST_TEST(c.stats().failovers >= 1u);
        BOOST_TEST(c.stats().connects >= 2u);
    }(io.ioc, c));
    BOOST_TEST(b.command({"GET", "k"}).str == "after");
}

BOOST_AUTO_TEST_CASE(a_replica_is_not_taken_for_the_primary) {
    redis_server a(quick_sync), b(quick_sync);
    replicate(b, a);
    moving_name primary(b.unix_socket());  // still names the replica
    connections io;
    auto& c = io.open(primary.url(), {}, false);
    run_coro(
        io.ioc,
        [](redis::connection& c, moving_name& primary, redis_server& a) -> asio::awaitable<void> {
            BOOST_REQUIRE(co_await eventually([&c] { return c.stats().failed_connects >= 2; }, 5s));
            BOOST_TEST(!c.connected());
            BOOST_TEST(c.stats().connects == 0u);
            auto r = co_await c.exec(redis::cmd("GET", "k"));
            BOOST_TEST((!r.has_value() && r.error() == code(redis::error::not_connected)));

            primary.point_at(a.unix_socket());
            BOOST_REQUIRE(co_await eventually([&c] { return c.connected(); }, 5s));
            r = co_await c.exec(redis::cmd("SET", "k", "on the primary"));
            BOOST_REQUIRE(r.has_value());
            BOOST_TEST(r->is_status("OK"));
        }(c, primary, a));
    BOOST_TEST(a.command({"GET", "k"}).str == "on the primary");
}

BOOST_AUTO_TEST_CASE(masterdown_moves_reads_to_the_new_primary) {
    // A demoted primary whose link to its new primary is down, set up to
    // refuse stale reads: it answers MASTERDOWN even to GET.
    redis_server a({"--replica-serve-stale-data", "no"}), b;
    BOOST_REQUIRE(b.command({"SET", "k", "on b"}).is_status("OK"));
    moving_name primary(a.unix_socket());
    connections io;
    auto& c = io.open(primary.url());
    run_coro(io.ioc, [](redis::connection& c) -> asio::awaitable<void> {
        auto r = co_await c.exec(redis::cmd("GET", "k"));
        BOOST_REQUIRE(r.has_value());
        BOOST_TEST(r->is_nil());
    }(c));

    const auto nobody = customers::test::free_port();
    BOOST_REQUIRE(a.command({"REPLICAOF", "127.0.0.1", std::to_string(nobody)}).is_status("OK"));
    primary.point_at(b.unix_socket());

    run_coro(io.ioc, [](redis::connection& c) -> asio::awaitable<void> {
        std::vector<std::string> errors, read{"GET", "k"};
        const int attempts = co_await until_done(
            c, read, [](const redis::reply& r) { return r.str == "on b"; }, 20, errors);
        BOOST_TEST(attempts > 0, "reads still refused after 20 attempts");
        BOOST_TEST(contains(errors, "MASTERDOWN"));
        BOOST_TEST(c.stats().failovers >= 1u);
    }(c));
}

BOOST_AUTO_TEST_SUITE_END()
