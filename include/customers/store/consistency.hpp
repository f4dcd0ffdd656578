#pragma once
// The consistency checker of the Redis layout (keys.hpp): reads a project's
// keys and reports every way they disagree with each other. The create,
// update and delete scripts keep them consistent atomically, so any finding
// is a bug, a lost write or a hand edit. Run it while nothing writes to the
// project: a check racing live writes may report a change half-read.
//
// Checked, per project:
//   - every partition index entry names an existing, decodable customer
//     hash whose status and flag select that partition, and no id is in two
//     indexes;
//   - every customer hash decodes and is in its partition index;
//   - every {P}:un / {P}:ex / {P}:cv entry sits in the bucket of its field,
//     names an existing customer whose username / external id /
//     conversation id (and created_at) it matches, and every customer has
//     its entries;
//   - no other key carries the project's tag.
//
// Findings are values; only a Redis failure is an error.

#include <array>
#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "customers/redis/connection.hpp"
#include "customers/store/customer_store.hpp"

namespace customers::store {

struct finding {
    std::string project;
    std::string key;      // the key the problem was found in
    std::string problem;  // one sentence
};

using field_map = std::map<std::string, std::string>;

// A project's keys as read from Redis.
struct project_snapshot {
    std::string project;
    std::map<std::string, field_map> customers;       // id -> hash fields
    std::array<std::vector<std::string>, 4> indexes;  // keys::partition order
    // bucket number -> field -> value, for {P}:un:<b>, {P}:ex:<b>, {P}:cv:<b>
    std::map<std::uint32_t, field_map> usernames, external_ids, conversations;
    std::vector<std::string> other_keys;  // tagged {P} but not part of the layout
};

struct check_report {
    std::vector<std::string> projects;
    std::size_t customers = 0;
    std::vector<finding> findings;
};

// The pure part: every finding in one snapshot.
std::vector<finding> check_project(const project_snapshot& s);

// Projects found by SCAN (every {tag} of a key, tokens excluded), sorted.
async_result<std::vector<std::string>> find_projects(redis::connection& redis);
// Reads every key of `project` (SCAN MATCH {project}:*).
async_result<project_snapshot> load_project(redis::connection& redis, std::string_view project);
// One project, or every project SCAN finds when `project` is empty.
async_result<check_report> check_consistency(redis::connection& redis, std::string_view project);

// One line per finding ("{P} key: problem").
std::string describe(const finding& f);

}  // namespace customers::store
