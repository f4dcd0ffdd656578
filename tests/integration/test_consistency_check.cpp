// The consistency checker against a real Redis: what the server writes
// (creates, updates, deletes in two projects) is consistent, and each
// deliberate corruption of the layout is found, by the library and by
// `customers-server check`.

#include <sys/wait.h>
#include <array>
#include <cstdio>

#include <boost/asio/io_context.hpp>
#include <boost/test/unit_test.hpp>

#include "customers/redis/connection.hpp"
#include "customers/store/consistency.hpp"
#include "customers/store/keys.hpp"
#include "support/api_fixture.hpp"
#include "support/child_process.hpp"
#include "support/run_coro.hpp"

using namespace customers;
namespace keys = customers::store::keys;

namespace {

struct checked_project : test::api_fixture {
    // The library's verdict on all projects, one line per finding.
    store::check_report check(const std::string& project = {}) {
        boost::asio::io_context ioc;
        redis::connection_config cfg;
        cfg.where = redis::parse_url(redis.url()).value();
        redis::connection conn(ioc.get_executor(), cfg);
        conn.start();
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
        while (!conn.connected() && std::chrono::steady_clock::now() < deadline)
            ioc.run_one_for(std::chrono::milliseconds(10));
        auto r = test::run_coro(ioc, store::check_consistency(conn, project));
        conn.stop();
        ioc.restart();
        ioc.run();
        BOOST_REQUIRE(r.has_value());
        return *r;
    }

    static std::string lines(const store::check_report& r) {
        std::string out;
        for (const auto& f : r.findings) out += store::describe(f) + "\n";
        return out;
    }

    bool found(const store::check_report& r, const std::string& key, const std::string& words) {
        for (const auto& f : r.findings)
            if (f.key == key && f.problem.find(words) != std::string::npos) return true;
        return false;
    }

    // `customers-server check ...`: exit code and output.
    std::pair<int, std::string> run_cli(const std::string& args) {
        const std::string command = std::string(CUSTOMERS_SERVER_BINARY) + " check --redis " +
                                    redis.url() + " " + args + " 2>&1";
        auto r = test::run_shell(command);
        return {r.exit_code, std::move(r.out)};
    }

    // A few customers in two projects, touched by every kind of write.
    void populate() {
        const std::string other = make_token("proj_other");
        for (int i = 0; i < 6; ++i) {
            auto c = create("user" + std::to_string(i),
                            i % 2 ? "external_id=ext" + std::to_string(i) : "");
            ids.push_back(std::string(c.at("id").as_string()));
        }
        BOOST_REQUIRE(call("PATCH", "/v1/customers/" + ids[0],
                           "status=terminated&is_flagged=true&external_id=moved")
                          .result_int() == 200u);
        BOOST_REQUIRE(call("PATCH", "/v1/customers/" + ids[1], "external_id=").result_int() ==
                      200u);
        BOOST_REQUIRE(call("DELETE", "/v1/customers/" + ids[2]).result_int() == 204u);
        BOOST_REQUIRE(call_as(other, "POST", "/v1/customers", "username=o&phone_number=5551234")
                          .result_int() == 201u);
    }

    std::string field(const std::string& id, const std::string& f) {
        return redis.command({"HGET", keys::customer(project, id), f}).str;
    }

    std::vector<std::string> ids;
};

}  // namespace

BOOST_FIXTURE_TEST_SUITE(consistency_check, checked_project)

BOOST_AUTO_TEST_CASE(what_the_server_writes_is_consistent) {
    populate();
    const auto r = check();
    BOOST_TEST(r.findings.empty(), lines(r));
    BOOST_TEST(r.projects == (std::vector<std::string>{"proj_main", "proj_other"}));
    BOOST_TEST(r.customers == 6u);  // 5 left in proj_main, 1 in proj_other
    BOOST_TEST(check("proj_other").customers == 1u);

    const auto [code, out] = run_cli("");
    BOOST_TEST(code == 0, out);
    BOOST_TEST(out.find("2 project(s), 6 customer(s), 0 finding(s)") != std::string::npos, out);
}

BOOST_AUTO_TEST_CASE(corruptions_are_found) {
    populate();
    const auto ix = keys::indexes(project);
    // 1. A customer hash deleted behind the scripts' back.
    redis.command({"DEL", keys::customer(project, ids[3])});
    // 2. A username entry removed.
    const std::string user4 = field(ids[4], "u");
    redis.command({"HDEL", keys::usernames(project, user4), user4});
    // 3. An active customer also added to the terminated index.
    redis.command({"ZADD", ix[2], "0", ids[5]});
    // 4. A conversation entry pointing to the wrong customer.
    const std::string conv1 = field(ids[1], "v");
    redis.command({"HSET", keys::conversations(project, conv1), conv1, ids[4] + ":1"});
    // 5. An index entry for a customer that never existed.
    redis.command({"ZADD", ix[0], "0", "0000000000ghost"});

    const auto r = check(project);
    const std::string text = lines(r);
    BOOST_TEST(found(r, ix[0], "lists " + ids[3] + " but"), text);
    BOOST_TEST(found(r, keys::usernames(project, "user3"), "points to missing"), text);
    BOOST_TEST(found(r, keys::customer(project, ids[4]), "username '" + user4 + "' is not in"),
               text);
    BOOST_TEST(found(r, ix[2], "lists " + ids[5]), text);
    BOOST_TEST(found(r, keys::customer(project, ids[5]), "is in 2 indexes"), text);
    BOOST_TEST(found(r, keys::conversations(project, conv1), "points to " + ids[4]), text);
    BOOST_TEST(found(r, keys::customer(project, ids[1]), "its conversation"), text);
    BOOST_TEST(found(r, ix[0], "0000000000ghost"), text);
    // The other project is untouched.
    BOOST_TEST(check("proj_other").findings.empty());

    const auto [code, out] = run_cli("--project " + project);
    BOOST_TEST(code == 1, out);
    BOOST_TEST(out.find("0000000000ghost") != std::string::npos, out);
    BOOST_TEST(run_cli("--project proj_other").first == 0);
    BOOST_TEST(run_cli("--project 'bad project'").first == 2);
}

BOOST_AUTO_TEST_CASE(redis_down_is_an_error_not_a_clean_bill) {
    redis.stop();
    const auto [code, out] = run_cli("");
    BOOST_TEST(code == 1, out);
    BOOST_TEST(out.find("Redis is unavailable") != std::string::npos, out);
    redis.start();
}

BOOST_AUTO_TEST_SUITE_END()
