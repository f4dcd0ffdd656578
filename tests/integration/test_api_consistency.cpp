// All-or-nothing writes and list cost: concurrent creates of one username,
// no partial data after rejected requests, and a list request whose Redis
// work does not grow with the number of customers.

#include <thread>

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/test/unit_test.hpp>

#include "customers/domain/ids.hpp"
#include "customers/redis/connection.hpp"
#include "customers/store/keys.hpp"
#include "support/api_fixture.hpp"
#include "support/run_coro.hpp"

using namespace customers;
using test::json_object;

namespace {

struct two_threads : test::api_fixture {
    two_threads() : test::api_fixture(2) {}
};

// Every key and its type and length: a fingerprint of what Redis holds.
std::string snapshot(test::redis_server& redis) {
    std::string out;
    auto keys = redis.command({"KEYS", "*"});
    std::vector<std::string> names;
    for (const auto& k : keys.elements) names.push_back(k.str);
    std::sort(names.begin(), names.end());
    for (const auto& k : names) out += k + "=" + redis.command({"DUMP", k}).str + "\n";
    return out;
}

// Entries in all buckets of one bucketed map ("{P}:ex:" etc.).
long long bucketed_entries(test::redis_server& redis, const std::string& prefix) {
    long long n = 0;
    for (const auto& k : redis.command({"KEYS", prefix + "*"}).elements)
        n += redis.command({"HLEN", k.str}).integer;
    return n;
}

// calls and usec of one command in INFO commandstats.
std::pair<long long, long long> command_stats(test::redis_server& redis, const std::string& name) {
    const std::string info = redis.command({"INFO", "commandstats"}).str;
    const std::string tag = "cmdstat_" + name + ":calls=";
    const auto at = info.find(tag);
    if (at == std::string::npos) return {0, 0};
    const long long calls = std::stoll(info.substr(at + tag.size()));
    const auto usec_at = info.find("usec=", at);
    return {calls, std::stoll(info.substr(usec_at + 5))};
}

// Seeds n customers of `project` straight into Redis, pipelined, in the
// layout the store uses (ids spread over the last year).
void seed(test::redis_server& redis, const std::string& project, int n) {
    boost::asio::io_context ioc;
    redis::connection_config cfg;
    cfg.where = redis::parse_url(redis.url()).value();
    cfg.command_timeout = std::chrono::seconds(10);
    redis::connection conn(ioc.get_executor(), cfg);
    conn.start();
    const auto index = store::keys::indexes(project)[0];
    const std::uint64_t start = 1'700'000'000'000'000ULL;
    test::run_coro(
        ioc,
        [&]() -> boost::asio::awaitable<void> {
            while (!conn.connected()) {
                boost::asio::steady_timer t(co_await boost::asio::this_coro::executor,
                                            std::chrono::milliseconds(10));
                co_await t.async_wait(boost::asio::use_awaitable);
            }
            for (int base = 0; base < n; base += 1000) {
                std::vector<std::string> ids, keys;
                std::vector<std::vector<std::string_view>> batch;
                for (int i = base; i < std::min(n, base + 1000); ++i) {
                    ids.push_back(
                        domain::make_id(start + static_cast<std::uint64_t>(i) * 300'000, i));
                    keys.push_back(store::keys::customer(project, ids.back()));
                }
                for (std::size_t i = 0; i < ids.size(); ++i) {
                    batch.push_back({"HSET", keys[i], "u", ids[i], "p", "123", "v", ids[i], "c",
                                     "1700000000", "U", "1700000000"});
                    batch.push_back({"ZADD", index, "0", ids[i]});
                }
                auto r = co_await conn.exec_batch(batch);
                BOOST_REQUIRE(r.has_value());
            }
        }(),
        std::chrono::seconds(120));
    conn.stop();
    ioc.run();
}

}  // namespace

BOOST_FIXTURE_TEST_SUITE(api_consistency, two_threads)

BOOST_AUTO_TEST_CASE(forty_concurrent_creates_of_one_username_give_one_201) {
    std::vector<unsigned> codes(40);
    std::vector<std::thread> threads;
    for (int i = 0; i < 40; ++i)
        threads.emplace_back([&, i] {
            codes[i] = call("POST", "/v1/customers",
                            "username=contested&phone_number=123&external_id=x" + std::to_string(i))
                           .result_int();
        });
    for (auto& t : threads) t.join();
    BOOST_TEST(std::count(codes.begin(), codes.end(), 201u) == 1);
    BOOST_TEST(std::count(codes.begin(), codes.end(), 409u) == 39);
    // The losers left nothing behind: one customer, one external id.
    BOOST_TEST(json_object(call("GET", "/v1/customers")).at("data").as_array().size() == 1u);
    BOOST_TEST(bucketed_entries(redis, store::keys::external_ids_prefix(project)) == 1);
}

BOOST_AUTO_TEST_CASE(rejected_requests_write_nothing) {
    const auto a = create("first", "external_id=ext-a&meta[k]=v");
    const auto b = create("second", "external_id=ext-b");
    const std::string before = snapshot(redis);
    const std::string pa = "/v1/customers/" + std::string(a.at("id").as_string());
    for (auto [method, target, body] :
         std::vector<std::tuple<std::string, std::string, std::string>>{
             {"POST", "/v1/customers", "username=first&phone_number=123"},
             {"POST", "/v1/customers", "username=third&phone_number=123&external_id=ext-b"},
             {"POST", "/v1/customers", "username=third&phone_number=12"},
             {"POST", "/v1/customers",
              "username=third&phone_number=123&meta[" + std::string(41, 'k') + "]=v"},
             {"POST", "/v1/customers", "username=third&phone_number=123&bogus=1"},
             {"PATCH", pa, "external_id=ext-b"},
             {"PATCH", pa, "display_name=ok&username=changed"},
             {"PATCH", pa, "is_flagged=true&status=bogus"},
             {"PATCH", pa, "display_name=" + std::string(129, 'd')},
             {"PATCH", "/v1/customers/WAz8eIbvDR60rouK", "display_name=ghost"},
             {"DELETE", "/v1/customers/WAz8eIbvDR60rouK", ""},
         }) {
        const auto r = call(method, target, body);
        BOOST_TEST(r.result_int() >= 400u, method << " " << target << " " << body);
        BOOST_TEST(r.result_int() < 500u);
    }
    BOOST_TEST(snapshot(redis) == before);
}

BOOST_AUTO_TEST_CASE(delete_removes_every_trace) {
    const long long empty = key_count();
    const auto c = create("ephemeral", "external_id=ext-e&is_flagged=true&meta[a]=b");
    BOOST_TEST(
        call("PATCH", "/v1/customers/" + std::string(c.at("id").as_string()), "status=terminated")
            .result_int() == 200u);
    BOOST_TEST(
        call("DELETE", "/v1/customers/" + std::string(c.at("id").as_string())).result_int() ==
        204u);
    BOOST_TEST(key_count() == empty);  // hash, indexes, uniqueness and conversation entries gone
    // The username and external id are free again.
    create("ephemeral", "external_id=ext-e");
}

BOOST_AUTO_TEST_CASE(lua_and_cpp_agree_on_buckets) {
    // The server computes the buckets of a new customer's username, external
    // id and conversation id in C++ (create), the scripts compute them in Lua
    // from the stored values (update: the old external id; delete: all
    // three). Any disagreement leaves entries behind.
    const long long empty = key_count();
    struct made {
        std::string id, username, external_id, conversation_id;
    };
    std::vector<made> all;
    for (int i = 0; i < 300; ++i) {
        const std::string u = "b.u-" + std::to_string(i * 7919);
        const std::string x = "ext~" + std::to_string(i) + "_Zz";
        const auto c = create(u, "external_id=" + x);
        all.push_back({std::string(c.at("id").as_string()),
                       std::string(c.at("username").as_string()),
                       std::string(c.at("external_id").as_string()),
                       std::string(c.at("conversation_id").as_string())});
        // created_at is the id's time part, updated_at equals it, and the
        // hash stores neither.
        const auto& m = all.back();
        BOOST_TEST(c.at("created_at").as_int64() == domain::id_seconds(m.id));
        BOOST_TEST(c.at("updated_at").as_int64() == c.at("created_at").as_int64());
        const auto key = store::keys::customer(project, m.id);
        BOOST_TEST(redis.command({"HEXISTS", key, "c"}).integer == 0);
        BOOST_TEST(redis.command({"HEXISTS", key, "U"}).integer == 0);
    }
    for (const auto& m : all) {
        BOOST_TEST(
            redis.command({"HGET", store::keys::usernames(project, m.username), m.username}).str ==
            m.id);
        BOOST_TEST(
            redis
                .command({"HGET", store::keys::external_ids(project, m.external_id), m.external_id})
                .str == m.id);
        BOOST_TEST(call("GET", "/v1/conversations/" + m.conversation_id).result_int() == 200u);
        BOOST_TEST(call("GET", "/v1/customers?external_id=" + m.external_id).body().find(m.id) !=
                   std::string::npos);
    }
    BOOST_TEST(bucketed_entries(redis, store::keys::usernames_prefix(project)) == 300);
    BOOST_TEST(bucketed_entries(redis, store::keys::external_ids_prefix(project)) == 300);
    BOOST_TEST(bucketed_entries(redis, store::keys::conversations_prefix(project)) == 300);
    // Move every other external id: the script removes the old one from the
    // bucket it computes.
    for (std::size_t i = 0; i < all.size(); i += 2) {
        const std::string moved = "moved-" + std::to_string(i);
        BOOST_TEST(
            call("PATCH", "/v1/customers/" + all[i].id, "external_id=" + moved).result_int() ==
            200u);
        BOOST_TEST(redis
                       .command({"HEXISTS", store::keys::external_ids(project, all[i].external_id),
                                 all[i].external_id})
                       .integer == 0);
        BOOST_TEST(redis.command({"HGET", store::keys::external_ids(project, moved), moved}).str ==
                   all[i].id);
        all[i].external_id = moved;
    }
    BOOST_TEST(bucketed_entries(redis, store::keys::external_ids_prefix(project)) == 300);
    for (const auto& m : all)
        BOOST_TEST(call("DELETE", "/v1/customers/" + m.id).result_int() == 204u);
    BOOST_TEST(key_count() == empty);
}

BOOST_AUTO_TEST_CASE(list_cost_does_not_grow_with_customers) {
    // Redis-side time of the range reads at 100 and at 100,000 customers.
    auto measure = [&](int rounds) {
        const auto before = command_stats(redis, "zrevrangebylex");
        const auto hget_before = command_stats(redis, "hgetall");
        for (int i = 0; i < rounds; ++i)
            BOOST_REQUIRE(call("GET", "/v1/customers?limit=10").result_int() == 200);
        const auto after = command_stats(redis, "zrevrangebylex");
        const auto hget_after = command_stats(redis, "hgetall");
        BOOST_TEST(hget_after.first - hget_before.first == 10LL * rounds);  // one HGETALL per row
        return std::pair{after.first - before.first, after.second - before.second};
    };
    seed(redis, project, 100);
    const auto small = measure(200);
    seed(redis, project, 100'000);
    BOOST_REQUIRE(redis.command({"ZCARD", store::keys::indexes(project)[0]}).integer == 100'000);
    const auto large = measure(200);
    BOOST_TEST(small.first == large.first);  // same number of range commands
    const double ratio =
        static_cast<double>(large.second + 1) / static_cast<double>(small.second + 1);
    BOOST_TEST_MESSAGE("ZREVRANGEBYLEX usec at 100k / at 100: " << ratio);
    BOOST_TEST(ratio < 4.0);  // O(log N + limit); a scan would be ~1000x
}

BOOST_AUTO_TEST_SUITE_END()
