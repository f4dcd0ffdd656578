#include <boost/json/parse.hpp>
#include <boost/test/unit_test.hpp>

#include "customers/api/auth.hpp"
#include "customers/api/customer_json.hpp"
#include "customers/domain/ids.hpp"
#include "customers/store/customer_codec.hpp"

using namespace customers;
namespace json = boost::json;

namespace {

domain::customer frank() {
    domain::customer c;
    c.id = "WAz8eIbvDR60rouK";
    c.project_id = "proj_1";
    c.username = "FrankMcCallister";
    c.phone_number = "1-800-759-3000";
    c.avatar_url = "https://assets.protocol.chat/avatars/frank.jpg";
    c.conversation_id = "xgQQXg3hrtjh7AvZ";
    c.last_active_at = 705103200;
    c.created_at = 692233200;
    c.updated_at = 692233201;
    return c;
}

// Encodes a customer as Redis would hand back HGETALL.
redis::reply as_hgetall(const store::hash_fields& fields) {
    redis::reply r;
    r.kind = redis::reply::type::array;
    for (const auto& [f, v] : fields) {
        r.elements.push_back({redis::reply::type::string, std::string(f), 0, {}});
        r.elements.push_back({redis::reply::type::string, v, 0, {}});
    }
    return r;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(customer_json)

BOOST_AUTO_TEST_CASE(every_key_in_contract_order) {
    const std::string text = api::customer_json(frank());
    const json::object o = json::parse(text).as_object();
    const std::vector<std::string> expected{"id",
                                            "project_id",
                                            "external_id",
                                            "username",
                                            "phone_number",
                                            "avatar_url",
                                            "display_name",
                                            "conversation_id",
                                            "status",
                                            "terminated_at",
                                            "is_flagged",
                                            "meta",
                                            "last_active_at",
                                            "last_transaction_at",
                                            "created_at",
                                            "updated_at"};
    std::vector<std::string> keys;
    for (const auto& kv : o) keys.emplace_back(kv.key());
    BOOST_TEST(keys == expected, boost::test_tools::per_element());
    BOOST_TEST(o.at("display_name").is_null());
    BOOST_TEST(o.at("external_id").is_null());
    BOOST_TEST(o.at("status").as_string() == "active");
    BOOST_TEST(o.at("is_flagged").as_bool() == false);
    BOOST_TEST(o.at("meta").as_object().empty());
    BOOST_TEST(o.at("last_active_at").as_int64() == 705103200);
    BOOST_TEST(o.at("created_at").as_int64() == 692233200);
}

BOOST_AUTO_TEST_CASE(list_and_conversation_shapes) {
    const std::string list = api::customer_list_json(true, {frank(), frank()});
    const json::object o = json::parse(list).as_object();
    BOOST_TEST(o.at("has_more").as_bool());
    BOOST_TEST(o.at("data").as_array().size() == 2u);
    BOOST_TEST(api::customer_list_json(false, {}) == R"({"has_more":false,"data":[]})");
    BOOST_TEST(
        api::conversation_json("xgQQXg3hrtjh7AvZ", "WAz8eIbvDR60rouK", 692233200) ==
        R"({"id":"xgQQXg3hrtjh7AvZ","customer_id":"WAz8eIbvDR60rouK","created_at":692233200})");
}

BOOST_AUTO_TEST_CASE(hash_round_trip_keeps_every_field) {
    domain::customer c = frank();
    c.display_name = "Uncle \"Frank\" \xc3\xa9";
    c.external_id = "crm-1";
    c.terminated = true;
    c.terminated_at = 700000000;
    c.is_flagged = true;
    c.meta = domain::meta_json({{"tier", "gold"}, {"note", "a\nb"}});
    BOOST_TEST(c.meta == R"({"tier":"gold","note":"a\nb"})");
    c.last_transaction_at = 700000001;
    const auto back = store::from_hash("proj_1", c.id, as_hgetall(store::to_hash(c)));
    BOOST_REQUIRE(back);
    BOOST_TEST(api::customer_json(*back) == api::customer_json(c));
}

BOOST_AUTO_TEST_CASE(nulls_and_defaults_are_not_stored) {
    const auto fields = store::to_hash(frank());
    std::string names;
    for (const auto& [f, v] : fields) names += f;
    BOOST_TEST(names == "upavlcU");  // no display name, external id, status, flag, meta
    const auto back = store::from_hash("proj_1", "WAz8eIbvDR60rouK", as_hgetall(fields));
    BOOST_REQUIRE(back);
    BOOST_TEST(api::customer_json(*back) == api::customer_json(frank()));
}

BOOST_AUTO_TEST_CASE(derivable_timestamps_are_not_stored) {
    // created_at equal to the id's time part and updated_at equal to
    // created_at are left out, and come back from the id.
    domain::customer c = frank();
    c.id = domain::make_id(1'700'000'123'456'789ULL, 42);
    c.created_at = c.updated_at = 1'700'000'123;
    auto fields = store::to_hash(c);
    std::string names;
    for (const auto& [f, v] : fields) names += f;
    BOOST_TEST(names == "upavl");
    auto back = store::from_hash("proj_1", c.id, as_hgetall(fields));
    BOOST_REQUIRE(back);
    BOOST_TEST(api::customer_json(*back) == api::customer_json(c));

    // Updated later: U is stored, c still derived.
    c.updated_at = 1'700'000'200;
    fields = store::to_hash(c);
    names.clear();
    for (const auto& [f, v] : fields) names += f;
    BOOST_TEST(names == "upavlU");
    back = store::from_hash("proj_1", c.id, as_hgetall(fields));
    BOOST_REQUIRE(back);
    BOOST_TEST(api::customer_json(*back) == api::customer_json(c));

    // created_at not the id's time (an older layout, or a clock): stored.
    c.created_at = 1'700'000'122;
    c.updated_at = c.created_at;
    fields = store::to_hash(c);
    names.clear();
    for (const auto& [f, v] : fields) names += f;
    BOOST_TEST(names == "upavlc");
    back = store::from_hash("proj_1", c.id, as_hgetall(fields));
    BOOST_REQUIRE(back);
    BOOST_TEST(api::customer_json(*back) == api::customer_json(c));

    // Hashes written before this layout (c and U always present) still read.
    c.updated_at = c.created_at = 1'700'000'123;
    fields = store::to_hash(c);
    fields.emplace_back("c", "1700000123");
    fields.emplace_back("U", "1700000123");
    back = store::from_hash("proj_1", c.id, as_hgetall(fields));
    BOOST_REQUIRE(back);
    BOOST_TEST(api::customer_json(*back) == api::customer_json(c));
}

BOOST_AUTO_TEST_CASE(empty_or_broken_hashes_are_not_customers) {
    BOOST_TEST(!store::from_hash("p", "WAz8eIbvDR60rouK", as_hgetall({})));
    BOOST_TEST(!store::from_hash("p", "WAz8eIbvDR60rouK",
                                 as_hgetall({{"u", "x"}})));  // no conversation id
    BOOST_TEST(!store::from_hash("p", "not-an-id",
                                 as_hgetall({{"u", "x"}, {"v", "y"}})));  // no created_at
    BOOST_TEST(!store::from_hash("p", "WAz8eIbvDR60rouK",
                                 as_hgetall({{"u", "x"}, {"v", "y"}, {"c", "soon"}})));
    BOOST_TEST(!store::from_hash("p", "WAz8eIbvDR60rouK",
                                 as_hgetall({{"u", "x"}, {"c", "1"}, {"m", "not json"}})));
}

BOOST_AUTO_TEST_CASE(bearer_header_parsing) {
    BOOST_TEST(api::bearer_token("Bearer abcdefghijklmnop1234") == "abcdefghijklmnop1234");
    BOOST_TEST(api::bearer_token("bearer   abcdefghijklmnop1234  ") == "abcdefghijklmnop1234");
    BOOST_TEST(api::bearer_token("").empty());
    BOOST_TEST(api::bearer_token("Basic dXNlcjpwYXNz").empty());
    BOOST_TEST(api::bearer_token("Bearer short").empty());
    BOOST_TEST(api::bearer_token("Bearer abcdefghij klmnop1234").empty());
    BOOST_TEST(api::bearer_token("Bearer abcdefghijklmnop{}34").empty());
}

BOOST_AUTO_TEST_SUITE_END()
