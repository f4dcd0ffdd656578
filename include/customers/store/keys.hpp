#pragma once
// The Redis layout (API.md §8). Every key of a project carries the hash tag
// {<project_id>}, so one project lives in one Cluster slot and each script's
// keys are co-located.
//
//   {P}:c:<id>    hash        one customer (short field names, see codec)
//   {P}:ix:<sf>   sorted set  ids, all scored 0 and ordered by bytes (ids sort
//                             by creation time); one set per partition
//                             s = a|t (active, terminated), f = 0|1 (flagged),
//                             so every customer is in exactly one set and a
//                             filter reads the union of one, two or four
//   {P}:un        hash        username -> id      (uniqueness)
//   {P}:ex        hash        external_id -> id   (uniqueness, filter)
//   {P}:cv        hash        conversation id -> "<customer id>:<created_at>"
//   tok:<sha256>  string      project id of a bearer token (not per project)

#include <array>
#include <string>
#include <string_view>

namespace customers::store::keys {

inline std::string tagged(std::string_view project, std::string_view suffix) {
    std::string k;
    k.reserve(project.size() + suffix.size() + 3);
    k += '{';
    k += project;
    k += '}';
    k += suffix;
    return k;
}

inline std::string customer(std::string_view project, std::string_view id) {
    std::string k = tagged(project, ":c:");
    k += id;
    return k;
}
inline std::string usernames(std::string_view project) {
    return tagged(project, ":un");
}
inline std::string external_ids(std::string_view project) {
    return tagged(project, ":ex");
}
inline std::string conversations(std::string_view project) {
    return tagged(project, ":cv");
}

// Partition index: 0 = active, 1 = active+flagged, 2 = terminated,
// 3 = terminated+flagged (the order the scripts rely on).
inline int partition(bool terminated, bool flagged) {
    return (terminated ? 2 : 0) + (flagged ? 1 : 0);
}
inline std::array<std::string, 4> indexes(std::string_view project) {
    return {tagged(project, ":ix:a0"), tagged(project, ":ix:a1"), tagged(project, ":ix:t0"),
            tagged(project, ":ix:t1")};
}

inline std::string token(std::string_view sha256_hex) {
    return "tok:" + std::string(sha256_hex);
}

}  // namespace customers::store::keys
