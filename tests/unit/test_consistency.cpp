// The pure part of the consistency checker: a consistent snapshot has no
// findings, and each kind of damage to it is reported against the right key.

#include <algorithm>
#include <string>

#include <boost/test/unit_test.hpp>

#include "customers/domain/ids.hpp"
#include "customers/store/consistency.hpp"
#include "customers/store/keys.hpp"

using namespace customers;
using namespace customers::store;

namespace {

const std::string project = "p1";

// Adds a customer the way the create script lays it out.
void add_customer(project_snapshot& s, const std::string& id, const std::string& username,
                  const std::string& conversation, const std::string* external_id = nullptr,
                  bool terminated = false, bool flagged = false) {
    field_map h{{"u", username}, {"p", "555"}, {"v", conversation}};
    if (external_id) h["x"] = *external_id;
    if (terminated) h["s"] = "t";
    if (flagged) h["f"] = "1";
    s.customers[id] = h;
    s.indexes[keys::partition(terminated, flagged)].push_back(id);
    s.usernames[keys::bucket(username)][username] = id;
    if (external_id) s.external_ids[keys::bucket(*external_id)][*external_id] = id;
    s.conversations[keys::bucket(conversation)][conversation] =
        id + ":" + std::to_string(domain::id_seconds(id));
}

struct consistent {
    std::string a = domain::make_id(1'700'000'000'000'000, 1),
                b = domain::make_id(1'700'000'001'000'000, 2),
                conv_a = domain::make_id(1'700'000'000'000'000, 3),
                conv_b = domain::make_id(1'700'000'001'000'000, 4), ext = "ext-1";
    project_snapshot s;
    consistent() {
        s.project = project;
        add_customer(s, a, "alice", conv_a, &ext);
        add_customer(s, b, "bob", conv_b, nullptr, true, true);
    }
};

bool has(const std::vector<finding>& fs, const std::string& key, const std::string& words) {
    return std::any_of(fs.begin(), fs.end(), [&](const finding& f) {
        return f.key == key && f.problem.find(words) != std::string::npos && f.project == project;
    });
}

std::string all(const std::vector<finding>& fs) {
    std::string out;
    for (const auto& f : fs) out += describe(f) + "\n";
    return out;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(consistency_checker)

BOOST_FIXTURE_TEST_CASE(consistent_layout_has_no_findings, consistent) {
    const auto fs = check_project(s);
    BOOST_TEST(fs.empty(), all(fs));
}

BOOST_FIXTURE_TEST_CASE(index_entry_without_hash, consistent) {
    s.customers.erase(a);
    const auto fs = check_project(s);
    BOOST_TEST(has(fs, "{p1}:ix:a0", "does not exist"), all(fs));
    BOOST_TEST(has(fs, keys::usernames(project, "alice"), "points to missing"), all(fs));
    BOOST_TEST(has(fs, keys::external_ids(project, "ext-1"), "points to missing"), all(fs));
    BOOST_TEST(has(fs, keys::conversations(project, conv_a), "points to missing"), all(fs));
}

BOOST_FIXTURE_TEST_CASE(hash_missing_from_its_index, consistent) {
    s.indexes[3].clear();
    const auto fs = check_project(s);
    BOOST_TEST(fs.size() == 1u, all(fs));
    BOOST_TEST(has(fs, keys::customer(project, b), "no partition index (belongs in ix:t1)"),
               all(fs));
}

BOOST_FIXTURE_TEST_CASE(hash_in_the_wrong_or_two_indexes, consistent) {
    s.indexes[0].push_back(b);  // terminated+flagged, also listed as active
    auto fs = check_project(s);
    BOOST_TEST(has(fs, "{p1}:ix:a0", "belong in ix:t1"), all(fs));
    BOOST_TEST(has(fs, keys::customer(project, b), "is in 2 indexes"), all(fs));

    s.indexes[0].pop_back();
    s.customers[b].erase("f");  // hash says t0, index says t1
    fs = check_project(s);
    BOOST_TEST(has(fs, "{p1}:ix:t1", "belong in ix:t0"), all(fs));
}

BOOST_FIXTURE_TEST_CASE(username_map_damage, consistent) {
    s.usernames[keys::bucket("alice")].erase("alice");
    auto fs = check_project(s);
    BOOST_TEST(has(fs, keys::customer(project, a), "username 'alice' is not in"), all(fs));

    s.usernames[keys::bucket("alice")]["alice"] = b;  // points to bob
    fs = check_project(s);
    BOOST_TEST(has(fs, keys::usernames(project, "alice"), "whose username is 'bob'"), all(fs));

    s.usernames[keys::bucket("alice")]["alice"] = a;
    s.usernames[(keys::bucket("alice") + 1) % keys::buckets]["alice"] = a;  // wrong bucket too
    fs = check_project(s);
    BOOST_TEST(fs.size() == 1u, all(fs));
    BOOST_TEST(fs.at(0).problem.find("of bucket") != std::string::npos, all(fs));
}

BOOST_FIXTURE_TEST_CASE(external_id_map_damage, consistent) {
    s.customers[a].erase("x");  // the hash lost its external id, the map kept it
    auto fs = check_project(s);
    BOOST_TEST(has(fs, keys::external_ids(project, "ext-1"), "whose external_id is null"), all(fs));

    s.customers[b]["x"] = "ext-2";  // a customer's external id with no map entry
    fs = check_project(s);
    BOOST_TEST(has(fs, keys::customer(project, b), "external_id 'ext-2' is not in"), all(fs));
}

BOOST_FIXTURE_TEST_CASE(conversation_map_damage, consistent) {
    s.conversations[keys::bucket(conv_b)][conv_b] = b + ":12";  // wrong created_at
    auto fs = check_project(s);
    BOOST_TEST(has(fs, keys::conversations(project, conv_b), "expected"), all(fs));

    s.conversations[keys::bucket(conv_b)].erase(conv_b);
    fs = check_project(s);
    BOOST_TEST(has(fs, keys::customer(project, b), "its conversation " + conv_b), all(fs));
}

BOOST_FIXTURE_TEST_CASE(undecodable_hash_and_foreign_keys, consistent) {
    s.customers[a].erase("u");  // no username: not a customer hash
    s.other_keys.push_back("{p1}:junk");
    const auto fs = check_project(s);
    BOOST_TEST(has(fs, keys::customer(project, a), "not a valid customer hash"), all(fs));
    BOOST_TEST(has(fs, "{p1}:junk", "not part of the layout"), all(fs));
    // The index entry of an undecodable hash is reported once, by the hash.
    BOOST_TEST(!has(fs, "{p1}:ix:a0", ""), all(fs));
}

BOOST_AUTO_TEST_SUITE_END()
