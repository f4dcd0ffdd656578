// What redis::connection does about a reply: deliver it, reconnect after it
// (the server is not the primary), or send the command again (it did not
// run); and which ROLE answers make a server the primary.
#include <cstdint>
#include <string>
#include <vector>

#include <boost/test/unit_test.hpp>

#include "customers/redis/reply_policy.hpp"

namespace redis = customers::redis;
using redis::reply;
using redis::reply_action;

namespace {

reply of(reply::type kind, std::string text = {}) {
    reply r;
    r.kind = kind;
    r.str = std::move(text);
    return r;
}
reply error(std::string text) {
    return of(reply::type::error, std::move(text));
}
reply status(std::string text) {
    return of(reply::type::status, std::move(text));
}
reply bulk(std::string text) {
    return of(reply::type::string, std::move(text));
}
reply integer(std::int64_t n) {
    reply r = of(reply::type::integer);
    r.integer = n;
    return r;
}
reply array(std::vector<reply> elements) {
    reply r = of(reply::type::array);
    r.elements = std::move(elements);
    return r;
}

// Streams as its name in BOOST_TEST messages.
const char* name(reply_action a) {
    switch (a) {
        case reply_action::deliver:
            return "deliver";
        case reply_action::reconnect:
            return "reconnect";
        case reply_action::retry:
            return "retry";
    }
    return "?";
}

}  // namespace

BOOST_AUTO_TEST_SUITE(redis_reply_policy)

BOOST_AUTO_TEST_CASE(a_replica_answering_makes_the_connection_move) {
    for (const char* text : {"READONLY You can't write against a read only replica.",
                             "MASTERDOWN Link with MASTER is down and replica-serve-stale-data is "
                             "set to 'no'.",
                             // A write script refused on a replica (Redis 7 keeps the code).
                             "READONLY You can't write against a read only replica. script: "
                             "8b2ae6dd76cda7fc3e27f97431ae27d7b08a221d, on @user_script:1.",
                             "READONLY"})
        BOOST_TEST(name(redis::action_for(error(text))) == "reconnect", text);
}

BOOST_AUTO_TEST_CASE(refusals_of_commands_that_did_not_run_are_retried) {
    for (const char* text :
         {"LOADING Redis is loading the dataset in memory",
          "BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSAVE.",
          "TRYAGAIN Multiple keys request during rehashing of slot", "BUSY"})
        BOOST_TEST(name(redis::action_for(error(text))) == "retry", text);
}

BOOST_AUTO_TEST_CASE(other_replies_are_the_answer) {
    for (const char* text :
         {"WRONGTYPE Operation against a key holding the wrong kind of value",
          "BUSYKEY Target key name already exists.",  // a prefix of BUSY is another code
          "BUSYGROUP Consumer Group name already exists", "LOADINGX", "ERR READONLY in the text",
          "NOSCRIPT No matching script. Please use EVAL.", "ERR unknown command 'ROLE'",
          // Raised inside a script that may have written before: never replayed.
          "BUSY fake script: e3bf0465ebbbdd6fc34b2459d0f842eb31b19cd8, on @user_script:1.",
          "TRYAGAIN x script: e3bf0465ebbbdd6fc34b2459d0f842eb31b19cd8, on @user_script:3.", ""})
        BOOST_TEST(name(redis::action_for(error(text))) == "deliver", text);
    // Only error replies count: a value that reads like one is data.
    for (const reply& r : {status("READONLY"), bulk("BUSY now"), bulk("LOADING"), integer(0),
                           reply{}, array({error("BUSY")})})
        BOOST_TEST(name(redis::action_for(r)) == "deliver");
}

BOOST_AUTO_TEST_CASE(error_code_is_the_first_word_of_an_error) {
    BOOST_TEST(redis::error_code_of(error("READONLY You can't write")) == "READONLY");
    BOOST_TEST(redis::error_code_of(error("BUSY")) == "BUSY");
    BOOST_TEST(redis::error_code_of(error("")) == "");
    BOOST_TEST(redis::error_code_of(status("OK")) == "");
    BOOST_TEST(redis::error_code_of(bulk("READONLY x")) == "");
}

BOOST_AUTO_TEST_CASE(only_a_retryable_tail_of_a_batch_is_sent_again) {
    const reply ok = status("OK"), busy = error("BUSY Redis is busy"),
                loading = error("LOADING Redis is loading"), wrong = error("WRONGTYPE x");
    using replies = std::vector<reply>;
    BOOST_TEST(redis::retryable_tail(replies{}) == 0u);
    BOOST_TEST(redis::retryable_tail(replies{ok, ok}) == 2u);      // nothing to retry
    BOOST_TEST(redis::retryable_tail(replies{busy, busy}) == 0u);  // all of it
    BOOST_TEST(redis::retryable_tail(replies{ok, busy, loading}) == 1u);
    BOOST_TEST(redis::retryable_tail(replies{wrong, busy}) == 1u);  // an answer stays an answer
    // A refused command before one that ran: resending it would reorder them.
    BOOST_TEST(redis::retryable_tail(replies{busy, ok}) == 2u);
    BOOST_TEST(redis::retryable_tail(replies{busy, ok, busy}) == 2u);
    // READONLY is delivered (the connection moves), never resent.
    BOOST_TEST(redis::retryable_tail(replies{busy, error("READONLY x")}) == 2u);
}

BOOST_AUTO_TEST_CASE(only_a_primary_is_accepted) {
    BOOST_TEST(redis::role_refusal(array({bulk("master"), integer(3129659), array({})})) == "");
    BOOST_TEST(redis::role_refusal(array({bulk("slave"), bulk("127.0.0.1"), integer(6380),
                                          bulk("connected"), integer(3167038)})) ==
               "the server is a replica of 127.0.0.1:6380 (ROLE)");
    BOOST_TEST(redis::role_refusal(array({bulk("replica")})) == "the server is a replica (ROLE)");
    BOOST_TEST(redis::role_refusal(array({bulk("sentinel"), array({bulk("mymaster")})})) ==
               "the server's ROLE is 'sentinel', not master");
    // Cannot tell (ROLE not permitted, or a proxy that does not know it): accepted.
    BOOST_TEST(redis::role_refusal(error("NOPERM this user has no permissions to run the 'role' "
                                         "command")) == "");
    BOOST_TEST(redis::role_refusal(error("ERR unknown command 'ROLE'")) == "");
    BOOST_TEST(redis::role_refusal(reply{}) == "");
    BOOST_TEST(redis::role_refusal(array({})) == "");
}

BOOST_AUTO_TEST_SUITE_END()
