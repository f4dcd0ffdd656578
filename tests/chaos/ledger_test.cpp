// The ledger's rules, without a server: what an acknowledged or ambiguous
// write allows afterwards, and the request bodies / response parsing the
// clients rely on.

#include <random>

#include <boost/json/parse.hpp>
#include <boost/test/unit_test.hpp>

#include "ledger.hpp"

using namespace customers::chaos;

namespace {

customer_fields alice() {
    customer_fields f;
    f.username = "c0-1";
    f.phone_number = "+1 555 1234";
    f.display_name = "Alice";
    f.meta = {{"k", "v"}};
    return f;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(ledger_rules)

BOOST_AUTO_TEST_CASE(acknowledged_state_must_be_found_exactly) {
    ledger l;
    l.create_acked("id1", alice());
    BOOST_TEST(!l.settle("id1", alice()));
    customer_fields changed = alice();
    changed.flagged = true;
    BOOST_TEST(l.settle("id1", changed)->starts_with("lost acknowledged write of id1"));
    l.write_acked("id1", std::nullopt);  // a 204
    BOOST_TEST(!l.settle("id1", std::nullopt));
    BOOST_TEST(l.settle("id1", alice()).has_value());  // a deleted customer came back
}

BOOST_AUTO_TEST_CASE(ambiguous_write_allows_either_state_then_settles) {
    ledger l;
    l.create_acked("id1", alice());
    std::mt19937_64 rng(1);
    BOOST_TEST(l.pick_present(rng) != nullptr);
    l.write_ambiguous("id1", std::nullopt);      // a delete that got a 503
    BOOST_TEST(l.pick_present(rng) == nullptr);  // not touched until settled
    BOOST_TEST(!l.settle("id1", alice()));       // it did not happen: fine
    BOOST_TEST(*l.pick_present(rng) == "id1");

    customer_fields other = alice();
    other.terminated = true;
    l.write_ambiguous("id1", other);
    customer_fields neither = alice();
    neither.username = "someone else";
    BOOST_TEST(l.settle("id1", neither).has_value());
    // Settled to what was found: the next check expects that.
    BOOST_TEST(!l.settle("id1", neither));
}

BOOST_AUTO_TEST_CASE(ambiguous_creates_are_adopted_only_when_they_match) {
    ledger l;
    l.create_ambiguous(alice());
    customer_fields wrong = alice();
    wrong.phone_number = "000";
    BOOST_TEST(!l.adopt("x", wrong));
    BOOST_TEST(l.adopt("id9", alice()));
    BOOST_TEST(!l.adopt("id10", alice()));  // only once
    BOOST_TEST(l.find("id9") != nullptr);
    l.create_ambiguous(customer_fields{"c0-2", "123", {}, {}, false, false, {}});
    l.forget_unsettled_creates();
    BOOST_TEST(l.pending_creates() == 0u);
    l.reset();
    BOOST_TEST(l.customers().empty());
}

BOOST_AUTO_TEST_CASE(bodies_round_trip_through_the_response_shape) {
    customer_fields f = alice();
    f.external_id = "x0-1";
    auto created = boost::json::parse(create_body(f)).as_object();
    created["status"] = "active";
    created["meta"] = boost::json::object{{"k", "v"}};
    BOOST_TEST((fields_from_json(created) == f));

    f.display_name.reset();
    f.terminated = true;
    auto patched = boost::json::parse(patch_body(f)).as_object();
    BOOST_TEST(patched.at("display_name").is_null());
    BOOST_TEST(patched.at("status") == "terminated");
    patched["username"] = f.username;
    patched["phone_number"] = f.phone_number;
    BOOST_TEST((fields_from_json(patched) == f));

    patched.erase("is_flagged");  // not a customer object
    BOOST_TEST(!fields_from_json(patched).has_value());
}

BOOST_AUTO_TEST_SUITE_END()
