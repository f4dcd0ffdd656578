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
//   {P}:un:<b>    hash        username -> id      (uniqueness)
//   {P}:ex:<b>    hash        external_id -> id   (uniqueness, filter)
//   {P}:cv:<b>    hash        conversation id -> "<customer id>:<created_at>"
//                             b = bucket(field): each of the three maps is
//                             split into `buckets` hashes so that every one
//                             stays small enough for Redis's listpack
//                             encoding (about 40 B an entry instead of ~96
//                             in a hashtable; see config/redis.conf)
//   tok:<sha256>  string      project id of a bearer token (not per project)

#include <array>
#include <cstdint>
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
// Number of buckets of each of {P}:un, {P}:ex, {P}:cv. Changing it moves
// every entry: existing data would have to be rewritten.
inline constexpr std::uint32_t buckets = 4096;

// 32-bit FNV-1a over the bytes of `s`. The Lua scripts (scripts.cpp)
// compute the same function with the `bit` library; keep them in step.
constexpr std::uint32_t fnv1a32(std::string_view s) noexcept {
    std::uint32_t h = 2166136261u;
    for (char ch : s) {
        h ^= static_cast<unsigned char>(ch);
        h *= 16777619u;
    }
    return h;
}

constexpr std::uint32_t bucket(std::string_view field) noexcept {
    return fnv1a32(field) % buckets;
}

// Key prefixes "{P}:un:", "{P}:ex:", "{P}:cv:" (a script appends the bucket
// of a value it only learns inside the script).
inline std::string usernames_prefix(std::string_view project) {
    return tagged(project, ":un:");
}
inline std::string external_ids_prefix(std::string_view project) {
    return tagged(project, ":ex:");
}
inline std::string conversations_prefix(std::string_view project) {
    return tagged(project, ":cv:");
}

// The bucket hash holding `username` / `external_id` / `conversation_id`.
inline std::string usernames(std::string_view project, std::string_view username) {
    return usernames_prefix(project) + std::to_string(bucket(username));
}
inline std::string external_ids(std::string_view project, std::string_view external_id) {
    return external_ids_prefix(project) + std::to_string(bucket(external_id));
}
inline std::string conversations(std::string_view project, std::string_view conversation_id) {
    return conversations_prefix(project) + std::to_string(bucket(conversation_id));
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
